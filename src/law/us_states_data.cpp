// Reading and checking the state rule files (data/law/us/states/XX.toml). The format is described in
// include/keipath/us_states.hpp and in data/law/us/states/README.md; every problem is reported, each as
// `file:line: where: what`, so a reviewer fixes a file in one pass.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <utility>

#include "core/toml_reader.hpp"
#include "keipath/us_states.hpp"

namespace keipath {
namespace {

using toml_reader::Problems;

template <typename E>
struct Named {
  std::string_view name;
  E value;
};

constexpr std::array<Named<RoadStatus>, kRoadStatusCount> kStatuses = {{
    {"unrestricted", RoadStatus::unrestricted},
    {"restricted", RoadStatus::restricted},
    {"off_road_only", RoadStatus::off_road_only},
    {"prohibited", RoadStatus::prohibited},
    {"unknown", RoadStatus::unknown},
}};
constexpr std::array<Named<StateKind>, kStateKindCount> kKinds = {{
    {"truck", StateKind::truck},
    {"van", StateKind::van},
    {"car", StateKind::car},
    {"off_road", StateKind::off_road},
    {"lsv", StateKind::lsv},
}};
constexpr std::array<Named<RuleBasis>, 3> kBases = {{
    {"law", RuleBasis::law},
    {"policy", RuleBasis::policy},
    {"none", RuleBasis::none},
}};
constexpr std::array<Named<Answer>, 3> kAnswers = {{
    {"yes", Answer::yes},
    {"no", Answer::no},
    {"unknown", Answer::unknown},
}};
constexpr std::array<Named<FromKind>, 3> kFromKinds = {{
    {"effective", FromKind::effective},
    {"approximate", FromKind::approximate},
    {"in_force_by", FromKind::in_force_by},
}};
constexpr std::array<Named<RoadClass>, 5> kRoadClasses = {{
    {"interstate", RoadClass::interstate},
    {"limited_access", RoadClass::limited_access},
    {"divided", RoadClass::divided},
    {"highway", RoadClass::highway},
    {"local", RoadClass::local},
}};
constexpr std::array<Named<UsEntry>, 4> kEntries = {{
    {"road", UsEntry::road},
    {"off_road", UsEntry::off_road},
    {"lsv", UsEntry::lsv},
    {"small_class", UsEntry::small_class},
}};

constexpr std::array<JurisdictionName, 51> kJurisdictions = {{
    {"AK", "Alaska"},         {"AL", "Alabama"},
    {"AR", "Arkansas"},       {"AZ", "Arizona"},
    {"CA", "California"},     {"CO", "Colorado"},
    {"CT", "Connecticut"},    {"DC", "District of Columbia"},
    {"DE", "Delaware"},       {"FL", "Florida"},
    {"GA", "Georgia"},        {"HI", "Hawaii"},
    {"IA", "Iowa"},           {"ID", "Idaho"},
    {"IL", "Illinois"},       {"IN", "Indiana"},
    {"KS", "Kansas"},         {"KY", "Kentucky"},
    {"LA", "Louisiana"},      {"MA", "Massachusetts"},
    {"MD", "Maryland"},       {"ME", "Maine"},
    {"MI", "Michigan"},       {"MN", "Minnesota"},
    {"MO", "Missouri"},       {"MS", "Mississippi"},
    {"MT", "Montana"},        {"NC", "North Carolina"},
    {"ND", "North Dakota"},   {"NE", "Nebraska"},
    {"NH", "New Hampshire"},  {"NJ", "New Jersey"},
    {"NM", "New Mexico"},     {"NV", "Nevada"},
    {"NY", "New York"},       {"OH", "Ohio"},
    {"OK", "Oklahoma"},       {"OR", "Oregon"},
    {"PA", "Pennsylvania"},   {"RI", "Rhode Island"},
    {"SC", "South Carolina"}, {"SD", "South Dakota"},
    {"TN", "Tennessee"},      {"TX", "Texas"},
    {"UT", "Utah"},           {"VA", "Virginia"},
    {"VT", "Vermont"},        {"WA", "Washington"},
    {"WI", "Wisconsin"},      {"WV", "West Virginia"},
    {"WY", "Wyoming"},
}};

template <typename E, size_t N>
std::string_view name_of(const std::array<Named<E>, N>& table, E value) {
  for (const auto& n : table)
    if (n.value == value) return n.name;
  return "?";
}

template <typename E, size_t N>
Result<E> parse_named(const std::array<Named<E>, N>& table, std::string_view text, std::string_view what) {
  for (const auto& n : table)
    if (n.name == text) return n.value;
  std::vector<std::string_view> names;
  for (const auto& n : table) names.push_back(n.name);
  return fail(fmt::format("{} '{}' is not one of {}", what, text, fmt::join(names, ", ")));
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Reads an optional string naming one of a table's values.
template <typename E, size_t N>
std::optional<E> read_named(const toml::table& t, std::string_view key, const std::array<Named<E>, N>& table,
                            std::string_view context, Problems& problems, bool required) {
  const toml::node* node = t.get(key);
  if (node == nullptr) {
    if (required) problems.add(t, fmt::format("{}: missing '{}'", context, key));
    return std::nullopt;
  }
  const auto* s = node->as_string();
  if (s == nullptr) {
    problems.add(
        *node, fmt::format("{}: '{}' must be a string, not {}", context, key, toml_reader::type_name(*node)));
    return std::nullopt;
  }
  auto parsed = parse_named(table, s->get(), key);
  if (!parsed) {
    problems.add(*node, fmt::format("{}: {}", context, parsed.error().message));
    return std::nullopt;
  }
  return *parsed;
}

std::optional<bool> read_bool(const toml::table& t, std::string_view key, std::string_view context,
                              Problems& problems) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* b = node->as_boolean()) return b->get();
  problems.add(*node, fmt::format("{}: '{}' must be true or false, not {}", context, key,
                                  toml_reader::type_name(*node)));
  return std::nullopt;
}

// A positive number (integer or float) no larger than `max`.
std::optional<double> read_positive(const toml::table& t, std::string_view key, double max,
                                    std::string_view context, Problems& problems) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return std::nullopt;
  std::optional<double> v;
  if (const auto* i = node->as_integer()) v = static_cast<double>(i->get());
  if (const auto* f = node->as_floating_point()) v = f->get();
  if (!v) {
    problems.add(
        *node, fmt::format("{}: '{}' must be a number, not {}", context, key, toml_reader::type_name(*node)));
    return std::nullopt;
  }
  if (!(*v > 0 && *v <= max)) {
    problems.add(*node, fmt::format("{}: '{}' = {} is out of range (0, {}]", context, key, *v, max));
    return std::nullopt;
  }
  return v;
}

std::optional<int> read_mph(const toml::table& t, std::string_view key, std::string_view context,
                            Problems& problems) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return std::nullopt;
  const auto* i = node->as_integer();
  if (i == nullptr || i->get() < 5 || i->get() > 85) {
    problems.add(*node, fmt::format("{}: '{}' must be a whole number of mph from 5 to 85", context, key));
    return std::nullopt;
  }
  return static_cast<int>(i->get());
}

constexpr std::array<std::string_view, 11> kLimitKeys = {
    "max_posted_mph",        "no_interstate",   "no_limited_access", "no_divided",
    "no_highways",           "local_ordinance", "farm_use_only",     "daylight_only",
    "collector_plates_only", "may_cross",       "governor_mph"};

// Road limits are flat keys of a rule or grandfather table; they only make sense where road use is
// restricted, so on any other status each one is an error ("a speed cap on a prohibited rule").
RoadLimits read_limits(const toml::table& t, RoadStatus status, std::string_view context,
                       Problems& problems) {
  RoadLimits l;
  l.max_posted_mph = read_mph(t, "max_posted_mph", context, problems);
  l.governor_mph = read_mph(t, "governor_mph", context, problems);
  const std::array<std::pair<std::string_view, bool*>, 9> flags = {{
      {"no_interstate", &l.no_interstate},
      {"no_limited_access", &l.no_limited_access},
      {"no_divided", &l.no_divided},
      {"no_highways", &l.no_highways},
      {"local_ordinance", &l.local_ordinance},
      {"farm_use_only", &l.farm_use_only},
      {"daylight_only", &l.daylight_only},
      {"collector_plates_only", &l.collector_plates_only},
      {"may_cross", &l.may_cross},
  }};
  for (const auto& [key, field] : flags) {
    if (auto b = read_bool(t, key, context, problems)) *field = *b;
  }
  if (status != RoadStatus::restricted) {
    for (std::string_view key : kLimitKeys) {
      if (const toml::node* node = t.get(key)) {
        problems.add(*node, fmt::format("{}: '{}' is a road limit, but the status is {}; only a restricted "
                                        "rule has limits",
                                        context, key, to_string(status)));
      }
    }
    return RoadLimits{};
  }
  return l;
}

std::vector<std::string> read_string_list(const toml::table& t, std::string_view key,
                                          std::string_view context, Problems& problems, bool required) {
  std::vector<std::string> out;
  const toml::node* node = t.get(key);
  if (node == nullptr) {
    if (required) problems.add(t, fmt::format("{}: missing '{}' (a list of strings)", context, key));
    return out;
  }
  const auto* arr = node->as_array();
  if (arr == nullptr) {
    problems.add(*node, fmt::format("{}: '{}' must be a list of strings", context, key));
    return out;
  }
  for (const toml::node& item : *arr) {
    const auto* s = item.as_string();
    if (s == nullptr || s->get().empty()) {
      problems.add(item, fmt::format("{}: '{}' holds {}, not a non-empty string", context, key,
                                     toml_reader::type_name(item)));
      continue;
    }
    out.push_back(s->get());
  }
  if (out.empty() && required) problems.add(*node, fmt::format("{}: '{}' is empty", context, key));
  return out;
}

std::optional<ClassDefinition> read_definition(const toml::node& node, std::string_view context,
                                               Problems& problems) {
  const auto* t = node.as_table();
  if (t == nullptr) {
    problems.add(node, fmt::format("{}: 'definition' must be a table", context));
    return std::nullopt;
  }
  const std::string at = fmt::format("{}: definition", context);
  toml_reader::reject_unknown_keys(
      *t,
      {"name", "max_displacement_cc", "max_power_kw", "max_length_in", "max_width_in", "max_height_in",
       "min_width_in", "min_mass_lb", "max_mass_lb", "min_top_speed_mph", "max_top_speed_mph", "bodies",
       "outside", "outside_note"},
      at, problems);
  ClassDefinition d;
  if (auto name = toml_reader::read_string(*t, "name", at, problems)) d.name = *name;
  if (auto cc = read_positive(*t, "max_displacement_cc", 5000, at, problems))
    d.max_displacement_cc = static_cast<int>(*cc);
  d.max_power_kw = read_positive(*t, "max_power_kw", 1000, at, problems);
  d.max_length_in = read_positive(*t, "max_length_in", 400, at, problems);
  d.max_width_in = read_positive(*t, "max_width_in", 200, at, problems);
  d.max_height_in = read_positive(*t, "max_height_in", 200, at, problems);
  d.min_width_in = read_positive(*t, "min_width_in", 200, at, problems);
  d.min_mass_lb = read_positive(*t, "min_mass_lb", 20000, at, problems);
  d.max_mass_lb = read_positive(*t, "max_mass_lb", 20000, at, problems);
  d.min_top_speed_mph = read_positive(*t, "min_top_speed_mph", 200, at, problems);
  d.max_top_speed_mph = read_positive(*t, "max_top_speed_mph", 200, at, problems);
  for (const std::string& body : read_string_list(*t, "bodies", at, problems, /*required=*/false)) {
    Vehicle probe;
    if (auto set = set_vehicle_field(probe, "body", body); set && probe.body) {
      d.bodies.push_back(*probe.body);
    } else {
      problems.add(*t->get("bodies"), fmt::format("{}: body '{}' is not a vehicle body", at, body));
    }
  }
  if (auto outside = read_named(*t, "outside", kStatuses, at, problems, /*required=*/false)) {
    d.outside = *outside;
  }
  if (auto note = toml_reader::read_string(*t, "outside_note", at, problems, /*required=*/false))
    d.outside_note = *note;
  const bool bounded = d.max_displacement_cc || d.max_power_kw || d.max_length_in || d.max_width_in ||
                       d.max_height_in || d.min_width_in || d.min_mass_lb || d.max_mass_lb ||
                       d.min_top_speed_mph || d.max_top_speed_mph || !d.bodies.empty();
  if (!bounded) problems.add(node, fmt::format("{}: has no bound (nothing to check a vehicle against)", at));
  if (d.min_mass_lb && d.max_mass_lb && *d.min_mass_lb > *d.max_mass_lb)
    problems.add(node, fmt::format("{}: min_mass_lb is above max_mass_lb", at));
  return d;
}

std::optional<Grandfather> read_grandfather(const toml::node& node, std::string_view context,
                                            Problems& problems) {
  const auto* t = node.as_table();
  if (t == nullptr) {
    problems.add(node, fmt::format("{}: 'grandfather' must be a table", context));
    return std::nullopt;
  }
  const std::string at = fmt::format("{}: grandfather", context);
  std::vector<std::string_view> allowed = {"registered_before", "status", "transferable", "conditions"};
  allowed.insert(allowed.end(), kLimitKeys.begin(), kLimitKeys.end());
  for (const auto& [key, value] : *t) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end())
      problems.add(value, fmt::format("{}: unknown key '{}' (expected one of: {})", at, key.str(),
                                      fmt::join(allowed, ", ")));
  }
  Grandfather g;
  const auto before = toml_reader::read_date(*t, "registered_before", at, problems);
  const auto status = read_named(*t, "status", kStatuses, at, problems, /*required=*/true);
  if (auto c = toml_reader::read_string(*t, "conditions", at, problems)) g.conditions = *c;
  if (auto tr = read_bool(*t, "transferable", at, problems)) g.transferable = *tr;
  if (!before || !status) return std::nullopt;
  g.registered_before = *before;
  g.status = *status;
  g.limits = read_limits(*t, g.status, at, problems);
  return g;
}

std::optional<StateRule> read_rule(const toml::node& node, size_t index, Problems& problems) {
  const auto* t = node.as_table();
  if (t == nullptr) {
    problems.add(node, "each [[rule]] must be a table");
    return std::nullopt;
  }
  const std::string context = fmt::format("rule {}", index + 1);
  std::vector<std::string_view> allowed = {
      "kinds",      "from",        "from_kind",  "status", "basis",   "title",      "registration", "plate",
      "definition", "grandfather", "conditions", "ref",    "sources", "confidence", "checked",      "note"};
  allowed.insert(allowed.end(), kLimitKeys.begin(), kLimitKeys.end());
  for (const auto& [key, value] : *t) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end())
      problems.add(value, fmt::format("{}: unknown key '{}' (expected one of: {})", context, key.str(),
                                      fmt::join(allowed, ", ")));
  }
  StateRule r;
  r.where = problems.where(node);
  for (const std::string& k : read_string_list(*t, "kinds", context, problems, /*required=*/true)) {
    auto kind = parse_state_kind(k);
    if (!kind) {
      problems.add(*t->get("kinds"), fmt::format("{}: {}", context, kind.error().message));
    } else if (r.covers(*kind)) {
      problems.add(*t->get("kinds"), fmt::format("{}: kind '{}' is listed twice", context, k));
    } else {
      r.kinds.push_back(*kind);
    }
  }
  const auto from = toml_reader::read_date(*t, "from", context, problems);
  if (from) r.from = *from;
  if (auto fk = read_named(*t, "from_kind", kFromKinds, context, problems, /*required=*/false))
    r.from_kind = *fk;
  const auto status = read_named(*t, "status", kStatuses, context, problems, /*required=*/true);
  if (status) r.status = *status;
  if (auto b = read_named(*t, "basis", kBases, context, problems, /*required=*/true)) r.basis = *b;
  if (auto a = read_named(*t, "title", kAnswers, context, problems, /*required=*/true)) r.title = *a;
  if (auto a = read_named(*t, "registration", kAnswers, context, problems, /*required=*/true))
    r.registration = *a;
  if (auto p = toml_reader::read_string(*t, "plate", context, problems, /*required=*/false)) r.plate = *p;
  if (status) r.limits = read_limits(*t, r.status, context, problems);
  if (const toml::node* d = t->get("definition")) r.definition = read_definition(*d, context, problems);
  if (const toml::node* g = t->get("grandfather")) r.grandfather = read_grandfather(*g, context, problems);
  if (auto c = toml_reader::read_string(*t, "conditions", context, problems)) r.conditions = *c;
  if (auto ref = toml_reader::read_string(*t, "ref", context, problems)) r.ref = *ref;
  r.sources = read_string_list(*t, "sources", context, problems, /*required=*/true);
  if (const toml::node* c = t->get("confidence")) {
    const auto* s = c->as_string();
    auto conf = s ? parse_confidence(s->get()) : fail("'confidence' must be a string");
    if (conf) {
      r.confidence = *conf;
    } else {
      problems.add(*c, fmt::format("{}: {}", context, conf.error().message));
    }
  } else {
    problems.add(node, fmt::format("{}: missing 'confidence' (high, medium or low)", context));
  }
  if (auto checked = toml_reader::read_date(*t, "checked", context, problems)) r.checked = *checked;
  if (auto note = toml_reader::read_string(*t, "note", context, problems, /*required=*/false)) r.note = *note;
  // A prohibition rests on a statute, a regulation or an agency's statement; what only secondary sources
  // claim is "unknown", with the claim in the conditions.
  if (status && r.status == RoadStatus::prohibited && r.basis == RuleBasis::none)
    problems.add(node,
                 fmt::format("{}: status 'prohibited' needs a basis of law or policy (a statute, regulation "
                             "or agency statement); on secondary sources alone the status is 'unknown'",
                             context));
  if (!from || !status) return std::nullopt;
  return r;
}

}  // namespace

std::string_view to_string(RoadStatus s) {
  return name_of(kStatuses, s);
}
Result<RoadStatus> parse_road_status(std::string_view text) {
  return parse_named(kStatuses, text, "status");
}
std::string_view to_string(StateKind k) {
  return name_of(kKinds, k);
}
Result<StateKind> parse_state_kind(std::string_view text) {
  return parse_named(kKinds, text, "kind");
}
std::string_view to_string(RuleBasis b) {
  return name_of(kBases, b);
}
std::string_view to_string(Answer a) {
  return name_of(kAnswers, a);
}
std::string_view to_string(FromKind f) {
  return name_of(kFromKinds, f);
}
std::string_view to_string(RoadClass c) {
  return name_of(kRoadClasses, c);
}
Result<RoadClass> parse_road_class(std::string_view text) {
  return parse_named(kRoadClasses, text, "road class");
}
std::string_view to_string(UsEntry e) {
  return name_of(kEntries, e);
}
Result<UsEntry> parse_us_entry(std::string_view text) {
  return parse_named(kEntries, text, "entry");
}

std::span<const JurisdictionName> us_jurisdictions() {
  return kJurisdictions;
}

bool RoadLimits::any() const {
  return max_posted_mph || no_interstate || no_limited_access || no_divided || no_highways ||
         local_ordinance || farm_use_only || daylight_only || collector_plates_only || governor_mph;
}

bool StateRule::covers(StateKind k) const {
  return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

const StateRule* Jurisdiction::rule_on(StateKind kind, Date date) const {
  const StateRule* found = nullptr;
  for (const StateRule& r : rules) {
    if (r.covers(kind) && r.from <= date) found = &r;  // rules for a kind are in date order (checked on load)
  }
  return found;
}

const StateRule* Jurisdiction::first_rule(StateKind kind) const {
  for (const StateRule& r : rules)
    if (r.covers(kind)) return &r;
  return nullptr;
}

Result<Jurisdiction> StateLaw::parse(std::string_view text, std::string_view file_label) {
  auto doc = toml_reader::parse(text, file_label);
  if (!doc) return std::unexpected(doc.error());
  Problems problems{std::string(file_label)};
  Jurisdiction j;
  toml_reader::reject_unknown_keys(*doc, {"jurisdiction", "rule"}, "file", problems);

  const toml::table* head = (*doc)["jurisdiction"].as_table();
  if (head == nullptr) {
    problems.add_at_line(1, "missing the [jurisdiction] table (code, name, checked, summary)");
  } else {
    j.where = problems.where(*head);
    toml_reader::reject_unknown_keys(*head, {"code", "name", "checked", "summary"}, "jurisdiction", problems);
    if (auto code = toml_reader::read_string(*head, "code", "jurisdiction", problems)) {
      const auto& all = kJurisdictions;
      const auto it = std::find_if(all.begin(), all.end(), [&](const auto& n) { return n.code == *code; });
      if (it == all.end()) {
        problems.add(*head->get("code"),
                     fmt::format("jurisdiction: '{}' is not a state code (two capital letters of the 50 "
                                 "states, or DC)",
                                 *code));
      } else {
        j.code = *code;
        const std::string stem = std::filesystem::path(std::string(file_label)).stem().string();
        if (stem != j.code)
          problems.add(
              *head->get("code"),
              fmt::format("jurisdiction: code '{}' does not match the file name '{}'", j.code, stem));
        if (auto name = toml_reader::read_string(*head, "name", "jurisdiction", problems)) {
          if (*name != it->name)
            problems.add(*head->get("name"), fmt::format("jurisdiction: name '{}' should be '{}' for {}",
                                                         *name, it->name, j.code));
          j.name = *name;
        }
      }
    }
    if (auto checked = toml_reader::read_date(*head, "checked", "jurisdiction", problems))
      j.checked = *checked;
    if (auto summary = toml_reader::read_string(*head, "summary", "jurisdiction", problems))
      j.summary = *summary;
  }

  const toml::array* rules = (*doc)["rule"].as_array();
  if (rules == nullptr || rules->empty()) {
    problems.add_at_line(1, "no [[rule]] tables: every jurisdiction needs rules for truck, van and car");
  } else {
    for (size_t i = 0; i < rules->size(); ++i) {
      if (auto r = read_rule(*rules->get(i), i, problems)) j.rules.push_back(std::move(*r));
    }
  }

  // Per kind: dates strictly increasing in file order, and truck, van and car always covered.
  for (const auto& named : kKinds) {
    const StateRule* previous = nullptr;
    for (const StateRule& r : j.rules) {
      if (!r.covers(named.value)) continue;
      if (previous != nullptr && r.from <= previous->from) {
        problems.add_at_line(
            r.where.line,
            fmt::format(
                "rule for {} from {} does not come after the rule from {} (line {}); give each kind's "
                "rules in date order, one per date",
                named.name, r.from.str(), previous->from.str(), previous->where.line));
      }
      previous = &r;
    }
    const bool required =
        named.value == StateKind::truck || named.value == StateKind::van || named.value == StateKind::car;
    if (required && previous == nullptr && rules != nullptr && !rules->empty() && problems.empty()) {
      problems.add_at_line(1, fmt::format("no rule covers kind '{}' (use status = \"unknown\" where nothing "
                                          "settles it)",
                                          named.name));
    }
  }
  if (!problems.empty()) return std::unexpected(problems.error());
  return j;
}

Result<StateLaw> StateLaw::assemble(std::vector<Jurisdiction> jurisdictions) {
  std::sort(jurisdictions.begin(), jurisdictions.end(),
            [](const Jurisdiction& a, const Jurisdiction& b) { return a.code < b.code; });
  std::vector<std::string> errors;
  for (size_t i = 1; i < jurisdictions.size(); ++i) {
    if (jurisdictions[i].code == jurisdictions[i - 1].code)
      errors.push_back(fmt::format("{}: {} is also given in {}", jurisdictions[i].where.file,
                                   jurisdictions[i].code, jurisdictions[i - 1].where.file));
  }
  std::vector<std::string_view> missing;
  for (const auto& n : kJurisdictions) {
    const bool present = std::any_of(jurisdictions.begin(), jurisdictions.end(),
                                     [&](const Jurisdiction& j) { return j.code == n.code; });
    if (!present) missing.push_back(n.code);
  }
  if (!missing.empty())
    errors.push_back(
        fmt::format("state rules missing for {} of 51 jurisdictions: {} (each needs a file "
                    "data/law/us/states/XX.toml)",
                    missing.size(), fmt::join(missing, ", ")));
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  StateLaw law;
  law.jurisdictions_ = std::move(jurisdictions);
  return law;
}

const Jurisdiction* StateLaw::find(std::string_view code) const {
  const std::string want = upper(code);
  for (const Jurisdiction& j : jurisdictions_)
    if (j.code == want) return &j;
  return nullptr;
}

Date StateLaw::newest_check() const {
  Date newest;
  for (const Jurisdiction& j : jurisdictions_) {
    newest = std::max(newest, j.checked);
    for (const StateRule& r : j.rules) newest = std::max(newest, r.checked);
  }
  return newest;
}

Date StateLaw::oldest_check() const {
  std::optional<Date> oldest;
  for (const Jurisdiction& j : jurisdictions_) {
    for (const StateRule& r : j.rules) oldest = oldest ? std::min(*oldest, r.checked) : r.checked;
  }
  return oldest.value_or(Date{});
}

std::vector<StateChange> StateLaw::changes() const {
  std::vector<StateChange> out;
  for (const Jurisdiction& j : jurisdictions_) {
    for (const StateRule& r : j.rules) {
      if (r.from_kind == FromKind::in_force_by) continue;
      // "Before": the status of the rule this one replaced. Kinds that came from different statuses are
      // listed as separate changes, in the order of their first kind, so each line's "before" holds for
      // every kind on it.
      std::vector<StateChange> parts;
      for (StateKind kind : r.kinds) {
        std::optional<RoadStatus> before;
        if (const StateRule* prev = j.rule_on(kind, r.from.plus_days(-1))) before = prev->status;
        auto same = std::find_if(parts.begin(), parts.end(),
                                 [&](const StateChange& c) { return c.before == before; });
        if (same != parts.end())
          same->kinds.push_back(kind);
        else
          parts.push_back(StateChange{r.from, r.from_kind, j.code, {kind}, before, &r});
      }
      for (StateChange& c : parts) out.push_back(std::move(c));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const StateChange& a, const StateChange& b) {
    return a.date != b.date ? a.date > b.date : a.code < b.code;
  });
  return out;
}

}  // namespace keipath
