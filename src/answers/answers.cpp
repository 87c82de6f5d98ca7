// The questions every front end asks, answered once: the vehicle chosen from a request, then the rule.
#include "keipath/answers.hpp"

#include <fmt/format.h>

namespace keipath::answers {

Result<ChosenVehicle> choose_vehicle(const VehicleRequest& o, const RuleBase& base, Date today) {
  ChosenVehicle chosen;
  Vehicle& v = chosen.vehicle;
  if (!o.model.empty()) {
    std::optional<YearMonth> built;
    if (auto it = o.fields.find("built"); it != o.fields.end()) {
      auto ym = YearMonth::parse(it->second);
      if (!ym) return fail(fmt::format("vehicle.built: {}", ym.error().message));
      built = *ym;
    }
    auto found = base.catalog().lookup(o.model, o.chassis, built);
    if (!found) {
      const std::string& m = found.error().message;
      return fail(m.starts_with("vehicle.") ? m : fmt::format("vehicle.model: {}", m));
    }
    chosen.entry = *found;
    v = chosen.entry->vehicle;
  } else if (!o.chassis.empty()) {
    return fail("vehicle.chassis: needs a model (the catalog is searched by model, then chassis)");
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

Result<ImportAnswer> answer_import(const RuleBase& base, const VehicleRequest& vehicle, Date date) {
  auto chosen = choose_vehicle(vehicle, base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  ImportAnswer a{*chosen, base.import_pathways().explain(chosen->vehicle, date)};
  return a;
}

Result<StatesAnswer> answer_states(const RuleBase& base, const StatesRequest& r) {
  StatesAnswer out;
  StateQuestion& q = out.question;
  q.date = r.date;
  auto chosen = choose_vehicle(r.vehicle, base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  q.vehicle = chosen->vehicle;
  q.kei_model = chosen->entry != nullptr;
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
  return out;
}

}  // namespace keipath::answers
