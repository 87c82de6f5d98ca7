// The state road-use rule: for a vehicle, a jurisdiction and a date, which recorded rule applies, whether the
// vehicle fits the statutory class that rule is written for, whether a grandfather clause covers it, and so
// whether it may be titled, registered and driven, with the reasons. Pure: the data comes in as a StateLaw.
#include "keipath/us_states.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "keipath/text.hpp"
#include "law/age_exemption.hpp"

namespace keipath {
namespace {

// Exact unit definitions (not law): the inch, the avoirdupois pound, the statute mile.
constexpr double kMmPerInch = 25.4;
constexpr double kKgPerPound = 0.45359237;
constexpr double kKmPerMile = 1.609344;

constexpr std::string_view kExemptionAge = "us.fmvss.exemption_age_years";

std::string kinds_text(const std::vector<StateKind>& kinds) {
  std::vector<std::string_view> names;
  for (StateKind k : kinds) names.push_back(to_string(k));
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string from_text(const StateRule& r) {
  switch (r.from_kind) {
    case FromKind::effective:
      return fmt::format("since {}", r.from.str());
    case FromKind::approximate:
      return fmt::format("since about {}", r.from.str());
    case FromKind::in_force_by:
      return fmt::format("in force by {} (start not recorded)", r.from.str());
  }
  return "";
}

Citation cite(const Jurisdiction& j, const StateRule& r) {
  Citation c;
  c.parameter = fmt::format("us.states.{} ({} rule, {})", j.code, kinds_text(r.kinds), to_string(r.basis));
  c.in_force_since = r.from;
  c.ref = r.ref;
  c.confidence = r.confidence;
  c.checked = r.checked;
  c.note = r.note;
  return c;
}

Reason reason(Outcome o, std::string check, std::string text, std::optional<Citation> c = std::nullopt) {
  return Reason{o, std::move(check), std::move(text), std::move(c)};
}

Answer road_use_of(RoadStatus s) {
  switch (s) {
    case RoadStatus::unrestricted:
    case RoadStatus::restricted:
      return Answer::yes;
    case RoadStatus::off_road_only:
    case RoadStatus::prohibited:
      return Answer::no;
    case RoadStatus::unknown:
      return Answer::unknown;
  }
  return Answer::unknown;
}

// One bound of a class definition checked against a vehicle value converted to the statute's unit.
struct BoundCheck {
  std::string_view what;
  std::string_view field;  // the vehicle field that would settle it
  std::optional<double> value;
  std::optional<double> min, max;
  std::string_view unit;
  std::optional<double> implied_max;  // the most the value can be (kei limit), when the value is unknown
  double scale = 1.0;  // vehicle unit per statute unit (an assumed figure's range is converted)
};

struct Membership {
  Answer in_class = Answer::yes;
  std::vector<std::string> outside;  // "length 133.7 in > 130 in"
  std::vector<std::string> missing;  // vehicle fields
  std::vector<std::string> implied;  // bounds met because the kei limits imply them
};

// The kei limits (in inches) on a kei model's length, width and height, from its build month.
struct KeiSize {
  std::optional<double> length_in, width_in, height_in;
  std::string basis;  // "as a kei vehicle built 1999-06: ..."
};

Membership check_class(const ClassDefinition& d, const Vehicle& v, const KeiSize& kei) {
  auto opt = [](const auto& o, double scale) -> std::optional<double> {
    if (!o) return std::nullopt;
    return static_cast<double>(*o) / scale;
  };
  const bool electric = v.engine == EngineKind::electric || v.powertrain == Powertrain::battery_electric;
  const std::array<BoundCheck, 7> checks = {{
      {"length", "length_mm", opt(v.length_mm, kMmPerInch), std::nullopt, d.max_length_in, "in",
       kei.length_in, kMmPerInch},
      {"width", "width_mm", opt(v.width_mm, kMmPerInch), d.min_width_in, d.max_width_in, "in", kei.width_in,
       kMmPerInch},
      {"height", "height_mm", opt(v.height_mm, kMmPerInch), std::nullopt, d.max_height_in, "in",
       kei.height_in, kMmPerInch},
      {"curb mass",
       "curb_mass_kg",
       opt(v.curb_mass_kg, kKgPerPound),
       d.min_mass_lb,
       d.max_mass_lb,
       "lb",
       {},
       kKgPerPound},
      {"top speed",
       "top_speed_kmh",
       opt(v.top_speed_kmh, kKmPerMile),
       d.min_top_speed_mph,
       d.max_top_speed_mph,
       "mph",
       {},
       kKmPerMile},
      // An engine limit does not apply to an electric vehicle, nor a motor limit to an engine.
      {"displacement",
       "displacement_cc",
       electric ? std::nullopt : opt(v.displacement_cc, 1.0),
       std::nullopt,
       electric ? std::nullopt : opt(d.max_displacement_cc, 1.0),
       "cc",
       {}},
      {"motor output",
       "power_kw",
       electric ? v.power_kw : std::nullopt,
       std::nullopt,
       electric ? d.max_power_kw : std::nullopt,
       "kW",
       {}},
  }};
  Membership m;
  for (const BoundCheck& c : checks) {
    if (!c.min && !c.max) continue;
    // An assumed figure (no maker's) decides a bound only when its whole range does: otherwise the bound is
    // unknown, and the field that would settle it is named.
    if (const Vehicle::Assumed* a = assumed_figure(v, c.field); a != nullptr && c.value) {
      const bool has_lo = a->low.has_value();
      const double lo = has_lo ? *a->low / c.scale : 0;
      const double hi = a->high ? *a->high / c.scale : *c.value;
      const bool max_met = !c.max || hi <= *c.max + 1e-9;
      const bool max_broken = c.max && has_lo && lo > *c.max + 1e-9;
      const bool min_met = !c.min || (has_lo && lo >= *c.min - 1e-9);
      const bool min_broken = c.min && hi < *c.min - 1e-9;
      const std::string range =
          fmt::format("{}{} {} (assumed)", has_lo ? format_quantity(lo, 1) + " to " : "at most ",
                      format_quantity(hi, 1), c.unit);
      if (max_broken || min_broken) {
        m.outside.push_back(fmt::format("{} {} {} {} {}", c.what, range, max_broken ? ">" : "<",
                                        format_quantity(max_broken ? *c.max : *c.min), c.unit));
      } else if (max_met && min_met) {
        m.implied.push_back(fmt::format("{} {} (limit {}{} {})", c.what, range,
                                        c.max ? "at most " : "at least ",
                                        format_quantity(c.max ? *c.max : *c.min), c.unit));
      } else {
        m.missing.emplace_back(c.field);
      }
      continue;
    }
    if (!c.value) {
      if (!c.min && c.implied_max && *c.implied_max <= *c.max + 1e-9) {
        m.implied.push_back(fmt::format("{} at most {} {} (limit {} {})", c.what,
                                        format_quantity(*c.implied_max, 1), c.unit, format_quantity(*c.max),
                                        c.unit));
      } else {
        m.missing.emplace_back(c.field);
      }
      continue;
    }
    if (c.max && *c.value > *c.max + 1e-9)
      m.outside.push_back(fmt::format("{} {} {} > {} {}", c.what, format_quantity(*c.value, 1), c.unit,
                                      format_quantity(*c.max), c.unit));
    if (c.min && *c.value < *c.min - 1e-9)
      m.outside.push_back(fmt::format("{} {} {} < {} {}", c.what, format_quantity(*c.value, 1), c.unit,
                                      format_quantity(*c.min), c.unit));
  }
  if (!d.bodies.empty()) {
    if (!v.body) {
      m.missing.emplace_back("body");
    } else if (std::find(d.bodies.begin(), d.bodies.end(), *v.body) == d.bodies.end()) {
      m.outside.push_back(fmt::format("body {} is not one the class covers", to_string(*v.body)));
    }
  }
  // An engine vehicle whose engine kind is unknown still has a displacement bound checked; a vehicle whose
  // powertrain is unknown and has no displacement is reported missing above.
  if (!m.outside.empty()) {
    m.in_class = Answer::no;
  } else if (!m.missing.empty()) {
    m.in_class = Answer::unknown;
  }
  return m;
}

std::optional<StateKind> kind_of_body(std::optional<Body> body) {
  if (!body) return std::nullopt;
  switch (*body) {
    case Body::truck:
      return StateKind::truck;
    case Body::van:
      return StateKind::van;
    default:
      return StateKind::car;
  }
}

}  // namespace

Result<StateRoadRule> StateRoadRule::bind(const ParamStore& params, const StateLaw& law) {
  auto age = params.require(kExemptionAge, "years");
  if (!age) return std::unexpected(age.error());
  StateRoadRule rule;
  rule.exemption_age_ = *age;
  for (auto [name, slot] : {std::pair{"jp.kei.max_length_mm", &rule.kei_length_},
                            std::pair{"jp.kei.max_width_mm", &rule.kei_width_},
                            std::pair{"jp.kei.max_height_mm", &rule.kei_height_}}) {
    auto p = params.require(name, "mm");
    if (!p) return std::unexpected(p.error());
    *slot = *p;
  }
  if (auto bound =
          params.require_all({{"us.small_class.in_effect", "bool", &rule.small_class_},
                              {"us.small_class.state_adoption", "bool", &rule.small_adoption_},
                              {"us.small_class.max_posted_mph", "mph", &rule.small_posted_},
                              {"us.small_class.state_kei_rules_apply", "bool", &rule.small_kei_rules_}});
      !bound)
    return std::unexpected(bound.error());
  rule.law_ = &law;
  return rule;
}

Result<StateAnswer> StateRoadRule::answer(const StateQuestion& q, std::string_view code) const {
  const Jurisdiction* j = law_->find(code);
  if (j == nullptr) {
    std::vector<std::string_view> codes;
    for (const auto& n : us_jurisdictions()) codes.push_back(n.code);
    return fail(fmt::format("state: '{}' is not a state code; use one of {}", code, fmt::join(codes, " ")));
  }
  return answer_for(q, *j, entry_part(q));
}

std::vector<StateAnswer> StateRoadRule::answer_all(const StateQuestion& q) const {
  std::vector<StateAnswer> out;
  out.reserve(law_->jurisdictions().size());
  const StateAnswer entry = entry_part(q);
  for (const Jurisdiction& j : law_->jurisdictions()) out.push_back(answer_for(q, j, entry));
  return out;
}

StateAnswer StateRoadRule::entry_part(const StateQuestion& q) const {
  StateAnswer a;
  const Vehicle& v = q.vehicle;

  // 1. How it entered the US decides which kind of state rule applies.
  const ParamValue* age = exemption_age_->at(q.date);
  if (q.entry) {
    a.entry = *q.entry;
    a.reasons.push_back(reason(Outcome::note, "entry",
                               fmt::format("Entered the US as: {} (as given).", to_string(*q.entry))));
  } else if (age == nullptr || age->abolished) {
    a.entry = UsEntry::road;
    a.reasons.push_back(
        reason(Outcome::unknown, "entry",
               fmt::format("No federal age exemption is recorded on {}; answered for a vehicle "
                           "that entered as a road vehicle.",
                           q.date.str())));
  } else if (!v.built) {
    a.entry = UsEntry::road;
    a.missing_fields.push_back("built");
    a.reasons.push_back(reason(
        Outcome::unknown, "entry",
        fmt::format("Build month not given: answered for a vehicle that entered under the {}-year exemption; "
                    "a younger one can only have entered as an off-road vehicle (give --built YYYY-MM).",
                    format_quantity(age->value)),
        Citation::of(*exemption_age_, *age)));
  } else {
    // The first day it could have entered under the exemption as dated law (law/age_exemption.hpp).
    const YearMonth built = *v.built;
    const std::optional<Date> eligible_on =
        law::exemption_date(*exemption_age_, q.date, [built](double years) {
          return built.plus_months(static_cast<int>(std::lround(years * 12))).first_day();
        });
    const bool old_enough = eligible_on && *eligible_on <= q.date;
    const std::string eligible_text = eligible_on ? eligible_on->str() : "no recorded date";
    a.entry = old_enough ? UsEntry::road : UsEntry::off_road;
    a.reasons.push_back(reason(
        old_enough ? Outcome::pass : Outcome::fail, "entry",
        old_enough
            ? fmt::format("Built {}: at least {} years old on {} (since {}), so it may have entered as "
                          "a road vehicle under the age exemption.",
                          v.built->str(), format_quantity(age->value), q.date.str(), eligible_text)
            : fmt::format("Built {}: under {} years old on {} (eligible from {}), so it can only have "
                          "entered as an off-road vehicle.",
                          v.built->str(), format_quantity(age->value), q.date.str(), eligible_text),
        Citation::of(*exemption_age_, *age)));
  }

  return a;
}

StateAnswer StateRoadRule::answer_for(const StateQuestion& q, const Jurisdiction& j, StateAnswer a) const {
  a.code = j.code;
  a.name = j.name;
  a.date = q.date;
  if (a.entry == UsEntry::small_class) return small_class_answer(q, j, std::move(a));
  if (const ParamValue* small = small_class_->in_force(q.date);
      small != nullptr && small->value != 0 && a.entry != UsEntry::lsv) {
    a.reasons.push_back(reason(
        Outcome::note, "small_class",
        fmt::format("A US small-vehicle class is in effect on {} ({}): this answer is for a vehicle that "
                    "entered as {}; for one certified to the class, ask with --entered-as small_class.",
                    q.date.str(), small->origin.empty() ? small->ref : "scenario " + small->origin,
                    to_string(a.entry)),
        Citation::of(*small_class_, *small)));
  }
  return rule_answer(q, j, std::move(a));
}

StateAnswer StateRoadRule::rule_answer(const StateQuestion& q, const Jurisdiction& j, StateAnswer a) const {
  const Vehicle& v = q.vehicle;

  // 2. The kind of rule: by entry, then by body.
  const StateRule* rule = nullptr;
  if (a.entry == UsEntry::off_road) {
    a.kind = StateKind::off_road;
  } else if (a.entry == UsEntry::lsv) {
    a.kind = StateKind::lsv;
  } else if (auto k = kind_of_body(v.body)) {
    a.kind = *k;
  } else {
    // Body unknown: answerable only if trucks, vans and cars share one rule on the date.
    const StateRule* t = j.rule_on(StateKind::truck, q.date);
    if (t != nullptr && t == j.rule_on(StateKind::van, q.date) && t == j.rule_on(StateKind::car, q.date)) {
      rule = t;
    } else {
      a.missing_fields.push_back("body");
      a.reasons.push_back(
          reason(Outcome::unknown, "kind",
                 fmt::format("Body not given, and {} has different rules for trucks, vans and "
                             "cars on {}.",
                             j.name, q.date.str())));
      return a;
    }
  }
  if (a.kind) rule = j.rule_on(*a.kind, q.date);

  if (rule == nullptr) {
    const StateRule* first = a.kind ? j.first_rule(*a.kind) : nullptr;
    if (a.kind == StateKind::off_road) {
      // Federal law already settles road use; the state's off-road registration is not recorded.
      a.status = RoadStatus::off_road_only;
      a.road_use = Answer::no;
      a.reasons.push_back(
          reason(Outcome::fail, "rule",
                 fmt::format("An off-road import may not be registered for public roads; {}'s "
                             "off-road vehicle rules are not recorded here.",
                             j.name)));
    } else {
      a.reasons.push_back(
          reason(Outcome::unknown, "rule",
                 first == nullptr
                     ? fmt::format("No {} rule is recorded for {}.", a.kind ? to_string(*a.kind) : "", j.name)
                     : fmt::format("No {} rule is recorded for {} before {}.", to_string(*a.kind), j.name,
                                   first->from.str())));
    }
    return a;
  }

  // 3. The rule in force, and whether the vehicle fits the class it is written for.
  a.rule = rule;
  a.status = rule->status;
  a.title = rule->title;
  a.registration = rule->registration;
  a.limits = rule->limits;
  a.confidence = rule->confidence;
  a.reasons.push_back(reason(
      Outcome::note, "rule",
      fmt::format("{}: {} for {} {}{}. {}", j.name, to_string(rule->status), kinds_text(rule->kinds),
                  from_text(*rule), rule->basis == RuleBasis::policy ? " (agency policy, not statute)" : "",
                  rule->conditions),
      cite(j, *rule)));

  if (rule->definition) {
    const ClassDefinition& d = *rule->definition;
    KeiSize kei;
    if (q.kei_model && v.built) {
      const Date built = v.built->first_day();
      auto inches = [&](const Parameter* p) -> std::optional<double> {
        const ParamValue* pv = p->at(built);
        if (pv == nullptr || pv->abolished) return std::nullopt;
        return pv->value / kMmPerInch;
      };
      kei = KeiSize{inches(kei_length_), inches(kei_width_), inches(kei_height_), ""};
    }
    const Membership m = check_class(d, v, kei);
    if (!m.implied.empty()) {
      a.reasons.push_back(
          reason(Outcome::pass, "class_size",
                 fmt::format("Size not given, but as a kei vehicle built {} it is within the kei "
                             "limits then in force ({}): {}.",
                             v.built->str(), "jp.kei.max_length_mm, max_width_mm, max_height_mm",
                             fmt::join(m.implied, "; "))));
    }
    a.in_class = m.in_class == Answer::yes  ? std::optional(true)
                 : m.in_class == Answer::no ? std::optional(false)
                                            : std::nullopt;
    if (m.in_class == Answer::no) {
      a.status = d.outside;
      a.title = a.registration = Answer::unknown;
      a.limits = RoadLimits{};
      a.reasons.push_back(reason(
          Outcome::fail, "class",
          fmt::format("Outside the {} ({}); {}: {}.", d.name, fmt::join(m.outside, "; "),
                      to_string(d.outside),
                      d.outside_note.empty() ? "how the state treats it is not settled" : d.outside_note),
          cite(j, *rule)));
    } else if (m.in_class == Answer::unknown) {
      a.missing_fields.insert(a.missing_fields.end(), m.missing.begin(), m.missing.end());
      if (d.outside != rule->status) {
        a.if_in_class = rule->status;
        a.status = RoadStatus::unknown;
        a.title = a.registration = Answer::unknown;
      }
      a.reasons.push_back(reason(
          Outcome::unknown, "class",
          fmt::format("Whether it is a {} is not known ({} not given): {} if it is, {} if "
                      "not.",
                      d.name, fmt::join(m.missing, ", "), to_string(rule->status), to_string(d.outside)),
          cite(j, *rule)));
    } else {
      a.reasons.push_back(
          reason(Outcome::pass, "class", fmt::format("Fits the {}.", d.name), cite(j, *rule)));
    }
  }

  // 4. A grandfather clause for earlier registrations.
  if (rule->grandfather && a.in_class != false) {
    const Grandfather& g = *rule->grandfather;
    if (q.registered_on && *q.registered_on < g.registered_before) {
      a.grandfathered = true;
      a.status = g.status;
      a.limits = g.limits;
      a.title = Answer::yes;
      a.registration = Answer::yes;
      a.transferable = g.transferable;
      a.reasons.push_back(
          reason(Outcome::pass, "grandfather",
                 fmt::format("Registered {} (before {}): keeps its registration{}. {}",
                             q.registered_on->str(), g.registered_before.str(),
                             g.transferable ? "" : ", which cannot pass to a buyer", g.conditions),
                 cite(j, *rule)));
    } else {
      a.reasons.push_back(
          reason(Outcome::note, "grandfather",
                 fmt::format("A registration made before {} is treated differently ({}): give "
                             "--registered-on if this vehicle has one. {}",
                             g.registered_before.str(), to_string(g.status), g.conditions),
                 cite(j, *rule)));
    }
  }

  // 5. Equipment the rule requires.
  a.road_use = road_use_of(a.status);
  if (a.status == RoadStatus::restricted) a.road_use_scope = road_use_scope(a.limits);
  if (a.status == RoadStatus::restricted && a.limits.governor_mph) {
    if (!q.governor_mph) {
      a.reasons.push_back(
          reason(Outcome::note, "governor",
                 fmt::format("Requires a speed governor at {} mph or less (give --governor-mph).",
                             *a.limits.governor_mph)));
    } else if (*q.governor_mph > *a.limits.governor_mph) {
      a.road_use = Answer::no;
      a.reasons.push_back(reason(Outcome::fail, "governor",
                                 fmt::format("Governed to {} mph, above the {} mph the rule requires.",
                                             *q.governor_mph, *a.limits.governor_mph)));
    } else {
      a.reasons.push_back(reason(Outcome::pass, "governor",
                                 fmt::format("Governed to {} mph (at most {} mph required).", *q.governor_mph,
                                             *a.limits.governor_mph)));
    }
  }
  if (rule->confidence == Confidence::low) {
    a.reasons.push_back(
        reason(Outcome::note, "confidence",
               fmt::format("Low confidence: the sources are secondary or conflicting; verify with "
                           "{}'s motor vehicle agency before relying on it.",
                           j.name)));
  }
  return a;
}

std::string road_use_scope(const RoadLimits& l) {
  // A rule that opens public roads only by local act or for one use must not read as "driven: yes".
  std::vector<std::string_view> only;
  if (l.local_ordinance) only.push_back("on roads a county, city or town opens by ordinance");
  if (l.farm_use_only) only.push_back("for farm work between fields");
  if (l.collector_plates_only) only.push_back("as a collector vehicle (limited use)");
  if (only.empty()) return "";
  return fmt::format("only {}", fmt::join(only, ", and "));
}

StateAnswer StateRoadRule::small_class_answer(const StateQuestion& q, const Jurisdiction& j,
                                              StateAnswer a) const {
  const ParamValue* small = small_class_->in_force(q.date);
  if (small == nullptr || small->value == 0) {
    a.reasons.push_back(reason(Outcome::fail, "small_class",
                               fmt::format("No US small-vehicle class exists on {}: nothing can have entered "
                                           "under it (a scenario such as "
                                           "data/scenarios/us_small_vehicle_class.toml creates one).",
                                           q.date.str())));
    return a;
  }
  auto origin = [](const ParamValue& v) { return v.origin.empty() ? v.ref : "scenario " + v.origin; };
  // A scenario in which every state adopts the class with a posted-speed cap.
  if (const ParamValue* adopt = small_adoption_->in_force(q.date); adopt != nullptr && adopt->value != 0) {
    const ParamValue* cap = small_posted_->in_force(q.date);
    a.status = RoadStatus::restricted;
    a.title = a.registration = a.road_use = Answer::yes;
    a.confidence = adopt->confidence;
    std::string roads = "every public road";
    if (cap != nullptr) {
      a.limits.max_posted_mph = static_cast<int>(std::lround(cap->value));
      roads = fmt::format("roads posted at most {} mph", *a.limits.max_posted_mph);
    } else {
      a.status = RoadStatus::unrestricted;
    }
    a.reasons.push_back(reason(
        Outcome::pass, "small_class",
        fmt::format("A vehicle certified to the US small-vehicle class: {} titles and registers it and opens "
                    "{} to it, as every state does under {}.",
                    j.name, roads, origin(*adopt)),
        Citation::of(*small_adoption_, *adopt)));
    if (cap != nullptr)
      a.reasons.push_back(reason(Outcome::note, "small_class_roads",
                                 fmt::format("The class's road cap: roads posted at most {} mph ({}).",
                                             *a.limits.max_posted_mph, origin(*cap)),
                                 Citation::of(*small_posted_, *cap)));
    return a;
  }
  // A scenario in which the states apply their kei rules, as they stand, to the class: answered as a kei
  // vehicle of its body that entered as a road vehicle.
  if (const ParamValue* kei = small_kei_rules_->in_force(q.date); kei != nullptr && kei->value != 0) {
    a.reasons.push_back(reason(
        Outcome::note, "small_class",
        fmt::format("A vehicle certified to the US small-vehicle class: {} applies to it its rules for kei "
                    "vehicles of its body as they stand ({}).",
                    j.name, origin(*kei)),
        Citation::of(*small_kei_rules_, *kei)));
    a.entry = UsEntry::road;
    StateAnswer out = rule_answer(q, j, std::move(a));
    out.entry = UsEntry::small_class;
    return out;
  }
  // The state files record no rule for the class (it exists only in scenarios), so the answer is unknown,
  // never a guess from the kei-truck rules.
  a.reasons.push_back(reason(
      Outcome::unknown, "small_class",
      fmt::format("A vehicle certified to the US small-vehicle class ({}): {} has no law yet on how such a "
                  "vehicle is titled, registered or driven; a federal class would need state adoption.",
                  small->origin.empty() ? small->ref : "scenario " + small->origin, j.name),
      Citation::of(*small_class_, *small)));
  return a;
}

namespace {

// "a US or state highway": how a reason names the class of road.
std::string_view road_class_phrase(RoadClass c) {
  switch (c) {
    case RoadClass::interstate:
      return "an interstate";
    case RoadClass::limited_access:
      return "a limited-access highway";
    case RoadClass::divided:
      return "a divided highway";
    case RoadClass::highway:
      return "a US or state highway";
    case RoadClass::local:
      break;
  }
  return "a local road";
}

}  // namespace

RoadVerdict StateRoadRule::check_road(const StateAnswer& a, const Road& road) {
  RoadVerdict out;
  const std::string road_name =
      fmt::format("{} posted {} mph", road_class_phrase(road.road_class), road.posted_mph);
  switch (a.status) {
    case RoadStatus::unknown:
      out.reasons.push_back(
          reason(Outcome::unknown, "status", "The vehicle's status in this state is unknown."));
      return out;
    case RoadStatus::prohibited:
    case RoadStatus::off_road_only:
      out.allowed = Answer::no;
      out.reasons.push_back(
          reason(Outcome::fail, "status", fmt::format("{}: no public road use.", to_string(a.status))));
      return out;
    case RoadStatus::unrestricted:
      out.allowed = Answer::yes;
      out.reasons.push_back(
          reason(Outcome::pass, "status",
                 fmt::format("No kei-specific road limit: {} is open under ordinary traffic "
                             "law.",
                             road_name)));
      return out;
    case RoadStatus::restricted:
      break;
  }
  if (a.road_use == Answer::no) {
    out.allowed = Answer::no;
    out.reasons.push_back(reason(Outcome::fail, "equipment", "It lacks equipment the rule requires."));
    return out;
  }
  const RoadLimits& l = a.limits;
  std::vector<std::string> closed;
  const bool controlled =
      road.road_class == RoadClass::interstate || road.road_class == RoadClass::limited_access;
  if (road.road_class == RoadClass::interstate && (l.no_interstate || l.no_limited_access))
    closed.push_back("interstates are closed to it");
  if (controlled && road.road_class != RoadClass::interstate && l.no_limited_access)
    closed.push_back("limited-access highways are closed to it");
  if (road.road_class == RoadClass::divided && l.no_divided)
    closed.push_back("multi-lane divided highways are closed to it");
  if (road.road_class != RoadClass::local && l.no_highways)
    closed.push_back("US and state highways are closed to it");
  if (l.max_posted_mph && road.posted_mph > *l.max_posted_mph)
    closed.push_back(fmt::format("roads posted above {} mph are closed to it", *l.max_posted_mph));
  if (!closed.empty()) {
    out.allowed = Answer::no;
    out.reasons.push_back(reason(Outcome::fail, "road",
                                 fmt::format("Not on {}: {}{}.", road_name, fmt::join(closed, "; "),
                                             l.may_cross ? " (it may cross at an intersection)" : "")));
    return out;
  }
  out.allowed = Answer::yes;
  if (l.local_ordinance)
    out.conditions.push_back("only where the county, city or town has opened the road by ordinance");
  if (l.farm_use_only) out.conditions.push_back("only for farm work, between fields");
  if (l.daylight_only) out.conditions.push_back("daylight only");
  if (l.collector_plates_only) out.conditions.push_back("only as a collector vehicle (limited use)");
  if (l.governor_mph)
    out.conditions.push_back(fmt::format("with a speed governor at {} mph or less", *l.governor_mph));
  out.reasons.push_back(
      reason(Outcome::pass, "road",
             fmt::format("{}{} is within the rule's limits{}.", static_cast<char>(std::toupper(road_name[0])),
                         road_name.substr(1), out.conditions.empty() ? "" : ", under conditions")));
  return out;
}

StatusCounts StateRoadRule::count(const std::vector<StateAnswer>& answers) {
  StatusCounts counts{};
  for (const StateAnswer& a : answers) ++counts[static_cast<size_t>(a.status)];
  return counts;
}

}  // namespace keipath
