// `keipath safety`: a vehicle's two-vehicle crash risk against the US fleet and against one partner (a Ford
// F-150 by default), relative to reference vehicles, with intervals and the source of every parameter;
// `--table` prints the risk table by own mass x partner mass x impact configuration.
#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/commands.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath::cli {
namespace {

struct SafetyOptions {
  CommonOptions common;
  VehicleOptions vehicle;
  std::string partner = "ford_f150";
  NumberOption draws{answers::kDraws};
  NumberOption samples{answers::kSamples};
  std::optional<std::string> seed;  // a uint64: parsed exactly, not through a double
  NumberOption threads{answers::kThreads};
  bool table = false;
  std::string fleet_file;  // another partner fleet (a scenario), same columns as crash_partners.csv
};

std::string pct(double p) {
  return fmt::format("{:.3f} %", 100 * p);
}
std::string interval(const Interval& i) {
  return fmt::format("{} [{} – {}]", pct(i.mean), pct(i.lo), pct(i.hi));
}

void print_summary(std::string_view title, const RiskSummary& s) {
  fmt::print("{}\n", title);
  fmt::print("  {:<9} {:<34} {:<34} {:<34} {}\n", "crashes", "own occupant dies", "partner occupant dies",
             "own MAIS 3+", "partner MAIS 3+");
  const std::array<const char*, kCrashKinds + 1> names = {"frontal", "side", "rear", "all"};
  for (int k = 0; k <= kCrashKinds; ++k) {
    const size_t i = static_cast<size_t>(k);
    fmt::print("  {:<9} {:<34} {:<34} {:<34} {}\n", names[i], interval(s.own_fatal_params[i]),
               interval(s.partner_fatal_params[i]), interval(s.own_mais3_params[i]),
               interval(s.partner_mais3_params[i]));
  }
  const Interval& sampling = s.own_fatal_sampling[kCrashKinds];
  fmt::print("  sampling error of the overall own-occupant figure: ±{} (95 %)\n",
             pct((sampling.hi - sampling.lo) / 2));
}

Result<int> print_table(const RuleBase& base, Date date) {
  const CrashRule& rule = base.crash();
  fmt::print("own_curb_kg,partner_curb_kg,configuration,own_fatal,partner_fatal,own_mais3,partner_mais3\n");
  const std::array<std::pair<CrashRule::Configuration, const char*>, 5> configs = {
      {{CrashRule::Configuration::frontal, "frontal"},
       {CrashRule::Configuration::side_striking, "side_striking"},
       {CrashRule::Configuration::side_struck, "side_struck"},
       {CrashRule::Configuration::rear_striking, "rear_striking"},
       {CrashRule::Configuration::rear_struck, "rear_struck"}}};
  for (int own = 600; own <= 3000; own += 100) {
    for (int partner = 600; partner <= 3000; partner += 100) {
      for (const auto& [c, name] : configs) {
        const auto cell = rule.expected(own, partner, c, date);
        fmt::print("{},{},{},{:.6g},{:.6g},{:.6g},{:.6g}\n", own, partner, name, cell.own_fatal,
                   cell.partner_fatal, cell.own_mais3, cell.partner_mais3);
      }
    }
  }
  return kExitAnswer;
}

Result<int> run_safety(const SafetyOptions& o) {
  auto base = load_rule_base(o.common);
  if (!base) return std::unexpected(base.error());
  auto date = date_option(o.common);
  if (!date) return std::unexpected(date.error());
  if (o.table) return print_table(**base, *date);
  auto draws = o.draws.get();
  if (!draws) return std::unexpected(draws.error());
  auto samples = o.samples.get();
  if (!samples) return std::unexpected(samples.error());
  auto threads = o.threads.get();
  if (!threads) return std::unexpected(threads.error());
  auto parsed_seed = seed_option(o.seed);
  if (!parsed_seed) return std::unexpected(parsed_seed.error());
  const uint64_t seed = *parsed_seed;
  std::optional<CrashPartners> other_fleet;
  if (!o.fleet_file.empty()) {
    std::ifstream in(o.fleet_file, std::ios::binary);
    if (!in) return fail(fmt::format("--fleet: cannot read {}", o.fleet_file));
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = CrashPartners::parse(text.str(), o.fleet_file);
    if (!parsed) return std::unexpected(parsed.error());
    other_fleet = std::move(*parsed);
  }
  answers::SafetyRequest r;
  r.vehicle = o.vehicle;
  r.date = *date;
  r.partner = o.partner;
  r.draws = static_cast<int>(draws->value_or(100));
  r.samples = static_cast<int64_t>(samples->value_or(200'000));
  r.seed = seed;
  r.threads = *threads ? static_cast<int>(**threads)
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (other_fleet) {
    r.fleet = &*other_fleet;
    r.fleet_name = o.fleet_file;
  }
  auto answered = answers::answer_safety(**base, r);
  if (!answered) {
    return fail(name_options(name_vehicle_options(answered.error().message, o.vehicle),
                             {{"partner", "--partner"},
                              {"vehicle.curb_mass_kg", "--curb-mass-kg"},
                              {"vehicle.model", "--model"},
                              {"vehicle.chassis", "--chassis"},
                              {"vehicle", "keipath"}}));
  }
  const answers::SafetyAnswer& a = *answered;
  const Vehicle& v = a.chosen.vehicle;
  const bool kei = a.kei;
  const SimulationOptions& sim = a.simulation;
  const RiskSummary& vs_fleet = a.vs_fleet;
  const CrashPartner* partner = a.partner;
  const CrashRule& rule = (*base)->crash();
  if (o.common.json) {
    fmt::print("{}\n", answers::to_json(a, **base).dump(2));
    return kExitAnswer;
  }

  fmt::print("{} ({} kg curb{}{}) in two-vehicle crashes, {}\n", v.display_name(), *v.curb_mass_kg,
             is_assumed(v, "curb_mass_kg") ? " (assumed)" : "", kei ? ", kei vehicle" : "", date->str());
  print_assumed(v);
  fmt::print(
      "Probability per crash that an occupant dies or is seriously injured (MAIS 3+), with 95 % intervals "
      "over {} parameter draws ({} collisions each, seed {}).\n\n",
      sim.draws, format_quantity(static_cast<double>(sim.samples)), sim.seed);
  print_summary(
      other_fleet ? fmt::format("Against the fleet in {}:", o.fleet_file)
                  : std::string("Against today's US light-vehicle fleet (data/vehicles/crash_partners.csv):"),
      vs_fleet);
  fmt::print("\n");
  print_summary(fmt::format("Against a {} only:", partner->name), a.vs_partner);
  fmt::print("\nRelative to reference vehicles in the same crashes with the fleet (ratio, 95 % interval):\n");
  for (const auto& [ref, s] : a.references) {
    const Interval own = answers::risk_ratio(vs_fleet.own_fatal_by_draw, s.own_fatal_by_draw);
    const Interval other = answers::risk_ratio(vs_fleet.partner_fatal_by_draw, s.partner_fatal_by_draw);
    fmt::print(
        "  vs {} ({} kg): own-occupant risk x{:.2f} [{:.2f} – {:.2f}]; risk to the partner x{:.2f} [{:.2f} – "
        "{:.2f}]\n",
        ref->name, format_quantity((ref->mass_min_kg + ref->mass_max_kg) / 2), own.mean, own.lo, own.hi,
        other.mean, other.lo, other.hi);
  }
  fmt::print("\nSources (value in force on {}; a range is drawn uniformly):\n", date->str());
  for (const Citation& c : rule.citations(*date)) {
    fmt::print("  {} = {} {} · {} · {}\n", c.parameter, c.value ? format_quantity(*c.value, 4) : "-", c.unit,
               to_string(c.confidence), c.ref);
  }
  fmt::print(
      "  partners: data/vehicles/crash_partners.csv (segment shares and curb-mass ranges, each with its "
      "source)\n\n{} · seed {}\n",
      provenance_line(**base), sim.seed);
  return kExitAnswer;
}

}  // namespace

void add_safety_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<SafetyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "safety",
      "How does a vehicle fare in two-vehicle crashes against the US fleet? (Monte Carlo, with intervals)");
  add_vehicle_options(*cmd, options->vehicle);
  cmd->add_option("--date", options->common.date, "Parameters in force on this date (default: today)");
  cmd->add_option("--partner", options->partner,
                  "A single partner from data/vehicles/crash_partners.csv (default ford_f150)");
  options->draws.add(*cmd, "--draws", "Parameter draws, the first with point values (default 100)");
  options->samples.add(*cmd, "--samples", "Collisions sampled per draw (default 200,000)");
  cmd->add_option_function<std::string>(
         "--seed", [o = options.get()](const std::string& text) { o->seed = text; },
         "Random seed (default 1): the same seed gives the same answer")
      ->type_name("UINT64:[0,18446744073709551615]");
  options->threads.add(*cmd, "--threads", "Threads (default: every core)");
  cmd->add_option("--fleet", options->fleet_file,
                  "Another partner fleet, a CSV like data/vehicles/crash_partners.csv (e.g. "
                  "data/scenarios/fleet_with_kei.csv)");
  cmd->add_flag(
      "--table", options->table,
      "Print the risk table (own curb mass x partner curb mass x configuration) as CSV, without sampling");
  add_common_options(*cmd, options->common, /*tabular=*/false);
  cmd->callback([options, &action] { action = [options]() { return run_safety(*options); }; });
}

}  // namespace keipath::cli
