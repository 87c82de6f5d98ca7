#include "keipath/params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/toml_reader.hpp"
#include "keipath/content_hash.hpp"
#include "keipath/scenario.hpp"
#include "keipath/units.hpp"

namespace keipath {
namespace {

using toml_reader::Problems;

bool is_bool_unit(std::string_view unit) {
  return unit == "bool";
}

// A number in a parameter file must be finite and within its unit's range (units.hpp).
void check_in_unit(const toml::node& node, double value, std::string_view key, std::string_view at,
                   std::string_view unit, Problems& problems) {
  if (auto ok = check_quantity(value, unit); !ok)
    problems.add(node, fmt::format("{}: '{}' {}", at, key, ok.error().message));
}

std::optional<ParamValue> read_value(const toml::node& node, const Parameter& param, Problems& problems) {
  const auto* entry = node.as_table();
  if (entry == nullptr) {
    problems.add(
        node,
        fmt::format("{}: each value must be a table {{ from = ..., value = ..., ref = \"...\" }}, not {}",
                    param.name, toml_reader::type_name(node)));
    return std::nullopt;
  }
  const std::string context = param.name;
  toml_reader::reject_unknown_keys(
      *entry, {"from", "value", "abolished", "ref", "confidence", "note", "low", "high", "distribution"},
      context, problems);
  ParamValue v;
  v.where = problems.where(node);
  const auto from = toml_reader::read_date(*entry, "from", context, problems);
  if (from) v.from = *from;
  const std::string at = from ? fmt::format("{}: value from {}", context, from->str()) : context;

  const toml::node* value = entry->get("value");
  const toml::node* abolished = entry->get("abolished");
  if (abolished != nullptr) {
    const auto* flag = abolished->as_boolean();
    if (flag == nullptr || !flag->get()) {
      problems.add(*abolished, fmt::format("{}: 'abolished' may only be true", at));
    } else {
      v.abolished = true;
    }
    if (value != nullptr) problems.add(*value, fmt::format("{}: has both 'value' and 'abolished'", at));
  } else if (value == nullptr) {
    problems.add(node, fmt::format("{}: has no 'value' (or 'abolished = true')", at));
  } else if (is_bool_unit(param.unit)) {
    if (const auto* b = value->as_boolean()) {
      v.value = b->get() ? 1.0 : 0.0;
    } else {
      problems.add(*value, fmt::format("{}: unit is bool, so the value must be true or false, not {}", at,
                                       toml_reader::type_name(*value)));
    }
  } else if (const auto* i = value->as_integer()) {
    v.value = static_cast<double>(i->get());
    check_in_unit(*value, v.value, "value", at, param.unit, problems);
  } else if (const auto* f = value->as_floating_point()) {
    v.value = f->get();
    check_in_unit(*value, v.value, "value", at, param.unit, problems);
  } else {
    problems.add(*value, fmt::format("{}: unit is {}, so the value must be a number, not {}", at, param.unit,
                                     toml_reader::type_name(*value)));
  }

  if (const toml::node* ref = entry->get("ref"); ref == nullptr) {
    problems.add(node, fmt::format("{}: has no ref (every value needs its citation)", at));
  } else if (auto s = toml_reader::read_string(*entry, "ref", at, problems)) {
    v.ref = *s;
  }
  if (const toml::node* c = entry->get("confidence")) {
    if (const auto* s = c->as_string()) {
      if (auto conf = parse_confidence(s->get())) {
        v.confidence = *conf;
      } else {
        problems.add(*c, fmt::format("{}: {}", at, conf.error().message));
      }
    } else {
      problems.add(*c, fmt::format("{}: 'confidence' must be a string", at));
    }
  }
  if (auto note = toml_reader::read_string(*entry, "note", at, problems, /*required=*/false)) v.note = *note;
  // An uncertainty range: both ends, numbers, around the value.
  const toml::node* low = entry->get("low");
  const toml::node* high = entry->get("high");
  if (low != nullptr || high != nullptr) {
    auto number = [&](const toml::node* n) -> std::optional<double> {
      if (n == nullptr) return std::nullopt;
      if (const auto* i = n->as_integer()) return static_cast<double>(i->get());
      if (const auto* f = n->as_floating_point()) return f->get();
      return std::nullopt;
    };
    v.low = number(low);
    v.high = number(high);
    if (v.low) check_in_unit(*low, *v.low, "low", at, param.unit, problems);
    if (v.high) check_in_unit(*high, *v.high, "high", at, param.unit, problems);
    if (!v.low || !v.high) {
      problems.add(node, fmt::format("{}: an uncertainty range needs both 'low' and 'high', as numbers", at));
    } else if (v.abolished || is_bool_unit(param.unit)) {
      problems.add(node, fmt::format("{}: only a numeric value can have an uncertainty range", at));
    } else if (!(*v.low <= v.value && v.value <= *v.high)) {
      problems.add(node, fmt::format("{}: the range [{}, {}] does not contain the value {}", at, *v.low,
                                     *v.high, v.value));
    }
  }
  v.log_uniform = toml_reader::read_distribution(*entry, v.low, v.high, at, problems);

  return v;
}

void check_timeline(const Parameter& param, Problems& problems) {
  if (param.values.empty()) {
    problems.add_at_line(param.where.line, fmt::format("{}: 'values' is empty", param.name));
    return;
  }
  // A first value may be an abolition: the parameter exists but nothing sets it yet (a limit a class did
  // not have, or one only a scenario sets). Abolishing what is already abolished is a mistake.
  for (size_t i = 1; i < param.values.size(); ++i) {
    const ParamValue& prev = param.values[i - 1];
    const ParamValue& cur = param.values[i];
    if (prev.abolished && cur.abolished) {
      problems.add_at_line(cur.where.line,
                           fmt::format("{}: value from {} abolishes what was already abolished on {}",
                                       param.name, cur.from.str(), prev.from.str()));
    }
    if (cur.from == prev.from) {
      problems.add_at_line(cur.where.line,
                           fmt::format("{}: two values take effect on {} (lines {} and {})", param.name,
                                       cur.from.str(), prev.where.line, cur.where.line));
    } else if (cur.from < prev.from) {
      problems.add_at_line(cur.where.line,
                           fmt::format("{}: dates not strictly increasing: {} comes after {} (line {})",
                                       param.name, cur.from.str(), prev.from.str(), prev.where.line));
    }
  }
}

void read_parameter(const toml::table& table, const std::string& name, Problems& problems,
                    std::vector<Parameter>& out) {
  toml_reader::reject_unknown_keys(table, {"unit", "description", "checked", "binding", "values"}, name,
                                   problems);
  Parameter param;
  param.name = name;
  param.where = problems.where(table);
  if (auto unit = toml_reader::read_string(table, "unit", name, problems)) {
    if (is_known_unit(*unit)) {
      param.unit = *unit;
    } else {
      std::vector<std::string_view> known;
      for (const UnitSpec& u : known_units()) known.push_back(u.name);
      problems.add(*table.get("unit"), fmt::format("{}: unit '{}' is not a known unit (known: {})", name,
                                                   quote_for_message(*unit), fmt::join(known, ", ")));
    }
  }
  if (auto d = toml_reader::read_string(table, "description", name, problems)) param.description = *d;
  if (auto checked = toml_reader::read_date(table, "checked", name, problems)) param.checked = *checked;
  if (const toml::node* b = table.get("binding")) {
    if (const auto* flag = b->as_boolean()) {
      param.binding = flag->get();
    } else {
      problems.add(*b, fmt::format("{}: 'binding' must be true or false", name));
    }
  }
  const toml::node* values = table.get("values");
  if (values == nullptr) {
    problems.add(table, fmt::format("{}: missing 'values'", name));
  } else if (const auto* arr = values->as_array()) {
    if (!param.unit.empty()) {
      for (const toml::node& entry : *arr) {
        if (auto v = read_value(entry, param, problems)) param.values.push_back(std::move(*v));
      }
      check_timeline(param, problems);
    }
  } else {
    problems.add(*values, fmt::format("{}: 'values' must be an array of tables", name));
  }
  out.push_back(std::move(param));
}

// A table with `values` or `unit` is a parameter; any other table is a namespace of parameters.
void walk(const toml::table& table, const std::string& prefix, Problems& problems,
          std::vector<Parameter>& out) {
  for (const auto& [key, node] : table) {
    const std::string name =
        prefix.empty() ? std::string(key.str()) : fmt::format("{}.{}", prefix, key.str());
    if (const auto* sub = node.as_table()) {
      if (sub->contains("values") || sub->contains("unit")) {
        read_parameter(*sub, name, problems, out);
      } else if (sub->empty()) {
        problems.add(
            node,
            fmt::format("{}: empty table (a parameter needs unit, description, checked, values)", name));
      } else {
        walk(*sub, name, problems, out);
      }
    } else {
      problems.add(
          node, fmt::format("'{}' is {}, but only parameter tables may appear here (a parameter is a table "
                            "with unit, description, checked and values)",
                            name, toml_reader::type_name(node)));
    }
  }
}

bool by_name(const Parameter& a, const Parameter& b) {
  return a.name < b.name;
}

// Replaces the part of `values` from `o.from` (to `o.until`) by the override; the baseline resumes at
// `until`.
Result<void> overlay(Parameter& param, const ParamOverride& o, const std::string& scenario_name) {
  ParamValue replacement;
  replacement.from = o.from;
  replacement.abolished = o.abolished;
  replacement.value = o.value;
  replacement.ref = o.ref;
  replacement.low = o.low;
  replacement.high = o.high;
  replacement.log_uniform = o.log_uniform;
  if (o.confidence) replacement.confidence = *o.confidence;
  replacement.note = o.note;
  replacement.origin = scenario_name;
  replacement.where = o.where;

  std::vector<ParamValue> next;
  for (const ParamValue& v : param.values) {
    if (v.from < o.from) next.push_back(v);
  }
  next.push_back(replacement);
  if (o.until) {
    const ParamValue* resumed = param.at(*o.until);
    if (resumed == nullptr) {
      return fail(fmt::format("{}: override of {} ends {} (until), before the parameter's first value {}",
                              o.where.str(), param.name, o.until->str(), param.values.front().from.str()));
    }
    ParamValue resume = *resumed;
    resume.from = *o.until;
    next.push_back(resume);
    for (const ParamValue& v : param.values) {
      if (v.from > *o.until) next.push_back(v);
    }
  }
  param.values = std::move(next);
  return {};
}

}  // namespace

double ParamValue::drawn(double u) const {
  if (!low || !high) return value;
  if (log_uniform) return std::exp(std::log(*low) + u * (std::log(*high) - std::log(*low)));
  return *low + u * (*high - *low);
}

std::string_view to_string(Confidence c) {
  switch (c) {
    case Confidence::high:
      return "high";
    case Confidence::medium:
      return "medium";
    case Confidence::low:
      return "low";
    case Confidence::unstated:
      break;
  }
  return "unstated";
}

Result<Confidence> parse_confidence(std::string_view text) {
  if (text == "high") return Confidence::high;
  if (text == "medium") return Confidence::medium;
  if (text == "low") return Confidence::low;
  return fail(fmt::format("confidence '{}' is not one of high, medium, low", text));
}

std::string SourceLocation::str() const {
  return fmt::format("{}:{}", file, line);
}

bool is_known_unit(std::string_view unit) {
  return find_unit(unit) != nullptr;
}

const ParamValue* Parameter::at(Date date) const {
  auto after = std::upper_bound(values.begin(), values.end(), date,
                                [](Date d, const ParamValue& v) { return d < v.from; });
  return after == values.begin() ? nullptr : &*(after - 1);
}

const ParamValue* Parameter::in_force(Date date) const {
  const ParamValue* v = at(date);
  return (v == nullptr || v->abolished) ? nullptr : v;
}

Result<void> ParamStore::require_all(std::initializer_list<Slot> slots) const {
  std::vector<std::string> errors;
  for (const Slot& s : slots) {
    auto p = require(s.name, s.unit);
    if (p) {
      *s.target = *p;
    } else {
      errors.push_back(p.error().message);
    }
  }
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return {};
}

Result<ParamStore> ParamStore::load_directory(const std::filesystem::path& dir,
                                              const std::filesystem::path& label_root,
                                              const std::vector<std::filesystem::path>& skip) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return fail(fmt::format("{}: not a directory (the rule base is a folder of .toml files)", dir.string()));
  }
  std::vector<std::filesystem::path> files = files_under(dir, ".toml");
  std::erase_if(files, [&](const std::filesystem::path& f) {
    return std::any_of(skip.begin(), skip.end(), [&](const std::filesystem::path& folder) {
      const std::string rel = f.lexically_relative(folder).string();
      return !rel.empty() && !rel.starts_with("..");
    });
  });
  std::sort(files.begin(), files.end());

  ParamStore store;
  std::vector<std::string> errors;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      errors.push_back(fmt::format("{}: cannot be read", file.string()));
      continue;
    }
    const std::string label =
        label_root.empty() ? file.string() : file.lexically_relative(label_root).string();
    if (auto added = store.add_toml(text.str(), label); !added) errors.push_back(added.error().message);
  }
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  if (store.params_.empty())
    return fail(fmt::format("{}: no parameters found (no .toml files?)", dir.string()));
  return store;
}

Result<void> ParamStore::add_toml(std::string_view text, std::string_view file_label) {
  auto doc = toml_reader::parse(text, file_label);
  if (!doc) return std::unexpected(doc.error());
  Problems problems{std::string(file_label)};
  std::vector<Parameter> added;
  walk(*doc, "", problems, added);
  if (!problems.empty()) return std::unexpected(problems.error());

  std::vector<Parameter> merged = params_;
  merged.insert(merged.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
  std::stable_sort(merged.begin(), merged.end(), by_name);
  std::vector<std::string> errors;
  for (size_t i = 1; i < merged.size(); ++i) {
    if (merged[i].name == merged[i - 1].name) {
      errors.push_back(fmt::format("{}: {} is already defined at {}", merged[i].where.str(), merged[i].name,
                                   merged[i - 1].where.str()));
    }
  }
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  params_ = std::move(merged);
  return {};
}

Result<void> ParamStore::apply(const Scenario& scenario) {
  std::vector<Parameter> next = params_;
  std::vector<std::string> errors;
  for (const ParamOverride& o : scenario.overrides) {
    auto it = std::lower_bound(next.begin(), next.end(), o.parameter,
                               [](const Parameter& p, std::string_view n) { return p.name < n; });
    if (it == next.end() || it->name != o.parameter) {
      errors.push_back(fmt::format("{}: override of unknown parameter '{}'", o.where.str(), o.parameter));
      continue;
    }
    if (!o.abolished && o.value_is_bool != is_bool_unit(it->unit)) {
      errors.push_back(fmt::format("{}: {} has unit {}, so the override value must be {}", o.where.str(),
                                   o.parameter, it->unit,
                                   is_bool_unit(it->unit) ? "true or false" : "a number"));
      continue;
    }
    if (!o.abolished && !o.value_is_bool) {
      if (auto ok = check_quantity(o.value, it->unit); !ok) {
        errors.push_back(
            fmt::format("{}: override of {}: value {}", o.where.str(), o.parameter, ok.error().message));
        continue;
      }
      bool range_ok = true;
      for (const auto& [key, end] : {std::pair{"low", o.low}, std::pair{"high", o.high}})
        if (end)
          if (auto ok = check_quantity(*end, it->unit); !ok) {
            errors.push_back(fmt::format("{}: override of {}: '{}' {}", o.where.str(), o.parameter, key,
                                         ok.error().message));
            range_ok = false;
          }
      if (!range_ok) continue;
    }
    if ((o.low || o.high) && (o.abolished || o.value_is_bool)) {
      errors.push_back(fmt::format("{}: override of {}: only a numeric value can have an uncertainty range",
                                   o.where.str(), o.parameter));
      continue;
    }
    if (auto done = overlay(*it, o, scenario.name); !done) errors.push_back(done.error().message);
  }
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  params_ = std::move(next);
  scenarios_.push_back(scenario.name);
  return {};
}

const Parameter* ParamStore::find(std::string_view name) const {
  auto it = std::lower_bound(params_.begin(), params_.end(), name,
                             [](const Parameter& p, std::string_view n) { return p.name < n; });
  return it != params_.end() && it->name == name ? &*it : nullptr;
}

Result<const Parameter*> ParamStore::require(std::string_view name, std::string_view unit) const {
  const Parameter* p = find(name);
  if (p == nullptr) return fail(fmt::format("the rule base has no parameter '{}'", name));
  if (p->unit != unit) {
    return fail(
        fmt::format("{}: {} has unit {}, but the rule reads it as {}", p->where.str(), name, p->unit, unit));
  }
  return p;
}

}  // namespace keipath
