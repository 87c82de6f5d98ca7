// `keipath cost`: the landed cost of a vehicle bought in Japan, line by line with where each figure comes
// from, the duties on the entry date, and (--duty-windows) the duty in every tariff window.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "keipath/csv.hpp"
#include "keipath/text.hpp"

namespace keipath::cli {
namespace {

struct CostOptions {
  CommonOptions common;
  VehicleOptions vehicle;
  CostInputs cost;
  bool duty_windows = false;
};

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

void print_ownership(const answers::OwnershipTable& t, Date start) {
  const int years = t.years;
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
  answers::CostRequest request;
  auto date = date_option(o.common);
  if (!date) return std::unexpected(date.error());
  request.entry = *date;
  request.vehicle = o.vehicle;
  if (auto filled = fill_cost_request(o.cost, request); !filled) return std::unexpected(filled.error());
  auto answered = answers::answer_cost(**base, request);
  if (!answered) return fail(cost_option_names(answered.error().message, o.vehicle));
  const answers::CostAnswer& a = *answered;
  const LandedCost& c = a.landed;
  const LandedCostQuestion& q = a.question;
  const Vehicle& v = q.vehicle;
  const std::string& admissibility = a.admissibility;
  const std::optional<answers::OwnershipTable>& owned = a.ownership;

  if (o.common.json) {
    fmt::print("{}\n", answers::to_json(a, **base).dump(2));
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
  print_assumed(v);
  fmt::print("Exchange rate: ¥{} per $ ({})\n", format_quantity(c.jpy_per_usd, 4), c.fx_basis);
  if (!c.fx_warning.empty()) fmt::print("Warning: {} (--jpy-per-usd)\n", c.fx_warning);
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
  if (owned) print_ownership(*owned, c.entry);
  fmt::print(
      "\nNot included: state title, registration and sales tax; storage beyond the free days; an importer's "
      "margin.\n{}\n",
      provenance_line(**base));
  return kExitAnswer;
}

}  // namespace

// The cost question's input names as the options that set them.
std::string cost_option_names(std::string message, const VehicleOptions& vehicle) {
  return name_options(name_vehicle_options(std::move(message), vehicle),
                      {{"price_jpy", "--price-jpy"},
                       {"jpy_per_usd", "--jpy-per-usd"},
                       {"port", "--port"},
                       {"freight", "--freight"},
                       {"inland_miles", "--inland-miles"},
                       {"set", "--set"},
                       {"heading", "--heading"},
                       {"years", "--years"},
                       {"miles_per_year", "--miles-per-year"},
                       {"km_per_l", "--km-per-l"},
                       {"cycle", "--cycle"},
                       {"mpg", "--mpg"},
                       {"wh_per_km", "--wh-per-km"},
                       {"compare", "--compare"},
                       {"vehicle.model", "--model"},
                       {"vehicle.chassis", "--chassis"},
                       {"vehicle", "keipath"}});
}

// The options as the answer layer's request; option errors name the option.
Result<void> fill_cost_request(const CostInputs& o, answers::CostRequest& r) {
  auto price = o.price_jpy.get();
  if (!price) return std::unexpected(price.error());
  if (*price) r.price_jpy = static_cast<int64_t>(**price);
  r.price_includes_tax = o.price_includes_tax;
  auto fx = o.jpy_per_usd.get();
  if (!fx) return std::unexpected(fx.error());
  r.jpy_per_usd = *fx;
  auto inland = o.inland_miles.get();
  if (!inland) return std::unexpected(inland.error());
  r.inland_miles = static_cast<int>(inland->value_or(0));
  r.freight = o.freight;
  r.port = o.port;
  r.agent_commission_dutiable = o.agent_commission_dutiable;
  r.heading = o.heading;
  r.set = o.set;
  auto years = o.years.get();
  auto miles = o.miles_per_year.get();
  for (const auto* n : {&years, &miles})
    if (!*n) return std::unexpected(n->error());
  if (*years) r.years = static_cast<int>(**years);
  if (*miles) r.miles_per_year = static_cast<int>(**miles);
  const std::array<std::pair<const NumberOption*, std::optional<double>*>, 6> numbers = {
      {{&o.km_per_l, &r.km_per_l},
       {&o.mpg, &r.mpg},
       {&o.wh_per_km, &r.wh_per_km},
       {&o.insurance_usd, &r.insurance_usd},
       {&o.depreciation_percent, &r.depreciation_percent},
       {&o.registration_usd, &r.registration_usd}}};
  for (const auto& [option, field] : numbers) {
    auto v = option->get();
    if (!v) return std::unexpected(v.error());
    *field = *v;
  }
  r.cycle = o.cycle;
  r.compare = o.compare;
  return {};
}

void add_cost_inputs(CLI::App& cmd, CostInputs& in, bool price_required) {
  CLI::Option* price = in.price_jpy.add(cmd, "--price-jpy", "Purchase (auction hammer) price in yen");
  if (price_required) price->required();
  cmd.add_flag("--price-includes-tax", in.price_includes_tax,
               "The price includes Japan's consumption tax (a retail price); it is netted out for export");
  in.jpy_per_usd.add(cmd, "--jpy-per-usd", "Exchange rate (default: the dated default in the data)");
  cmd.add_option("--freight", in.freight, "roro (default) or container");
  cmd.add_option("--port", in.port, "US port of entry, UN/LOCODE (default USLAX; see data/market/ports.csv)");
  in.inland_miles.add(cmd, "--inland-miles", "Truck delivery from the port, miles (default 0)");
  cmd.add_flag("--agent-commission-dutiable", in.agent_commission_dutiable,
               "The agent acted for the seller: the commission is part of customs value");
  cmd.add_option("--heading", in.heading,
                 "Tariff heading, where the rulings leave it open (e.g. 8703.21.0150)");
  cmd.add_option(
      "--set", in.set,
      "Override a default: ID=AMOUNT, yen for auction_fee, jp_inland, export_customs, agent_commission, "
      "container_packing; dollars for freight, insurance, broker, isf, terminal, inland_delivery");
  in.years.add(cmd, "--years", "Also compare the cost of owning it for N years with new US vehicles")
      ->group("Ownership");
  in.miles_per_year.add(cmd, "--miles-per-year", "Miles a year (default: AAA's 15,000)")->group("Ownership");
  in.km_per_l.add(cmd, "--km-per-l", "Japanese rated fuel economy, km/L (with --cycle)")->group("Ownership");
  cmd.add_option("--cycle", in.cycle, "Test cycle of --km-per-l: wltc, jc08 or 10-15")->group("Ownership");
  in.mpg.add(cmd, "--mpg", "On-road US mpg, used as given")->group("Ownership");
  in.wh_per_km.add(cmd, "--wh-per-km", "EV consumption on WLTC, Wh/km")->group("Ownership");
  in.insurance_usd
      .add(cmd, "--insurance-usd", "Insurance a year for the kei vehicle (default: liability-only average)")
      ->group("Ownership");
  in.depreciation_percent.add(cmd, "--depreciation-percent", "Value the kei vehicle loses a year, percent")
      ->group("Ownership");
  in.registration_usd.add(cmd, "--registration-usd", "Registration and fees a year (every vehicle)")
      ->group("Ownership");
  cmd.add_option("--compare", in.compare,
                 "Reference vehicles to compare, comma-separated ids from data/vehicles/us_reference.csv")
      ->delimiter(',')
      ->group("Ownership");
}

void add_cost_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<CostOptions>();
  CLI::App* cmd = app.add_subcommand(
      "cost", "What will a vehicle bought in Japan have cost, landed in the US? Duties by tariff window.");
  add_vehicle_options(*cmd, options->vehicle);
  cmd->add_option("--date", options->common.date, "Entry date, YYYY-MM-DD (default: today)");
  add_cost_inputs(*cmd, options->cost, /*price_required=*/true);
  cmd->add_flag("--duty-windows", options->duty_windows,
                "Also print the duty in every tariff window since 2025");
  add_common_options(*cmd, options->common, /*tabular=*/true);
  cmd->callback([options, &action] { action = [options]() { return run_cost(*options); }; });
}

}  // namespace keipath::cli
