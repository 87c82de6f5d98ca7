// The cost question: landed cost line by line, and the cost of owning the vehicle against new US reference
// vehicles. One implementation for the CLI (`keipath cost`, `keipath check`) and the API (/api/cost,
// /api/check).
#include <fmt/format.h>

#include <algorithm>

#include "keipath/answers.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath::answers {
namespace {

// The kei vehicle's on-road energy use: mpg, or km_per_l with its cycle, or wh_per_km, or the catalog's
// figure.
Result<EnergyUse> kei_energy(const CostRequest& r, const OwnershipModel& m, const ChosenVehicle& chosen,
                             Date on) {
  if (r.mpg) return OwnershipModel::from_us_mpg(*r.mpg, "given, on the road");
  if (r.km_per_l) {
    if (r.cycle.empty())
      return fail("km_per_l: needs cycle (wltc, jc08 or 10-15): the on-road ratio depends on it");
    auto cycle = parse_test_cycle(r.cycle);
    if (!cycle) return fail(fmt::format("cycle: {}", cycle.error().message));
    auto e = m.from_japanese_cycle(*r.km_per_l, *cycle, on);
    if (!e) return fail(fmt::format("km_per_l: {}", e.error().message));
    return e;
  }
  if (r.wh_per_km) {
    auto e = m.from_japanese_ev(*r.wh_per_km, on);
    if (!e) return fail(fmt::format("wh_per_km: {}", e.error().message));
    return e;
  }
  if (chosen.entry != nullptr) {
    const CatalogEconomy c = parse_catalog_economy(chosen.entry->fuel_economy);
    const bool electric = chosen.vehicle.powertrain == Powertrain::battery_electric;
    if (electric && c.wh_per_km) return m.from_japanese_ev(*c.wh_per_km, on);
    if (!electric && c.km_per_l && c.cycle) return m.from_japanese_cycle(*c.km_per_l, *c.cycle, on);
  }
  return fail(
      fmt::format("km_per_l: the fuel economy of {} is not known: give km_per_l with cycle (wltc, jc08 or "
                  "10-15), mpg (on the road), or wh_per_km for an EV",
                  chosen.vehicle.display_name()));
}

// set: ID=AMOUNT, yen for the Japan-side lines, dollars for the others.
Result<void> apply_sets(const std::vector<std::string>& sets, LandedCostQuestion& q) {
  const auto yen_ids = LandedCostModel::jpy_line_ids();
  for (const std::string& s : sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos) return fail(fmt::format("set: '{}' is not ID=AMOUNT", quote_for_message(s)));
    const std::string id = s.substr(0, eq);
    auto m = Money::parse(s.substr(eq + 1));
    if (!m) return fail(fmt::format("set: {}: {}", quote_for_message(id), m.error().message));
    if (std::find(yen_ids.begin(), yen_ids.end(), id) != yen_ids.end()) {
      // Whole yen: the parser's unit is irrelevant, only the number.
      if (m->cents % 100 != 0) return fail(fmt::format("set: {}: yen are whole numbers", id));
      q.set_jpy[id] = m->cents / 100;
    } else {
      q.set_usd[id] = *m;
    }
  }
  return {};
}

Result<OwnershipTable> ownership_table(const CostRequest& r, const RuleBase& base,
                                       const ChosenVehicle& chosen, const LandedCost& landed,
                                       const ImportDetermination& entry, int years) {
  const OwnershipModel& m = base.ownership();
  OwnershipTerms terms;
  terms.start = landed.entry;
  terms.years = years;
  terms.miles_per_year = r.miles_per_year;
  if (r.insurance_usd) terms.insurance_per_year = Money::from_dollars(*r.insurance_usd);
  terms.depreciation_percent_per_year = r.depreciation_percent;
  if (r.registration_usd) terms.registration_per_year = Money::from_dollars(*r.registration_usd);
  const auto& refs = m.references();
  for (const std::string& id : r.compare) {
    if (std::none_of(refs.begin(), refs.end(), [&](const ReferenceVehicle& ref) { return ref.id == id; })) {
      std::vector<std::string_view> ids;
      for (const ReferenceVehicle& ref : refs) ids.push_back(ref.id);
      return fail(fmt::format("compare: '{}' is not a reference vehicle (one of {})", quote_for_message(id),
                              fmt::join(ids, ", ")));
    }
  }
  auto energy = kei_energy(r, m, chosen, landed.entry);
  if (!energy) return std::unexpected(energy.error());  // answer_cost decides whether that is an error
  OwnedVehicle kei;
  kei.id = "kei";
  kei.name = chosen.vehicle.display_name();
  kei.purchase = landed.total;
  kei.purchase_basis = "the landed cost (settled total)";
  kei.energy = *energy;
  kei.cover = InsuranceCover::minimum;
  // An old import (entered under the age exemption) loses value at the old-import rate; a vehicle that could
  // only enter another way is depreciated like a new one.
  const auto age_exemption = std::find_if(entry.pathways.begin(), entry.pathways.end(),
                                          [](const Pathway& p) { return p.id == "fmvss_25_year"; });
  kei.new_vehicle =
      age_exemption == entry.pathways.end() || age_exemption->status != PathwayStatus::available;
  OwnershipTable table;
  table.years = years;
  auto kei_cost = m.cost(kei, terms, /*kei=*/true);
  if (!kei_cost) return std::unexpected(kei_cost.error());
  table.costs.push_back(std::move(*kei_cost));
  for (const ReferenceVehicle& ref : refs) {
    if (!r.compare.empty() && std::find(r.compare.begin(), r.compare.end(), ref.id) == r.compare.end())
      continue;
    auto c = m.cost(m.reference(ref), terms, /*kei=*/false);
    if (!c) return std::unexpected(c.error());
    table.costs.push_back(std::move(*c));
  }
  table.miles_per_year = table.costs.front().miles / years;
  return table;
}

nlohmann::json line_json(const CostLine& l) {
  nlohmann::json out = {{"id", l.id},
                        {"label", l.label},
                        {"group", l.group},
                        {"usd_cents", l.amount.cents},
                        {"usd", l.amount.str()},
                        {"in_total", l.in_total},
                        {"in_customs_value", l.in_customs_value},
                        {"overridden", l.overridden},
                        {"basis", l.basis},
                        {"confidence", to_string(l.confidence)}};
  if (l.yen) out["jpy"] = *l.yen;
  return out;
}

nlohmann::json duties_json(const DutyDetermination& d) {
  nlohmann::json lines = nlohmann::json::array();
  for (const DutyLine& l : d.lines) {
    lines.push_back({{"id", l.id},
                     {"name", l.name},
                     {"status", to_string(l.status)},
                     {"rate_percent", l.rate_percent},
                     {"usd_cents", l.amount.cents},
                     {"reason", reason_json(l.reason)}});
  }
  return {{"entry", d.entry.str()},
          {"heading", d.heading->heading},
          {"customs_value_usd_cents", d.customs_value.cents},
          {"settled_percent", d.settled_percent},
          {"unsettled_percent", d.unsettled_percent},
          {"lines", std::move(lines)}};
}

nlohmann::json ownership_json(const OwnershipTable& t) {
  nlohmann::json out = nlohmann::json::array();
  for (const OwnershipCost& c : t.costs) {
    nlohmann::json lines = nlohmann::json::array();
    for (const OwnershipLine& l : c.lines)
      lines.push_back({{"id", l.id},
                       {"label", l.label},
                       {"usd_cents", l.amount.cents},
                       {"basis", l.basis},
                       {"confidence", to_string(l.confidence)}});
    out.push_back({{"name", c.name},
                   {"id", c.id},
                   {"miles", c.miles},
                   {"lines", std::move(lines)},
                   {"total_usd_cents", c.total.cents},
                   {"per_mile_usd_cents", c.per_mile().cents}});
  }
  return out;
}

}  // namespace

Result<CostAnswer> answer_cost(const RuleBase& base, const CostRequest& r) {
  auto chosen = choose_vehicle(r.vehicle, base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  return answer_cost(base, r, *chosen);
}

Result<LandedCostQuestion> cost_question(const CostRequest& r, const ChosenVehicle& chosen) {
  LandedCostQuestion q;
  q.vehicle = chosen.vehicle;
  q.entry = r.entry;
  q.price_jpy = r.price_jpy.value_or(0);
  q.price_includes_consumption_tax = r.price_includes_tax;
  q.jpy_per_usd = r.jpy_per_usd;
  if (r.freight == "roro") {
    q.mode = FreightMode::roro;
  } else if (r.freight == "container") {
    q.mode = FreightMode::container;
  } else {
    return fail(fmt::format("freight: '{}' is not roro or container", quote_for_message(r.freight)));
  }
  q.port = r.port;
  q.inland_miles = r.inland_miles;
  q.agent_commission_dutiable = r.agent_commission_dutiable;
  q.heading = r.heading;
  if (auto set = apply_sets(r.set, q); !set) return std::unexpected(set.error());
  return q;
}

std::string admissibility(const ImportDetermination& entry, Date on) {
  if (!entry.earliest_road_entry)
    return "No federal pathway lets this vehicle enter for road use: the cost is hypothetical.";
  if (*entry.earliest_road_entry > on) {
    return fmt::format(
        "Not admissible for road use on {}: the earliest road entry is {} ({}); this cost is "
        "hypothetical until then.",
        on.str(), entry.earliest_road_entry->str(), entry.earliest_road_pathway);
  }
  return "";
}

Result<CostAnswer> answer_cost(const RuleBase& base, const CostRequest& r, const ChosenVehicle& chosen) {
  if (!r.price_jpy) return fail("price_jpy: required (the purchase price in yen)");
  auto question = cost_question(r, chosen);
  if (!question) return std::unexpected(question.error());
  CostAnswer out;
  out.chosen = chosen;
  out.question = std::move(*question);
  const LandedCostQuestion& q = out.question;
  auto cost = base.landed_cost().compute(q);
  if (!cost) return std::unexpected(cost.error());
  out.landed = std::move(*cost);
  const ImportDetermination entry = base.import_pathways().explain(q.vehicle, q.entry);
  if (r.years) {
    const bool economy_given = r.mpg || r.km_per_l || r.wh_per_km;
    auto t = ownership_table(r, base, chosen, out.landed, entry, *r.years);
    if (t) {
      out.ownership = std::move(*t);
    } else if (r.ownership_optional && !economy_given &&
               t.error().message.starts_with("km_per_l: the fuel economy")) {
      out.ownership_note = t.error().message.substr(t.error().message.find(": ") + 2);
    } else {
      return std::unexpected(t.error());
    }
  }
  // A cost for a vehicle that may not enter for road use on the date is hypothetical: say so.
  out.admissibility = admissibility(entry, q.entry);
  return out;
}

nlohmann::json to_json(const CostAnswer& a, const RuleBase& base) {
  const LandedCost& c = a.landed;
  nlohmann::json lines = nlohmann::json::array();
  for (const CostLine& l : c.lines) lines.push_back(line_json(l));
  nlohmann::json reasons = nlohmann::json::array();
  for (const Reason& r : c.reasons) reasons.push_back(reason_json(r));
  for (const Reason& r : c.duties.reasons) reasons.push_back(reason_json(r));
  nlohmann::json others = nlohmann::json::array();
  for (const HeadingTotal& h : c.other_headings)
    others.push_back({{"heading", h.heading->heading}, {"total_usd_cents", h.total.cents}});
  nlohmann::json out = {
      {"entry", c.entry.str()},
      {"vehicle", vehicle_json(a.question.vehicle)},
      {"price_jpy", a.question.price_jpy},
      {"jpy_per_usd", c.jpy_per_usd},
      {"fx_basis", c.fx_basis},
      {"fx_warning", c.fx_warning.empty() ? nlohmann::json() : nlohmann::json(c.fx_warning)},
      {"port", c.port->code},
      {"freight", to_string(c.mode)},
      {"lines", std::move(lines)},
      {"fob_usd_cents", c.fob.cents},
      {"customs_value_usd_cents", c.customs_value.cents},
      {"total_usd_cents", c.total.cents},
      {"total_with_unsettled_usd_cents", c.total_high.cents},
      {"duties", duties_json(c.duties)},
      {"other_headings", std::move(others)},
      {"reasons", std::move(reasons)}};
  out["admissibility"] = a.admissibility.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.admissibility);
  out["ownership"] = a.ownership ? nlohmann::json{{"years", a.ownership->years},
                                                  {"miles_per_year", a.ownership->miles_per_year},
                                                  {"vehicles", ownership_json(*a.ownership)}}
                                 : nlohmann::json(nullptr);
  if (!a.ownership_note.empty()) out["ownership_note"] = a.ownership_note;
  return stamped("landed_cost", std::move(out), base);
}

}  // namespace keipath::answers
