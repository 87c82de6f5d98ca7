// The safety question: a vehicle's two-vehicle crash risk against the fleet, one partner and reference
// vehicles, for `keipath safety` and /api/safety.
#include <fmt/format.h>

#include "keipath/answers.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath::answers {
namespace {

constexpr std::array<const char*, 3> kReferences = {"compact_car", "average_new", "ford_f150"};

nlohmann::json interval_json(const Interval& i) {
  return {{"mean", i.mean}, {"lo", i.lo}, {"hi", i.hi}};
}

nlohmann::json summary_json(const RiskSummary& s) {
  nlohmann::json out = nlohmann::json::object();
  const std::array<const char*, kCrashKinds + 1> names = {"frontal", "side", "rear", "all"};
  for (int k = 0; k <= kCrashKinds; ++k) {
    const size_t i = static_cast<size_t>(k);
    out[names[i]] = {{"own_fatal", interval_json(s.own_fatal_params[i])},
                     {"own_fatal_sampling", interval_json(s.own_fatal_sampling[i])},
                     {"partner_fatal", interval_json(s.partner_fatal_params[i])},
                     {"own_mais3", interval_json(s.own_mais3_params[i])},
                     {"partner_mais3", interval_json(s.partner_mais3_params[i])}};
  }
  return out;
}

double midpoint_mass(const CrashPartner& p) {
  return (p.mass_min_kg + p.mass_max_kg) / 2;
}

}  // namespace

Interval risk_ratio(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> r;
  for (size_t d = 1; d < a.size() && d < b.size(); ++d) r.push_back(b[d] > 0 ? a[d] / b[d] : 0);
  return percentile_interval(std::move(r), !a.empty() && !b.empty() && b[0] > 0 ? a[0] / b[0] : 0);
}

Result<SafetyAnswer> answer_safety(const RuleBase& base, const SafetyRequest& r) {
  auto chosen = choose_vehicle(r.vehicle, base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  const Vehicle& v = chosen->vehicle;
  if (!v.curb_mass_kg)
    return fail("vehicle.curb_mass_kg: not known; give the curb mass in kg (the crash model needs it)");
  const CrashRule& rule = base.crash();
  const CrashPartners& table = r.fleet != nullptr ? *r.fleet : rule.partners();
  SafetyAnswer out;
  out.chosen = *chosen;
  out.date = r.date;
  out.fleet_name = r.fleet_name;
  out.partner = table.find(r.partner);
  if (out.partner == nullptr) {
    std::vector<std::string_view> ids;
    for (const CrashPartner& p : table.all()) ids.push_back(p.id);
    return fail(fmt::format("partner: '{}' is not a crash partner (one of {})", quote_for_message(r.partner),
                            fmt::join(ids, ", ")));
  }
  SimulationOptions& sim = out.simulation;
  sim.draws = r.draws;
  sim.samples = r.samples;
  sim.seed = r.seed;
  sim.threads = std::max(1, r.threads);
  out.kei = chosen->entry != nullptr;
  const auto fleet = table.fleet();
  out.vs_fleet = rule.simulate(*v.curb_mass_kg, out.kei, fleet, r.date, sim);
  out.vs_partner = rule.simulate(*v.curb_mass_kg, out.kei, {out.partner}, r.date, sim);
  // The same crashes for each reference vehicle (same seed: common random numbers, so ratios are tight).
  for (const char* id : kReferences) {
    const CrashPartner* ref = table.find(id);
    if (ref == nullptr) continue;
    out.references.emplace_back(ref, rule.simulate(midpoint_mass(*ref), false, fleet, r.date, sim));
  }
  return out;
}

nlohmann::json to_json(const SafetyAnswer& a, const RuleBase& base) {
  nlohmann::json relative = nlohmann::json::array();
  for (const auto& [ref, s] : a.references) {
    relative.push_back(
        {{"reference", ref->id},
         {"reference_curb_kg", midpoint_mass(*ref)},
         {"own_fatal_ratio", interval_json(risk_ratio(a.vs_fleet.own_fatal_by_draw, s.own_fatal_by_draw))},
         {"partner_fatal_ratio",
          interval_json(risk_ratio(a.vs_fleet.partner_fatal_by_draw, s.partner_fatal_by_draw))}});
  }
  nlohmann::json sources = nlohmann::json::array();
  for (const Citation& c : base.crash().citations(a.date)) {
    Reason r{Outcome::note, c.parameter, "", c};
    sources.push_back(reason_json(r)["citation"]);
  }
  const SimulationOptions& sim = a.simulation;
  nlohmann::json out = {
      {"date", a.date.str()},
      {"vehicle", vehicle_json(a.chosen.vehicle)},
      {"kei", a.kei},
      {"against_fleet", summary_json(a.vs_fleet)},
      {"against_partner", {{"partner", a.partner->id}, {"risk", summary_json(a.vs_partner)}}},
      {"relative_to", std::move(relative)},
      {"simulation", {{"draws", sim.draws}, {"samples_per_draw", sim.samples}, {"seed", sim.seed}}},
      {"fleet", a.fleet_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.fleet_name)},
      {"sources", std::move(sources)}};
  out = stamped("safety", std::move(out), base);
  out["provenance"]["seed"] = sim.seed;
  return out;
}

}  // namespace keipath::answers
