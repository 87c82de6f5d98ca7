// Fuzzes dates and vehicle fields. The input is split at '|': the first field goes to Date::parse, the
// second to YearMonth::parse, the rest in turn to set_vehicle_field for each of vehicle_field_names(); then
// validate_vehicle. A vehicle that validates is judged as the CLI would judge it: the kei class on the
// parsed date, the import pathways, the tariff headings, a state's road rules, the landed cost and a short
// crash simulation.
#include "fuzz_support.hpp"
#include "keipath/date.hpp"
#include "keipath/vehicle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace keipath;
  const std::vector<std::string_view> fields = fuzz::split(fuzz::as_text(data, size), '|');
  Date on = fuzz::fixed_today();
  if (auto d = Date::parse(fields[0])) {
    (void)d->str();
    (void)d->ymd();
    on = *d;
  }
  if (fields.size() > 1) {
    if (auto ym = YearMonth::parse(fields[1])) {
      (void)ym->str();
      (void)ym->first_day();
      (void)ym->plus_months(-300).str();
    }
  }
  Vehicle v;
  const auto names = vehicle_field_names();
  for (size_t i = 0; i < names.size() && i + 2 < fields.size(); ++i) {
    if (!set_vehicle_field(v, names[i], fields[i + 2])) continue;
    (void)vehicle_field_text(v, names[i]);
  }
  (void)v.display_name();
  if (!validate_vehicle(v, fuzz::fixed_today())) return 0;

  const RuleBase& base = fuzz::bundled();
  (void)base.kei_class().explain(v, on);
  (void)base.import_pathways().explain(v, on);
  std::vector<std::string> missing;
  (void)base.duties().headings().match(v, &missing);
  StateQuestion q{v, on, std::nullopt, std::nullopt, std::nullopt, false};
  (void)base.state_roads().answer(q, "CO");
  (void)base.state_roads().answer(q, "NC");
  LandedCostQuestion cost;
  cost.vehicle = v;
  cost.entry = on;
  cost.price_jpy = 500'000;
  cost.inland_miles = 120;
  (void)base.landed_cost().compute(cost);
  if (v.curb_mass_kg) {
    const auto fleet = base.crash().partners().fleet();
    (void)base.crash().simulate(*v.curb_mass_kg, true, fleet, on, SimulationOptions{2, 64, 1, 1});
  }
  return 0;
}
