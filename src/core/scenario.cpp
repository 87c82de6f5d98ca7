#include "keipath/scenario.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/toml_reader.hpp"

namespace keipath {

using toml_reader::Problems;

namespace {

// An override's optional uncertainty range, distribution, confidence and note.
void read_range(const toml::table& t, ParamOverride& o, const std::string& context, Problems& problems) {
  auto number = [&](const char* key) -> std::optional<double> {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    if (const auto* i = n->as_integer()) return static_cast<double>(i->get());
    if (const auto* f = n->as_floating_point(); f != nullptr && std::isfinite(f->get())) return f->get();
    problems.add(*n, fmt::format("{}: '{}' must be a finite number", context, key));
    return std::nullopt;
  };
  o.low = number("low");
  o.high = number("high");
  if (t.get("low") != nullptr || t.get("high") != nullptr) {
    if (!o.low || !o.high) {
      problems.add(t,
                   fmt::format("{}: an uncertainty range needs both 'low' and 'high', as numbers", context));
    } else if (!(*o.low <= o.value && o.value <= *o.high)) {
      problems.add(t, fmt::format("{}: the range [{}, {}] does not contain the value {}", context, *o.low,
                                  *o.high, o.value));
    }
  }
  o.log_uniform = toml_reader::read_distribution(t, o.low, o.high, context, problems);

  if (const toml::node* c = t.get("confidence")) {
    const auto* s = c->as_string();
    auto conf = s != nullptr ? parse_confidence(s->get()) : fail("'confidence' must be a string");
    if (conf) {
      o.confidence = *conf;
    } else {
      problems.add(*c, fmt::format("{}: {}", context, conf.error().message));
    }
  }
  if (auto note = toml_reader::read_string(t, "note", context, problems, /*required=*/false)) o.note = *note;
}

}  // namespace

Result<Scenario> Scenario::parse(std::string_view text, std::string_view file_label) {
  auto doc = toml_reader::parse(text, file_label);
  if (!doc) return std::unexpected(doc.error());
  Problems problems{std::string(file_label)};
  toml_reader::reject_unknown_keys(*doc, {"scenario", "override"}, "scenario file", problems);

  Scenario scenario;
  const toml::table* head = doc->get_as<toml::table>("scenario");
  if (head == nullptr) {
    problems.add_at_line(1, "missing the [scenario] table (name, description)");
  } else {
    scenario.where = problems.where(*head);
    toml_reader::reject_unknown_keys(*head, {"name", "description"}, "[scenario]", problems);
    if (auto name = toml_reader::read_string(*head, "name", "[scenario]", problems)) scenario.name = *name;
    if (auto d = toml_reader::read_string(*head, "description", "[scenario]", problems))
      scenario.description = *d;
  }

  if (const toml::node* overrides = doc->get("override")) {
    const auto* arr = overrides->as_array();
    if (arr == nullptr) {
      problems.add(*overrides, "'override' must be an array of tables ([[override]])");
    } else {
      for (const toml::node& node : *arr) {
        const auto* t = node.as_table();
        if (t == nullptr) {
          problems.add(node, "each [[override]] must be a table");
          continue;
        }
        const std::string context = "[[override]]";
        toml_reader::reject_unknown_keys(*t,
                                         {"parameter", "from", "until", "value", "abolished", "ref", "low",
                                          "high", "distribution", "confidence", "note"},
                                         context, problems);
        ParamOverride o;
        o.where = problems.where(node);
        if (auto p = toml_reader::read_string(*t, "parameter", context, problems)) o.parameter = *p;
        if (auto from = toml_reader::read_date(*t, "from", context, problems)) o.from = *from;
        o.until = toml_reader::read_date(*t, "until", context, problems, /*required=*/false);
        if (o.until && *o.until <= o.from) {
          problems.add(*t->get("until"), fmt::format("{}: until {} is not after from {}", context,
                                                     o.until->str(), o.from.str()));
        }
        if (auto ref = toml_reader::read_string(*t, "ref", context, problems)) o.ref = *ref;
        const toml::node* value = t->get("value");
        const toml::node* abolished = t->get("abolished");
        if (abolished != nullptr) {
          const auto* flag = abolished->as_boolean();
          if (flag == nullptr || !flag->get() || value != nullptr) {
            problems.add(*abolished,
                         fmt::format("{}: 'abolished' may only be true, and never with 'value'", context));
          }
          o.abolished = true;
        } else if (value == nullptr) {
          problems.add(node, fmt::format("{}: has no 'value' (or 'abolished = true')", context));
        } else if (const auto* b = value->as_boolean()) {
          o.value_is_bool = true;
          o.value = b->get() ? 1.0 : 0.0;
        } else if (const auto* i = value->as_integer()) {
          o.value = static_cast<double>(i->get());
        } else if (const auto* f = value->as_floating_point()) {
          o.value = f->get();
          // The parameter's unit (known when the scenario is applied) bounds the value; nan and inf are
          // never one.
          if (!std::isfinite(o.value))
            problems.add(*value, fmt::format("{}: 'value' {} is not a finite number", context, o.value));
        } else {
          problems.add(*value, fmt::format("{}: 'value' must be a number or a boolean, not {}", context,
                                           toml_reader::type_name(*value)));
        }
        read_range(*t, o, context, problems);
        scenario.overrides.push_back(std::move(o));
      }
    }
  }
  if (!problems.empty()) return std::unexpected(problems.error());
  return scenario;
}

Result<Scenario> Scenario::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(fmt::format("{}: cannot open scenario file", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

}  // namespace keipath
