// Fuzzes the other CSV tables of the rule base. The first byte of the input chooses the table (its value
// modulo 6, '0'..'5' in the seeds); the rest is the table's text, given to the same parser RuleBase::load
// calls, then bound to the bundled parameters and used:
//   0 law/us/federal/pathway_forms.csv  ImportRule::parse_forms, bind, explain
//   1 law/us/federal/hts_headings.csv   TariffHeadings::parse, DutyRule::bind, match and assess
//   2 market/ports.csv                  CostTables::parse (with the bundled inland table), landed cost
//   3 market/inland_transport.csv       CostTables::parse (with the bundled ports), inland bands
//   4 vehicles/us_reference.csv         OwnershipModel::parse_references, bind, cost of each
//   5 vehicles/crash_partners.csv       CrashPartners::parse, CrashRule::bind, a short simulation
// Every parser is public and takes text, so no file is written: far faster than rewriting one file of a copy
// of data/ and calling RuleBase::load per input, and it reaches the same code past the file read.
#include <string>

#include "fuzz_support.hpp"

namespace {

using namespace keipath;
using fuzz::bundled_text;

// A few vehicles that reach different rows of each table: catalog rows, built in their first month.
const std::vector<Vehicle>& sample_vehicles() {
  static const std::vector<Vehicle> vehicles = [] {
    std::vector<Vehicle> out;
    const auto& entries = fuzz::bundled().catalog().entries();
    for (size_t i = 0; i < entries.size(); i += 7) {
      Vehicle v = entries[i].vehicle;
      v.built = entries[i].produced_from;
      out.push_back(v);
    }
    return out;
  }();
  return vehicles;
}

const std::vector<Date>& sample_dates() {
  static const std::vector<Date> dates = {*Date::parse("1999-06-01"), *Date::parse("2025-04-03"),
                                          *Date::parse("2026-03-01"), fuzz::fixed_today()};
  return dates;
}

void landed_costs(const LandedCostModel& model) {
  for (const Vehicle& v : sample_vehicles()) {
    for (const auto& port : model.tables().ports()) {
      for (const FreightMode mode : {FreightMode::roro, FreightMode::container}) {
        LandedCostQuestion q;
        q.vehicle = v;
        q.entry = fuzz::fixed_today();
        q.price_jpy = 500'000;
        q.port = port.code;
        q.mode = mode;
        q.inland_miles = 700;
        (void)model.compute(q);
      }
    }
  }
}

void pathway_forms(std::string_view text, const RuleBase& base) {
  auto forms = ImportRule::parse_forms(text, "pathway_forms.csv");
  if (!forms) return;
  auto rule = ImportRule::bind(base.params(), std::move(*forms));
  if (!rule) return;
  for (const Vehicle& v : sample_vehicles()) {
    for (const Date d : sample_dates()) (void)rule->explain(v, d);
  }
}

void tariff_headings(std::string_view text, const RuleBase& base) {
  auto headings = TariffHeadings::parse(text, "hts_headings.csv", base.params());
  if (!headings) return;
  auto duties = DutyRule::bind(base.params(), std::move(*headings));
  if (!duties) return;
  for (const Vehicle& v : sample_vehicles()) {
    std::vector<std::string> missing;
    for (const TariffHeading* h : duties->headings().match(v, &missing)) {
      for (const Date d : sample_dates()) (void)duties->assess(*h, *v.built, d, Money::from_cents(300'000));
    }
  }
  for (const TariffHeading& h : duties->headings().all()) (void)duties->headings().find(h.heading);
  auto tables = CostTables::parse(bundled_text("market/ports.csv"), "ports.csv",
                                  bundled_text("market/inland_transport.csv"), "inland_transport.csv");
  if (!tables) return;
  if (auto model = LandedCostModel::bind(base.params(), std::move(*tables), *duties)) landed_costs(*model);
}

void cost_tables(std::string_view ports, std::string_view inland, const RuleBase& base) {
  auto tables = CostTables::parse(ports, "ports.csv", inland, "inland_transport.csv");
  if (!tables) return;
  for (const int miles : {0, 1, 499, 500, 501, 5'000, 1'000'000}) (void)tables->inland_band(miles);
  for (const auto& port : tables->ports()) (void)tables->port(port.code);
  if (auto model = LandedCostModel::bind(base.params(), std::move(*tables), base.duties()))
    landed_costs(*model);
}

void references(std::string_view text, const RuleBase& base) {
  auto refs = OwnershipModel::parse_references(text, "us_reference.csv");
  if (!refs) return;
  const std::vector<ReferenceVehicle> kept = *refs;
  auto model = OwnershipModel::bind(base.params(), std::move(*refs));
  if (!model) return;
  for (const ReferenceVehicle& r : kept) {
    const OwnedVehicle owned = model->reference(r);
    for (const int years : {1, 5, 10}) {
      OwnershipTerms terms;
      terms.start = fuzz::fixed_today();
      terms.years = years;
      (void)model->cost(owned, terms, false);
    }
  }
}

void crash_partners(std::string_view text, const RuleBase& base) {
  auto partners = CrashPartners::parse(text, "crash_partners.csv");
  if (!partners) return;
  auto rule = CrashRule::bind(base.params(), std::move(*partners));
  if (!rule) return;
  const auto fleet = rule->partners().fleet();
  if (!fleet.empty())
    (void)rule->simulate(700, true, fleet, fuzz::fixed_today(), SimulationOptions{2, 64, 1, 1});
  for (const CrashPartner& p : rule->partners().all()) {
    (void)rule->simulate(700, true, {&p}, fuzz::fixed_today(), SimulationOptions{1, 16, 1, 1});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const RuleBase& base = fuzz::bundled();
  const std::string_view text = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      pathway_forms(text, base);
      break;
    case 1:
      tariff_headings(text, base);
      break;
    case 2: {
      static const std::string inland = bundled_text("market/inland_transport.csv");
      cost_tables(text, inland, base);
      break;
    }
    case 3: {
      static const std::string ports = bundled_text("market/ports.csv");
      cost_tables(ports, text, base);
      break;
    }
    case 4:
      references(text, base);
      break;
    default:
      crash_partners(text, base);
  }
  return 0;
}
