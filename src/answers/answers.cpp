// The questions every front end asks, answered once: the vehicle chosen from a request, then the rule.
#include "keipath/answers.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath::answers {

Result<ChosenVehicle> choose_vehicle(const VehicleRequest& o, const RuleBase& base, Date today) {
  ChosenVehicle chosen;
  Vehicle& v = chosen.vehicle;
  std::string chassis = o.chassis;
  if (!o.frame.empty()) {
    // A Japanese frame number (車台番号) is the chassis code, a hyphen and a serial; the serial says nothing
    // the catalog holds (not even the build month).
    const size_t hyphen = o.frame.find('-');
    const std::string code = o.frame.substr(0, hyphen);
    if (hyphen == std::string::npos || hyphen == 0 || hyphen + 1 == o.frame.size())
      return fail(fmt::format("vehicle.frame: '{}' is not a frame number (CODE-SERIAL, e.g. DA16T-123456)",
                              quote_for_message(o.frame)));
    if (!chassis.empty() && lower_ascii(chassis) != lower_ascii(code))
      return fail(fmt::format("vehicle.frame: '{}' is chassis {}, but chassis {} was given",
                              quote_for_message(o.frame), code, chassis));
    chassis = code;
  }
  if (!o.model.empty() || !chassis.empty()) {
    std::optional<YearMonth> built;
    if (auto it = o.fields.find("built"); it != o.fields.end()) {
      auto ym = YearMonth::parse(it->second);
      if (!ym) return fail(fmt::format("vehicle.built: {}", ym.error().message));
      built = *ym;
    }
    auto found = base.catalog().lookup(o.model, chassis, built);
    if (!found) {
      const std::string& m = found.error().message;
      if (m.starts_with("vehicle.")) return fail(m);
      return fail(fmt::format("vehicle.{}: {}",
                              o.model.empty() ? (o.frame.empty() ? "chassis" : "frame") : "model", m));
    }
    chosen.entry = *found;
    v = chosen.entry->vehicle;
  } else if (o.fields.empty()) {
    return fail(
        "vehicle: say which vehicle: a catalog model (and chassis), or its measurements (body, length_mm, "
        "...)");
  }
  for (const auto& [field, text] : o.fields) {
    // An empty value is a mistake (an unset shell variable, an empty form field), not "unknown".
    if (text.find_first_not_of(" \t") == std::string::npos)
      return fail(fmt::format("vehicle.{}: empty value", field));
    if (auto set = set_vehicle_field(v, field, text); !set) return std::unexpected(set.error());
  }
  if (auto valid = validate_vehicle(v, today); !valid) return std::unexpected(valid.error());
  if (chosen.entry != nullptr && v.built && !chosen.entry->produced_in(*v.built)) {
    return fail(fmt::format("vehicle.built: {} is outside the production of {} ({})", v.built->str(),
                            v.display_name(), chosen.entry->production_span()));
  }
  return chosen;
}

Result<KeiAnswer> answer_kei(const RuleBase& base, const VehicleRequest& vehicle, Date date) {
  auto chosen = choose_vehicle(vehicle, base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  KeiAnswer a{*chosen, base.kei_class().explain(chosen->vehicle, date)};
  return a;
}

namespace {

// The earliest road entry of each build month of a generation, in order, up to `today`'s month.
template <class F>
void for_each_build_month(const RuleBase& base, const CatalogEntry& entry, Date on, Date today, F&& f) {
  const YearMonth now(today.year(), today.month());
  const YearMonth last = entry.produced_to ? std::min(*entry.produced_to, now) : now;
  Vehicle v = entry.vehicle;
  for (YearMonth m = entry.produced_from; m <= last; m = m.plus_months(1)) {
    v.built = m;
    const ImportDetermination d = base.import_pathways().explain(v, on);
    f(m, d);
  }
}

}  // namespace

ProductionEligibility production_eligibility(const RuleBase& base, const CatalogEntry& entry, Date date,
                                             Date today) {
  ProductionEligibility out;
  out.first_built = entry.produced_from;
  out.last_built = entry.produced_from;
  out.all_eligible = true;
  bool any = false;
  for_each_build_month(base, entry, date, today, [&](YearMonth m, const ImportDetermination& d) {
    if (!any) out.first_eligible = d.earliest_road_entry;
    any = true;
    out.last_built = m;
    out.last_eligible = d.earliest_road_entry;
    if (!d.earliest_road_entry) out.some_never = true;
    if (!d.earliest_road_entry || *d.earliest_road_entry > date) out.all_eligible = false;
  });
  if (!any) out.all_eligible = false;  // production begins after today
  return out;
}

ImportAnswer answer_import(const RuleBase& base, const ChosenVehicle& chosen, Date date) {
  ImportAnswer a{chosen, base.import_pathways().explain(chosen.vehicle, date), std::nullopt};
  if (!chosen.vehicle.built && chosen.entry != nullptr)
    a.production = production_eligibility(base, *chosen.entry, date, Date::today());
  return a;
}

Result<ImportAnswer> answer_import(const RuleBase& base, const VehicleRequest& vehicle, Date date) {
  auto chosen = choose_vehicle(vehicle, base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  return answer_import(base, *chosen, date);
}

CoverageAnswer answer_coverage(const RuleBase& base, Date date) {
  CoverageAnswer out;
  out.date = date;
  auto add_missing = [](std::vector<std::string>& to, const std::vector<std::string>& fields) {
    for (const std::string& f : fields)
      if (std::find(to.begin(), to.end(), f) == to.end()) to.push_back(f);
  };
  for (const CatalogEntry& entry : base.catalog().entries()) {
    CatalogCoverage c;
    c.entry = &entry;
    c.built = entry.produced_from;
    ChosenVehicle chosen;
    chosen.vehicle = entry.vehicle;
    chosen.vehicle.built = c.built;
    chosen.entry = &entry;
    const Vehicle& v = chosen.vehicle;
    const KeiDetermination kei = base.kei_class().explain(v, date);
    c.kei = kei.verdict;
    c.kei_missing = kei.missing_fields;
    c.road_entry = base.import_pathways().explain(v, date).earliest_road_entry;
    const auto headings = base.duties().headings().match(v, &c.duty_missing);
    if (!headings.empty()) c.duty_heading = headings.front()->heading;
    c.catalog_price = entry.price_jpy.has_value();
    CostRequest cost;
    cost.entry = date;
    auto q = cost_question(cost, chosen);
    auto plan = q ? base.landed_cost().plan(*q) : Result<LandedCostPlan>(std::unexpected(q.error()));
    if (!plan) c.cost_problem = plan.error().message.substr(0, plan.error().message.find('\n'));
    StatesRequest states;
    states.date = date;
    if (auto s = answer_states(base, states, chosen)) {
      for (const StateAnswer& a : s->answers) {
        if (a.status != RoadStatus::unknown) continue;
        ++c.states_unknown;
        add_missing(c.states_missing, a.missing_fields);
      }
    }
    out.catalog.push_back(std::move(c));
  }
  for (const Jurisdiction& j : base.state_law().jurisdictions()) {
    JurisdictionCoverage jc{j.code, {}};
    const std::array kinds = {StateKind::truck, StateKind::van, StateKind::car};
    for (size_t k = 0; k < kinds.size(); ++k) jc.rules[k] = j.rule_on(kinds[k], date);
    out.jurisdictions.push_back(std::move(jc));
  }
  return out;
}

EligibleInAnswer answer_eligible_in(const RuleBase& base, YearMonth month, Date today) {
  EligibleInAnswer out;
  out.month = month;
  const Date begin = month.first_day();
  const Date end = month.plus_months(1).first_day();
  for (const CatalogEntry& entry : base.catalog().entries()) {
    std::optional<EligibleGeneration> g;
    for_each_build_month(base, entry, begin, today, [&](YearMonth m, const ImportDetermination& d) {
      if (!d.earliest_road_entry || *d.earliest_road_entry < begin || *d.earliest_road_entry >= end) return;
      if (!g)
        g = EligibleGeneration{
            &entry, m, m, *d.earliest_road_entry, *d.earliest_road_entry, d.earliest_road_pathway};
      g->last_built = m;
      g->last_day = *d.earliest_road_entry;
    });
    if (g) out.generations.push_back(std::move(*g));
  }
  return out;
}

Result<StatesAnswer> answer_states(const RuleBase& base, const StatesRequest& r) {
  auto chosen = choose_vehicle(r.vehicle, base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  return answer_states(base, r, *chosen);
}

Result<StatesAnswer> answer_states(const RuleBase& base, const StatesRequest& r,
                                   const ChosenVehicle& chosen) {
  StatesAnswer out;
  StateQuestion& q = out.question;
  q.date = r.date;
  q.vehicle = chosen.vehicle;
  q.kei_model = chosen.entry != nullptr;
  if (!r.entered_as.empty()) {
    auto e = parse_us_entry(r.entered_as);
    if (!e) return fail(fmt::format("entered_as: {}", e.error().message));
    q.entry = *e;
  }
  if (r.registered_on) {
    if (*r.registered_on > q.date)
      return fail(fmt::format("registered_on: {} is after the date asked about ({})", r.registered_on->str(),
                              q.date.str()));
    q.registered_on = r.registered_on;
  }
  q.governor_mph = r.governor_mph;
  const StateRoadRule& rule = base.state_roads();
  if (!r.state.empty()) {
    auto one = rule.answer(q, r.state);
    if (!one) return std::unexpected(one.error());
    out.answers.push_back(std::move(*one));
  } else {
    out.answers = rule.answer_all(q);
  }
  out.road = r.road;
  for (const StateAnswer& a : out.answers)
    out.roads.push_back(r.road ? std::optional(StateRoadRule::check_road(a, *r.road)) : std::nullopt);
  out.counts = StateRoadRule::count(out.answers);
  for (const StateAnswer& a : out.answers) {
    ++out.confidence_counts[static_cast<size_t>(a.confidence)];
    if (a.rule == nullptr || a.rule->basis == RuleBasis::none) out.secondary_only.push_back(a.code);
  }
  return out;
}

Result<ChangesAnswer> answer_changes(const RuleBase& base, const std::string& state) {
  ChangesAnswer out;
  out.changes = base.state_law().changes();
  if (!state.empty()) {
    const Jurisdiction* j = base.state_law().find(state);
    if (j == nullptr)
      return fail(fmt::format("state: '{}' is not a state code (AL ... WY, DC)", quote_for_message(state)));
    std::erase_if(out.changes, [&](const StateChange& c) { return c.code != j->code; });
  }
  return out;
}

Result<uint64_t> parse_seed(std::string_view text, std::string_view name) {
  uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return fail(fmt::format("{}: '{}' is not a whole number from 0 to 18446744073709551615", name,
                            quote_for_message(text)));
  return seed;
}

Result<double> check_number(std::string_view text, const NumberSpec& spec) {
  std::string s(text);
  // "350,000" is how people write numbers; the commas are only grouping.
  std::erase(s, ',');
  auto value = parse_finite_number(s);
  if (!value) return std::unexpected(value.error());
  const bool low = spec.min_exclusive ? !(*value > spec.min) : !(*value >= spec.min);
  if (low || *value > spec.max) {
    return fail(fmt::format("{} is out of range ({} {}, at most {})", quote_for_message(text),
                            spec.min_exclusive ? "more than" : "at least", format_quantity(spec.min, 6),
                            format_quantity(spec.max, 6)));
  }
  if (spec.whole && *value != std::floor(*value))
    return fail(fmt::format("{} is not a whole number", quote_for_message(text)));
  return value;
}

std::string kei_summary(const KeiDetermination& d) {
  std::vector<std::string> parts;
  for (const KeiFinding& f : d.findings) {
    if (d.verdict == KeiVerdict::not_kei && f.outcome == Outcome::fail) {
      parts.push_back(
          fmt::format("{} over by {} {}", to_string(f.check), format_quantity(*f.excess), f.unit));
    } else if (d.verdict == KeiVerdict::unknown && f.outcome == Outcome::unknown && f.binding) {
      parts.push_back(fmt::format("{} not known", to_string(f.check)));
    }
  }
  switch (d.verdict) {
    case KeiVerdict::kei:
      return "KEI";
    case KeiVerdict::not_kei:
      return d.class_in_effect ? fmt::format("NOT KEI ({})", fmt::join(parts, "; "))
                               : "NOT KEI (the kei class did not exist)";
    case KeiVerdict::unknown:
      return fmt::format("UNKNOWN ({})", fmt::join(parts, "; "));
  }
  return "";
}

std::string limits_phrase(const RoadLimits& l) {
  std::vector<std::string> parts;
  if (l.max_posted_mph) parts.push_back(fmt::format("roads ≤{} mph", *l.max_posted_mph));
  if (l.no_limited_access) {
    parts.emplace_back("no limited-access");
  } else if (l.no_interstate) {
    parts.emplace_back("no interstates");
  }
  if (l.no_divided) parts.emplace_back("no divided highways");
  if (l.no_highways) parts.emplace_back("no US/state highways");
  if (l.local_ordinance) parts.emplace_back("local-ordinance roads only");
  if (l.farm_use_only) parts.emplace_back("farm use only");
  if (l.daylight_only) parts.emplace_back("daylight only");
  if (l.collector_plates_only) parts.emplace_back("collector plates only");
  if (l.governor_mph) parts.push_back(fmt::format("governor ≤{} mph", *l.governor_mph));
  if (l.may_cross && !parts.empty()) parts.emplace_back("may cross");
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace keipath::answers
