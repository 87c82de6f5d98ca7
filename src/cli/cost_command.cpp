// `keipath cost`: the landed cost of a vehicle bought in Japan, line by line with where each figure comes
// from, the duties on the entry date, and (--duty-windows) the duty in every tariff window.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "keipath/csv.hpp"
#include "keipath/ownership.hpp"
#include "keipath/text.hpp"

namespace keipath::cli {
namespace {

struct CostOptions {
  CommonOptions common;
  VehicleOptions vehicle;
  NumberOption price_jpy{{0, 1e12, true, true}};
  bool price_includes_tax = false;
  NumberOption jpy_per_usd{{1, 10'000}};
  std::string freight = "roro";
  std::string port = "USLAX";
  NumberOption inland_miles{{0, 6'000, false, true}};
  bool agent_commission_dutiable = false;
  std::string heading;
  std::vector<std::string> set;
  bool duty_windows = false;
  // Ownership (printed when --years is given).
  NumberOption years{{1, 30, false, true}};
  NumberOption miles_per_year{{0, 100'000, false, true}};
  NumberOption km_per_l{{0, 100, true}};
  std::string cycle;
  NumberOption mpg{{0, 200, true}};
  NumberOption wh_per_km{{0, 1'000, true}};
  NumberOption insurance_usd{{0, 1e6}};
  NumberOption depreciation_percent{{0, 100}};
  NumberOption registration_usd{{0, 1e6}};
  std::vector<std::string> compare;
};

// The kei vehicle's on-road energy use: --mpg, or --km-per-l with --cycle, or --wh-per-km, or the catalog's
// figure.
Result<EnergyUse> kei_energy(const CostOptions& o, const OwnershipModel& m, const ChosenVehicle& chosen,
                             Date on) {
  auto mpg = o.mpg.get();
  if (!mpg) return std::unexpected(mpg.error());
  auto km_per_l = o.km_per_l.get();
  if (!km_per_l) return std::unexpected(km_per_l.error());
  auto wh_per_km = o.wh_per_km.get();
  if (!wh_per_km) return std::unexpected(wh_per_km.error());
  if (*mpg) return OwnershipModel::from_us_mpg(**mpg, "given, on the road");
  if (*km_per_l) {
    if (o.cycle.empty())
      return fail("--km-per-l needs --cycle (wltc, jc08 or 10-15): the on-road ratio depends on it");
    auto cycle = parse_test_cycle(o.cycle);
    if (!cycle) return fail(fmt::format("--cycle: {}", cycle.error().message));
    auto e = m.from_japanese_cycle(**km_per_l, *cycle, on);
    if (!e) return fail(fmt::format("--km-per-l: {}", e.error().message));
    return e;
  }
  if (*wh_per_km) {
    auto e = m.from_japanese_ev(**wh_per_km, on);
    if (!e) return fail(fmt::format("--wh-per-km: {}", e.error().message));
    return e;
  }
  if (chosen.entry != nullptr) {
    const CatalogEconomy c = parse_catalog_economy(chosen.entry->fuel_economy);
    const bool electric = chosen.vehicle.powertrain == Powertrain::battery_electric;
    if (electric && c.wh_per_km) return m.from_japanese_ev(*c.wh_per_km, on);
    if (!electric && c.km_per_l && c.cycle) return m.from_japanese_cycle(*c.km_per_l, *c.cycle, on);
  }
  return fail(
      fmt::format("the fuel economy of {} is not known: give --km-per-l N --cycle wltc|jc08|10-15, --mpg N "
                  "(on the road), or --wh-per-km N for an EV",
                  chosen.vehicle.display_name()));
}

// --set ID=AMOUNT: yen for the Japan-side lines, dollars for the others.
Result<void> apply_sets(const std::vector<std::string>& sets, LandedCostQuestion& q) {
  const auto yen_ids = LandedCostModel::jpy_line_ids();
  for (const std::string& s : sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos) return fail(fmt::format("--set: '{}' is not ID=AMOUNT", s));
    const std::string id = s.substr(0, eq);
    const std::string amount = s.substr(eq + 1);
    if (std::find(yen_ids.begin(), yen_ids.end(), id) != yen_ids.end()) {
      auto m = Money::parse(amount);  // whole yen: the parser's unit is irrelevant, only the number
      if (!m) return fail(fmt::format("--set {}: {}", id, m.error().message));
      if (m->cents % 100 != 0) return fail(fmt::format("--set {}: yen are whole numbers", id));
      q.set_jpy[id] = m->cents / 100;
    } else {
      auto m = Money::parse(amount);
      if (!m) return fail(fmt::format("--set {}: {}", id, m.error().message));
      q.set_usd[id] = *m;
    }
  }
  return {};
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

std::string rate_text(double settled, double unsettled) {
  return unsettled > 0 ? fmt::format("{} % (+{} % unsettled)", format_quantity(settled, 4),
                                     format_quantity(unsettled, 4))
                       : fmt::format("{} %", format_quantity(settled, 4));
}

void print_windows(const RuleBase& base, const LandedCost& c, const Vehicle& v) {
  const DutyRule& rule = base.duties();
  const std::vector<Date> starts = rule.window_starts(*Date::parse("2025-01-01"), *Date::parse("2027-12-31"));
  fmt::print("\nDuty under {} by tariff window (customs value {}, built {}):\n", c.duties.heading->heading,
             c.customs_value.str(), v.built->str());
  fmt::print("  {:<12} {:<12} {:<28} {}\n", "from", "to", "rate", "lines");
  for (size_t i = 0; i < starts.size(); ++i) {
    const DutyDetermination d = rule.assess(*c.duties.heading, *v.built, starts[i], c.customs_value);
    std::vector<std::string> parts;
    for (const DutyLine& l : d.lines) {
      if (l.status != DutyStatus::not_applicable)
        parts.push_back(fmt::format("{} {} %{}", l.id, format_quantity(l.rate_percent, 4),
                                    l.status == DutyStatus::unsettled ? "?" : ""));
    }
    const std::string to = i + 1 < starts.size() ? starts[i + 1].plus_days(-1).str() : "";
    fmt::print("  {:<12} {:<12} {:<28} {}\n", starts[i].str(), to,
               rate_text(d.settled_percent, d.unsettled_percent), fmt::join(parts, ", "));
  }
  fmt::print("  (\"?\": unsettled, not counted in the settled rate)\n");
}

struct OwnershipTable {
  std::vector<OwnershipCost> costs;  // the kei vehicle first
  int miles_per_year = 0;
};

Result<OwnershipTable> ownership_table(const CostOptions& o, const RuleBase& base,
                                       const ChosenVehicle& chosen, const LandedCost& landed, int years) {
  const OwnershipModel& m = base.ownership();
  OwnershipTerms terms;
  terms.start = landed.entry;
  terms.years = years;
  auto miles = o.miles_per_year.get();
  auto insurance = o.insurance_usd.get();
  auto depreciation = o.depreciation_percent.get();
  auto registration = o.registration_usd.get();
  for (const auto* r : {&miles, &insurance, &depreciation, &registration})
    if (!*r) return std::unexpected(r->error());
  if (*miles) terms.miles_per_year = static_cast<int>(**miles);
  if (*insurance) terms.insurance_per_year = Money::from_dollars(**insurance);
  if (*depreciation) terms.depreciation_percent_per_year = **depreciation;
  if (*registration) terms.registration_per_year = Money::from_dollars(**registration);
  auto energy = kei_energy(o, m, chosen, landed.entry);
  if (!energy) return std::unexpected(energy.error());
  OwnedVehicle kei;
  kei.id = "kei";
  kei.name = chosen.vehicle.display_name();
  kei.purchase = landed.total;
  kei.purchase_basis = "the landed cost above (settled total)";
  kei.energy = *energy;
  kei.cover = InsuranceCover::minimum;
  // An old import (entered under the age exemption) loses value at the old-import rate; a vehicle that could
  // only enter another way is depreciated like a new one.
  const ImportDetermination entry = base.import_pathways().explain(chosen.vehicle, landed.entry);
  const auto age_exemption = std::find_if(entry.pathways.begin(), entry.pathways.end(),
                                          [](const Pathway& p) { return p.id == "fmvss_25_year"; });
  kei.new_vehicle =
      age_exemption == entry.pathways.end() || age_exemption->status != PathwayStatus::available;
  OwnershipTable table;
  auto kei_cost = m.cost(kei, terms, /*kei=*/true);
  if (!kei_cost) {
    return fail(name_options(kei_cost.error().message,
                             {{"years", "--years"}, {"miles_per_year", "--miles-per-year"}}));
  }
  table.costs.push_back(std::move(*kei_cost));
  for (const ReferenceVehicle& r : m.references()) {
    if (!o.compare.empty() && std::find(o.compare.begin(), o.compare.end(), r.id) == o.compare.end())
      continue;
    auto c = m.cost(m.reference(r), terms, /*kei=*/false);
    if (!c) return std::unexpected(c.error());
    table.costs.push_back(std::move(*c));
  }
  for (const std::string& id : o.compare) {
    const auto& refs = m.references();
    if (std::none_of(refs.begin(), refs.end(), [&](const ReferenceVehicle& r) { return r.id == id; })) {
      std::vector<std::string_view> ids;
      for (const ReferenceVehicle& r : refs) ids.push_back(r.id);
      return fail(
          fmt::format("--compare: '{}' is not a reference vehicle (one of {})", id, fmt::join(ids, ", ")));
    }
  }
  table.miles_per_year = table.costs.front().miles / years;
  return table;
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

void print_ownership(const OwnershipTable& t, int years, Date start) {
  fmt::print("\nCost of ownership over {} years and {} miles ({} a year), from {}:\n", years,
             format_quantity(t.costs.front().miles), format_quantity(t.miles_per_year), start.str());
  fmt::print("  {:<22}", "");
  for (const OwnershipCost& c : t.costs) fmt::print(" {:>16}", c.id);
  fmt::print("\n");
  const std::array<std::pair<std::string_view, std::string_view>, 6> rows = {
      {{"purchase", "purchase"},
       {"residual", "value left"},
       {"energy", "energy"},
       {"insurance", "insurance"},
       {"maintenance", "maintenance"},
       {"registration", "registration"}}};
  for (const auto& [id, label] : rows) {
    const bool any = std::any_of(t.costs.begin(), t.costs.end(), [&](const OwnershipCost& c) {
      return std::any_of(c.lines.begin(), c.lines.end(), [&](const OwnershipLine& l) { return l.id == id; });
    });
    if (!any) continue;
    fmt::print("  {:<22}", label);
    for (const OwnershipCost& c : t.costs) {
      const auto it =
          std::find_if(c.lines.begin(), c.lines.end(), [&](const OwnershipLine& l) { return l.id == id; });
      fmt::print(" {:>16}", it == c.lines.end() ? "-" : it->amount.str());
    }
    fmt::print("\n");
  }
  fmt::print("  {:<22}", "TOTAL");
  for (const OwnershipCost& c : t.costs) fmt::print(" {:>16}", c.total.str());
  fmt::print("\n  {:<22}", "per mile");
  for (const OwnershipCost& c : t.costs) fmt::print(" {:>16}", c.per_mile().str());
  fmt::print("\n\n");
  for (const OwnershipCost& c : t.costs) fmt::print("  {:<16} {}\n", c.id, c.name);
  fmt::print("\n  Where the {} figures come from:\n", t.costs.front().name);
  for (const OwnershipLine& l : t.costs.front().lines)
    fmt::print("    {:<12} {}{}\n", l.id, l.basis,
               l.confidence == Confidence::unstated ? "" : fmt::format(" [{}]", to_string(l.confidence)));
  fmt::print(
      "  Reference vehicles: data/vehicles/us_reference.csv (prices, EPA fuel economy, sources); "
      "full-coverage "
      "insurance; registration not estimated unless --registration-usd is given.\n");
}

Result<int> run_cost(const CostOptions& o) {
  if (o.common.json && o.common.csv) return fail("--json and --csv: choose one");
  auto base = load_rule_base(o.common);
  if (!base) return std::unexpected(base.error());
  auto date = date_option(o.common);
  if (!date) return std::unexpected(date.error());
  auto chosen = vehicle_from_options(o.vehicle, **base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  LandedCostQuestion q;
  q.vehicle = chosen->vehicle;
  q.entry = *date;
  auto price = o.price_jpy.get();
  if (!price) return std::unexpected(price.error());
  if (!*price) return fail("--price-jpy: required (the purchase price in yen)");
  q.price_jpy = static_cast<int64_t>(**price);
  q.price_includes_consumption_tax = o.price_includes_tax;
  auto fx = o.jpy_per_usd.get();
  if (!fx) return std::unexpected(fx.error());
  q.jpy_per_usd = *fx;
  auto inland = o.inland_miles.get();
  if (!inland) return std::unexpected(inland.error());
  auto years = o.years.get();
  if (!years) return std::unexpected(years.error());
  if (o.freight == "roro") {
    q.mode = FreightMode::roro;
  } else if (o.freight == "container") {
    q.mode = FreightMode::container;
  } else {
    return fail(fmt::format("--freight: '{}' is not roro or container", o.freight));
  }
  q.port = o.port;
  q.inland_miles = static_cast<int>(inland->value_or(0));
  q.agent_commission_dutiable = o.agent_commission_dutiable;
  q.heading = o.heading;
  if (auto set = apply_sets(o.set, q); !set) return std::unexpected(set.error());
  auto cost = (*base)->landed_cost().compute(q);
  if (!cost) {
    // Name the option the user typed for each input the model checks.
    return fail(name_options(cost.error().message, {{"price_jpy", "--price-jpy"},
                                                    {"jpy_per_usd", "--jpy-per-usd"},
                                                    {"port", "--port"},
                                                    {"inland_miles", "--inland-miles"},
                                                    {"set", "--set"},
                                                    {"heading", "--heading"}}));
  }
  const LandedCost& c = *cost;
  const Vehicle& v = q.vehicle;
  std::optional<OwnershipTable> owned;
  if (*years) {
    auto t = ownership_table(o, **base, *chosen, c, static_cast<int>(**years));
    if (!t) return std::unexpected(t.error());
    owned = std::move(*t);
  }
  // A cost for a vehicle that may not enter for road use on the date is hypothetical: say so.
  const ImportDetermination entry = (*base)->import_pathways().explain(v, q.entry);
  std::string admissibility;
  if (!entry.earliest_road_entry) {
    admissibility = "No federal pathway lets this vehicle enter for road use: the cost is hypothetical.";
  } else if (*entry.earliest_road_entry > q.entry) {
    admissibility = fmt::format(
        "Not admissible for road use on {}: the earliest road entry is {} ({}); this cost is "
        "hypothetical until then.",
        q.entry.str(), entry.earliest_road_entry->str(), entry.earliest_road_pathway);
  }

  if (o.common.json) {
    nlohmann::json lines = nlohmann::json::array();
    for (const CostLine& l : c.lines) lines.push_back(line_json(l));
    nlohmann::json reasons = nlohmann::json::array();
    for (const Reason& r : c.reasons) reasons.push_back(reason_json(r));
    for (const Reason& r : c.duties.reasons) reasons.push_back(reason_json(r));
    nlohmann::json others = nlohmann::json::array();
    for (const HeadingTotal& h : c.other_headings)
      others.push_back({{"heading", h.heading->heading}, {"total_usd_cents", h.total.cents}});
    nlohmann::json out = {
        {"entry", c.entry.str()},           {"vehicle", vehicle_json(v)},
        {"price_jpy", q.price_jpy},         {"jpy_per_usd", c.jpy_per_usd},
        {"fx_basis", c.fx_basis},           {"port", c.port->code},
        {"freight", to_string(c.mode)},     {"lines", std::move(lines)},
        {"fob_usd_cents", c.fob.cents},     {"customs_value_usd_cents", c.customs_value.cents},
        {"total_usd_cents", c.total.cents}, {"total_with_unsettled_usd_cents", c.total_high.cents},
        {"duties", duties_json(c.duties)},  {"other_headings", std::move(others)},
        {"reasons", std::move(reasons)}};
    out = answers::stamped("landed_cost", std::move(out), **base);
    out["admissibility"] = admissibility.empty() ? nlohmann::json(nullptr) : nlohmann::json(admissibility);
    if (owned)
      out["ownership"] = {{"years", static_cast<int>(**years)}, {"vehicles", ownership_json(*owned)}};
    fmt::print("{}\n", out.dump(2));
    return kExitAnswer;
  }
  if (o.common.csv) {
    fmt::print("id,group,label,jpy,usd,in_total,in_customs_value,overridden,confidence,basis\n");
    for (const CostLine& l : c.lines) {
      fmt::print("{},{},{},{},{:.2f},{},{},{},{},{}\n", l.id, l.group, csv_escape(l.label),
                 l.yen ? std::to_string(*l.yen) : "", l.amount.dollars(), l.in_total ? "yes" : "no",
                 l.in_customs_value ? "yes" : "no", l.overridden ? "yes" : "no", to_string(l.confidence),
                 csv_escape(l.basis));
    }
    fmt::print("total,,settled total,,{:.2f},,,,,\n", c.total.dollars());
    return kExitAnswer;
  }

  fmt::print("Landed cost of {} ({}, built {}) bought for ¥{}, entered {} at {} ({}) by {}\n",
             v.display_name(), v.body ? to_string(*v.body) : "?", v.built->str(),
             format_quantity(static_cast<double>(q.price_jpy)), c.entry.str(), c.port->code, c.port->name,
             to_string(c.mode));
  fmt::print("Exchange rate: ¥{} per $ ({})\n", format_quantity(c.jpy_per_usd, 4), c.fx_basis);
  if (!admissibility.empty()) fmt::print("WARNING: {}\n", admissibility);
  fmt::print("\n");
  fmt::print("  {:<9} {:<52} {:>12}  {}\n", "group", "line", "amount", "where it comes from");
  for (const CostLine& l : c.lines) {
    const std::string label =
        l.yen ? fmt::format("{} (¥{})", l.label, format_quantity(static_cast<double>(*l.yen))) : l.label;
    fmt::print("  {:<9} {:<52} {:>12}  {}{}{}\n", l.group, label, l.amount.str(),
               l.overridden ? "[given] " : "", l.basis,
               l.confidence == Confidence::unstated ? "" : fmt::format(" [{}]", to_string(l.confidence)));
  }
  fmt::print("\n  FOB (Japan side) {} · customs value {}\n", c.fob.str(), c.customs_value.str());
  fmt::print("  TOTAL landed {}{}\n", c.total.str(),
             c.total_high != c.total
                 ? fmt::format(" (up to {} if the unsettled duties apply)", c.total_high.str())
                 : "");
  fmt::print("\nDuties on {}: {}\n", c.entry.str(),
             rate_text(c.duties.settled_percent, c.duties.unsettled_percent));
  for (const Reason& r : c.duties.reasons) fmt::print("  {}\n", r.text);
  for (const DutyLine& l : c.duties.lines)
    fmt::print("  {:<15} {:<15} {}\n", l.id, to_string(l.status), l.reason.text);
  for (const Reason& r : c.reasons) fmt::print("  {}\n", r.text);
  if (o.duty_windows) print_windows(**base, c, v);
  if (owned) print_ownership(*owned, static_cast<int>(**years), c.entry);
  fmt::print(
      "\nNot included: state title, registration and sales tax; storage beyond the free days; an importer's "
      "margin.\n{}\n",
      provenance_line(**base));
  return kExitAnswer;
}

}  // namespace

void add_cost_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<CostOptions>();
  CLI::App* cmd = app.add_subcommand(
      "cost", "What will a vehicle bought in Japan have cost, landed in the US? Duties by tariff window.");
  add_vehicle_options(*cmd, options->vehicle);
  cmd->add_option("--date", options->common.date, "Entry date, YYYY-MM-DD (default: today)");
  options->price_jpy.add(*cmd, "--price-jpy", "Purchase (auction hammer) price in yen")->required();
  cmd->add_flag("--price-includes-tax", options->price_includes_tax,
                "The price includes Japan's consumption tax (a retail price); it is netted out for export");
  options->jpy_per_usd.add(*cmd, "--jpy-per-usd", "Exchange rate (default: the dated default in the data)");
  cmd->add_option("--freight", options->freight, "roro (default) or container");
  cmd->add_option("--port", options->port,
                  "US port of entry, UN/LOCODE (default USLAX; see data/market/ports.csv)");
  options->inland_miles.add(*cmd, "--inland-miles", "Truck delivery from the port, miles (default 0)");
  cmd->add_flag("--agent-commission-dutiable", options->agent_commission_dutiable,
                "The agent acted for the seller: the commission is part of customs value");
  cmd->add_option("--heading", options->heading,
                  "Tariff heading, where the rulings leave it open (e.g. 8703.21.0150)");
  cmd->add_option(
      "--set", options->set,
      "Override a default: ID=AMOUNT, yen for auction_fee, jp_inland, export_customs, agent_commission, "
      "container_packing; dollars for freight, insurance, broker, isf, terminal, inland_delivery");
  cmd->add_flag("--duty-windows", options->duty_windows,
                "Also print the duty in every tariff window since 2025");
  options->years.add(*cmd, "--years", "Also compare the cost of owning it for N years with new US vehicles")
      ->group("Ownership");
  options->miles_per_year.add(*cmd, "--miles-per-year", "Miles a year (default: AAA's 15,000)")
      ->group("Ownership");
  options->km_per_l.add(*cmd, "--km-per-l", "Japanese rated fuel economy, km/L (with --cycle)")
      ->group("Ownership");
  cmd->add_option("--cycle", options->cycle, "Test cycle of --km-per-l: wltc, jc08 or 10-15")
      ->group("Ownership");
  options->mpg.add(*cmd, "--mpg", "On-road US mpg, used as given")->group("Ownership");
  options->wh_per_km.add(*cmd, "--wh-per-km", "EV consumption on WLTC, Wh/km")->group("Ownership");
  options->insurance_usd
      .add(*cmd, "--insurance-usd", "Insurance a year for the kei vehicle (default: liability-only average)")
      ->group("Ownership");
  options->depreciation_percent
      .add(*cmd, "--depreciation-percent", "Value the kei vehicle loses a year, percent")
      ->group("Ownership");
  options->registration_usd.add(*cmd, "--registration-usd", "Registration and fees a year (every vehicle)")
      ->group("Ownership");
  cmd->add_option("--compare", options->compare,
                  "Reference vehicles to compare, comma-separated ids from data/vehicles/us_reference.csv")
      ->delimiter(',')
      ->group("Ownership");
  add_common_options(*cmd, options->common, /*tabular=*/true);
  cmd->callback([options, &action] { action = [options]() { return run_cost(*options); }; });
}

}  // namespace keipath::cli
