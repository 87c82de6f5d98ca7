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
  long long price_jpy = 0;
  bool price_includes_tax = false;
  double jpy_per_usd = 0;
  std::string freight = "roro";
  std::string port = "USLAX";
  int inland_miles = 0;
  bool agent_commission_dutiable = false;
  std::string heading;
  std::vector<std::string> set;
  bool duty_windows = false;
};

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
  if (o.price_jpy <= 0)
    return fail(fmt::format("--price-jpy: {} is not a price (yen, more than 0)", o.price_jpy));
  q.price_jpy = o.price_jpy;
  q.price_includes_consumption_tax = o.price_includes_tax;
  if (o.jpy_per_usd != 0) q.jpy_per_usd = o.jpy_per_usd;
  if (o.freight == "roro") {
    q.mode = FreightMode::roro;
  } else if (o.freight == "container") {
    q.mode = FreightMode::container;
  } else {
    return fail(fmt::format("--freight: '{}' is not roro or container", o.freight));
  }
  q.port = o.port;
  q.inland_miles = o.inland_miles;
  q.agent_commission_dutiable = o.agent_commission_dutiable;
  q.heading = o.heading;
  if (auto set = apply_sets(o.set, q); !set) return std::unexpected(set.error());
  auto cost = (*base)->landed_cost().compute(q);
  if (!cost) {
    // Name the option the user typed for each input the model checks.
    std::string message = cost.error().message;
    for (auto [field, option] : {std::pair{"price_jpy:", "--price-jpy:"},
                                 {"jpy_per_usd:", "--jpy-per-usd:"},
                                 {"port:", "--port:"},
                                 {"inland_miles:", "--inland-miles:"},
                                 {"set:", "--set:"},
                                 {"heading:", "--heading:"}}) {
      if (message.starts_with(field)) message = option + message.substr(std::string_view(field).size());
    }
    return fail(message);
  }
  const LandedCost& c = *cost;
  const Vehicle& v = q.vehicle;
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
        {"reasons", std::move(reasons)},    {"provenance", provenance_json(**base)}};
    out["admissibility"] = admissibility.empty() ? nlohmann::json(nullptr) : nlohmann::json(admissibility);
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
  cmd->add_option("--price-jpy", options->price_jpy, "Purchase (auction hammer) price in yen")->required();
  cmd->add_flag("--price-includes-tax", options->price_includes_tax,
                "The price includes Japan's consumption tax (a retail price); it is netted out for export");
  cmd->add_option("--jpy-per-usd", options->jpy_per_usd,
                  "Exchange rate (default: the dated default in the data)");
  cmd->add_option("--freight", options->freight, "roro (default) or container");
  cmd->add_option("--port", options->port,
                  "US port of entry, UN/LOCODE (default USLAX; see data/market/ports.csv)");
  cmd->add_option("--inland-miles", options->inland_miles, "Truck delivery from the port, miles (default 0)");
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
  add_common_options(*cmd, options->common, /*tabular=*/true);
  cmd->callback([options, &action] { action = [options]() { return run_cost(*options); }; });
}

}  // namespace keipath::cli
