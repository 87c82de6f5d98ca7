// `keipath simulate [SCENARIO]`: the US light-vehicle fleet to 2050 with Monte Carlo bands. Writes the
// yearly tables (CSV), a JSON document with provenance and the calibration figures, and SVG charts to
// --out; prints the headline figures and how the base year compares with published ones.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/mpi_batch.hpp"
#include "keipath/fleet.hpp"
#include "keipath/rule_base.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath::cli {
namespace {

struct SimulateOptions {
  CommonOptions common;
  std::string scenario;  // positional, the same as --scenario
  NumberOption draws{answers::kDraws};
  std::optional<std::string> seed;
  NumberOption threads{answers::kThreads};
  NumberOption last_year{answers::NumberSpec{2025, 2050, false, true}};
  std::string by;
  std::string out = "simulation";
  bool quiet = false;
  bool with_baseline = false;
  std::string baseline_file;  // empty: the baseline with no scenario
  bool alone = false;         // a scenario without the comparison
};

std::string quantity(double v, const std::string& unit) {
  if (unit == "share") return fmt::format("{:.1f} %", 100 * v);
  const double a = std::abs(v);
  if (a >= 1e12) return fmt::format("{:.3g} T", v / 1e12);
  if (a >= 1e9) return fmt::format("{:.3g} bn", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.3g} M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:.3g} k", v / 1e3);
  if (a >= 1e3) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

// --json: the document just written, as written (one serialiser for the file, stdout and the API).
Result<int> print_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return fail(fmt::format("{}: cannot be read back", file.string()));
  fmt::print("{}", text.str());
  return kExitAnswer;
}

// A bound fleet model over its own rule base (the scenario's or the baseline's).
struct Bound {
  std::unique_ptr<const RuleBase> base;
  std::optional<fleet::FleetModel> model;
};

Result<Bound> bind_model(const CommonOptions& common) {
  Bound b;
  auto base = load_rule_base(common);
  if (!base) return std::unexpected(base.error());
  b.base = std::move(*base);
  auto tables = fleet::FleetTables::load(data_folder(common));
  if (!tables) return std::unexpected(tables.error());
  auto model = fleet::FleetModel::bind(b.base->params(), b.base->crash(), b.base->state_roads(),
                                       b.base->catalog(), std::move(*tables));
  if (!model) return std::unexpected(model.error());
  b.model = std::move(*model);
  return b;
}

// "+12.3 k [+8.1 k-+17 k]"
std::string signed_band(const fleet::Band& b, const std::string& unit) {
  auto one = [&](double v) { return fmt::format("{}{}", v > 0 ? "+" : "", quantity(v, unit)); };
  return fmt::format("{} [{} to {}]", one(b.p50), one(b.p05), one(b.p95));
}

// The headline differences, their bands and the parameters that move them most.
void print_difference(const fleet::FleetModel& model, const fleet::PairedRun& paired,
                      const std::vector<fleet::TornadoRow>& tornado, const std::string& scenario,
                      const std::string& baseline, int ranks) {
  const fleet::FleetRun& d = paired.difference;
  fmt::print("Scenario {} against {}, {}-{} · {} paired draws, seed {}{}\n", scenario, baseline, d.first_year,
             d.last_year, d.draws, d.seed, ranks > 1 ? fmt::format(" · {} MPI ranks", ranks) : "");
  fmt::print(
      "scenario minus baseline, draw by draw on the same random numbers: median [5th to 95th "
      "percentile]\n\n");
  std::vector<int> years;
  for (int y : {2030, 2035, 2040, 2050})
    if (y > d.first_year && y <= d.last_year) years.push_back(y);
  fmt::print("{:<30}", "");
  for (int y : years) fmt::print(" {:>30}", y);
  fmt::print("\n");
  const std::array<int, 11> shown = {fleet::kKeiSales,
                                     fleet::kKeiStock,
                                     fleet::kSales,
                                     fleet::kGasoline,
                                     fleet::kElectricity,
                                     fleet::kCo2,
                                     fleet::kDeaths,
                                     fleet::kDeathsKeiOccupants,
                                     fleet::kDeathsKeiPartners,
                                     fleet::kDeathsNotInvolvingKei,
                                     fleet::kSpendingPerHousehold};
  for (const int m : shown) {
    const auto info = fleet::metric_info(m, model.tables());
    fmt::print("{:<30}", info.id);
    for (int y : years)
      fmt::print(" {:>30}", signed_band(fleet::national_band(d, y - d.first_year, m), info.unit));
    fmt::print("\n");
  }
  fmt::print("{:<30}", "kei_access (scenario)");
  for (int y : years) {
    const auto b = fleet::national_band(paired.scenario, y - d.first_year, fleet::kKeiAccess);
    fmt::print(" {:>30}", fmt::format("{} [{}-{}]", quantity(b.p50, "share"), quantity(b.p05, "share"),
                                      quantity(b.p95, "share")));
  }
  fmt::print("\n");
  if (!tornado.empty()) {
    fmt::print(
        "\nWhat moves the differences most (each parameter at the ends of its range, the rest at their "
        "values):\n");
    for (const int m : {fleet::kKeiSales, fleet::kCo2, fleet::kDeaths})
      for (int y : {2035, 2050}) {
        std::vector<std::string> top;
        for (const auto& r : tornado)
          if (r.metric == fleet::metric_info(m, model.tables()).id && r.year == y && top.size() < 3)
            top.push_back(
                fmt::format("{} ({} to {})", r.parameter, quantity(r.at_low, "x"), quantity(r.at_high, "x")));
        if (!top.empty())
          fmt::print("  {} {}: {}\n", fleet::metric_info(m, model.tables()).id, y, fmt::join(top, "; "));
      }
  }
  fmt::print("\nThe law each year reads (new kei cars: states by status): ");
  std::vector<std::string> law;
  for (const auto& y : model.law_years()) {
    if ((y.year != 2027 && y.year != 2035 && y.year != 2050) || y.year > d.last_year) continue;
    std::vector<std::string> counts;
    for (int st = 0; st < kRoadStatusCount; ++st)
      counts.push_back(fmt::format("{} {}", to_string(static_cast<RoadStatus>(st)),
                                   y.car_status[static_cast<size_t>(st)]));
    law.push_back(fmt::format("{} {}{} ({}; import age {})", y.year, y.pathway, y.bev_only ? " EV-only" : "",
                              fmt::join(counts, ", "), y.import_age));
  }
  fmt::print("{}\n", fmt::join(law, "; "));
}

Result<int> run_simulate(const SimulateOptions& o) {
  CommonOptions common = o.common;
  if (!o.scenario.empty()) {
    if (!common.scenario_file.empty() && common.scenario_file != o.scenario)
      return fail("simulate: give the scenario once, as SCENARIO or as --scenario");
    common.scenario_file = o.scenario;
  }
  if (!o.by.empty() && o.by != "state")
    return fail(fmt::format("--by: '{}' is not 'state'", quote_for_message(o.by)));
  auto draws = o.draws.get();
  if (!draws) return std::unexpected(draws.error());
  auto threads = o.threads.get();
  if (!threads) return std::unexpected(threads.error());
  auto last_year = o.last_year.get();
  if (!last_year) return std::unexpected(last_year.error());
  auto seed = seed_option(o.seed);
  if (!seed) return std::unexpected(seed.error());
  if (o.with_baseline && common.scenario_file.empty())
    return fail("--baseline: give the scenario to compare with it (keipath simulate SCENARIO --baseline)");
  if (o.with_baseline && o.alone) return fail("--alone: not with --baseline (it compares with one)");
  // A scenario is compared with the baseline unless it is to run alone.
  const bool compare = o.with_baseline || (!common.scenario_file.empty() && !o.alone);
  auto scenario = bind_model(common);
  if (!scenario) return std::unexpected(scenario.error());
  std::optional<Bound> baseline;
  if (compare) {
    CommonOptions b = common;
    b.scenario_file = o.baseline_file;
    auto bound = bind_model(b);
    if (!bound) return std::unexpected(bound.error());
    baseline = std::move(*bound);
  }
  const fleet::FleetModel& model = *scenario->model;

  fleet::RunOptions run;
  run.draws = static_cast<int>(draws->value_or(1000));
  run.seed = *seed;
  // Every core by default; under mpirun the cores are shared by the ranks on each machine.
  const bool under_mpi = mpi::launched();
  int local_ranks = 1;
  if (const char* n = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE"); under_mpi && n != nullptr)
    local_ranks = std::max(1, std::atoi(n));
  run.threads = static_cast<int>(threads->value_or(
      std::max(1, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) / local_ranks)));
  run.by_state = o.by == "state";
  run.last_year = static_cast<int>(last_year->value_or(2050));
  const bool bar = !o.quiet && isatty(fileno(stderr));
  if (bar) {
    run.progress = [&run](int done) {
      const int width = 40, filled = width * done / run.draws;
      std::fprintf(stderr, "\rsimulating [%s%s] %d/%d draws",
                   std::string(static_cast<size_t>(filled), '#').c_str(),
                   std::string(static_cast<size_t>(width - filled), '.').c_str(), done, run.draws);
      std::fflush(stderr);
    };
  }
  // One slice of draws: the scenario alone, or the scenario, its baseline and their difference.
  const mpi::SliceRunner slice = [&](const fleet::RunOptions& r) -> Result<std::vector<fleet::FleetRun>> {
    if (!baseline) {
      auto one = model.run(r);
      if (!one) return std::unexpected(one.error());
      return std::vector<fleet::FleetRun>{std::move(*one)};
    }
    auto paired = fleet::run_paired(model, *baseline->model, r);
    if (!paired) return std::unexpected(paired.error());
    return std::vector<fleet::FleetRun>{std::move(paired->scenario), std::move(paired->baseline),
                                        std::move(paired->difference)};
  };
  int ranks = 1;
  std::vector<fleet::FleetRun> runs;
  if (under_mpi) {
    auto gathered = mpi::run_simulation(slice, run);
    if (!gathered) return std::unexpected(gathered.error());
    if (gathered->exit_code != 0) return gathered->exit_code;
    if (gathered->runs.empty()) return kExitAnswer;  // not rank 0: rank 0 writes and prints
    ranks = gathered->ranks;
    runs = std::move(gathered->runs);
  } else {
    auto done = slice(run);
    if (bar) std::fprintf(stderr, "\n");
    if (!done) return std::unexpected(done.error());
    runs = std::move(*done);
  }
  if (under_mpi && bar) std::fprintf(stderr, "\n");
  auto calibration = model.calibration();
  if (!calibration) return std::unexpected(calibration.error());
  const fleet::Provenance prov{scenario->base->scenario_name(), scenario->base->content_hash(),
                               KEIPATH_VERSION};
  auto files = fleet::write_outputs(model, runs.front(), *calibration, prov, o.out);
  if (!files) return std::unexpected(files.error());

  if (baseline) {
    fleet::PairedRun paired{std::move(runs[0]), std::move(runs[1]), std::move(runs[2])};
    std::vector<int> tornado_years;
    for (int y : {2035, 2050})
      if (y <= run.last_year) tornado_years.push_back(y);
    auto tornado = fleet::tornado(model, *baseline->model, run.seed, tornado_years, run.threads);
    if (!tornado) return std::unexpected(tornado.error());
    const fleet::Provenance base_prov{baseline->base->scenario_name(), baseline->base->content_hash(),
                                      KEIPATH_VERSION};
    auto diff_files = fleet::write_difference_outputs(model, {&paired, *tornado, base_prov}, prov, o.out);
    if (!diff_files) return std::unexpected(diff_files.error());
    if (common.json) return print_file(std::filesystem::path(o.out) / "difference.json");
    print_difference(model, paired, *tornado, prov.scenario, base_prov.scenario, ranks);
    fmt::print(
        "\nWrote {} files to {}/ (difference_national.csv, difference.json, tornado.csv, "
        "chart_difference_*.svg{}; the scenario's own fleet_national.csv, fleet.json, chart_*.svg)\n",
        files->written.size() + diff_files->written.size(), o.out,
        run.by_state ? ", difference_by_state.csv" : "");
    fmt::print("{}\n", provenance_line(*scenario->base));
    return kExitAnswer;
  }
  const fleet::FleetRun& result = runs.front();

  if (common.json) return print_file(std::filesystem::path(o.out) / "fleet.json");
  fmt::print("US light-vehicle fleet, {}-{} · scenario {} · {} draws, seed {}{}\n", result.first_year,
             result.last_year, prov.scenario, result.draws, result.seed,
             ranks > 1 ? fmt::format(" · {} MPI ranks", ranks) : "");
  fmt::print("median [5th-95th percentile] over draws\n\n");
  std::vector<int> years;
  for (int y : {result.first_year, 2025, 2030, 2035, 2040, 2050})
    if (y >= result.first_year && y <= result.last_year && (years.empty() || years.back() != y))
      years.push_back(y);
  fmt::print("{:<34}", "");
  for (int y : years) fmt::print(" {:>22}", y);
  fmt::print("\n");
  const std::array<int, 13> shown = {fleet::kStock,         fleet::kSales,    fleet::kAverageAge,
                                     fleet::kBevShareSales, fleet::kVmt,      fleet::kGasoline,
                                     fleet::kElectricity,   fleet::kCo2,      fleet::kDeaths,
                                     fleet::kKeiStock,      fleet::kKeiSales, fleet::kSpendingPerHousehold,
                                     fleet::kSpending};
  for (const int m : shown) {
    const auto info = fleet::metric_info(m, model.tables());
    fmt::print("{:<34}", fmt::format("{} ({})", info.id, info.unit));
    for (int y : years) {
      const auto b = fleet::national_band(result, y - result.first_year, m);
      fmt::print(" {:>22}", fmt::format("{} [{}-{}]", quantity(b.p50, info.unit), quantity(b.p05, info.unit),
                                        quantity(b.p95, info.unit)));
    }
    fmt::print("\n");
  }
  fmt::print("\nAgainst published figures (draw 0, every parameter at its value)\n");
  for (const auto& c : calibration->figures) {
    const double off = c.modelled / c.published - 1;
    fmt::print("  {:<10} {:<58} {} published {:>10}  model {:>10}  {:+.1f} % (within {:.1f} %)  {}\n",
               c.calibrated ? "calibrated" : "checked", c.what, c.year, quantity(c.published, c.unit),
               quantity(c.modelled, c.unit), 100 * off, 100 * c.tolerance,
               std::abs(off) <= c.tolerance ? "ok" : "OUTSIDE");
  }
  std::vector<std::string> fitted;
  for (const auto& [name, v] : calibration->fitted) fitted.push_back(fmt::format("{} {:.4g}", name, v));
  fmt::print("  fitted on the base year: {}\n", fmt::join(fitted, ", "));
  fmt::print("\nWrote {} files to {}/ (fleet_national.csv, fleet.json, chart_*.svg{})\n",
             files->written.size(), o.out, run.by_state ? ", fleet_by_state.csv" : "");
  fmt::print("{}\n", provenance_line(*scenario->base));
  return kExitAnswer;
}

}  // namespace

void add_simulate_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "simulate",
      "The US light-vehicle fleet to 2050 (stock, sales, miles, energy, CO2, deaths, spending) with bands");
  cmd->add_option("SCENARIO", o->scenario,
                  "Scenario file of dated parameter overrides (default: the baseline)");
  o->draws.add(*cmd, "--draws",
               "Monte Carlo draws, draw 0 being every parameter at its value (default 1000)");
  cmd->add_option_function<std::string>(
      "--seed", [p = o.get()](const std::string& text) { p->seed = text; },
      "Random seed (default 1): the same seed gives the same answer on any number of threads");
  o->threads.add(*cmd, "--threads", "Threads (default: every core)");
  o->last_year.add(*cmd, "--last-year", "Last year simulated (default 2050)");
  cmd->add_option("--by", o->by, "'state': also every state's yearly table");
  cmd->add_option("--out", o->out, "Folder the tables and charts are written to (default ./simulation)");
  cmd->add_flag("--quiet", o->quiet, "No progress bar");
  cmd->add_option_function<std::string>(
         "--baseline",
         [p = o.get()](const std::string& file) {
           p->with_baseline = true;
           p->baseline_file = file;
         },
         "Compare SCENARIO with a baseline on the same draws: difference tables and charts, a tornado "
         "(FILE: a scenario to compare against; none: the baseline; the default whenever SCENARIO is given)")
      ->expected(0, 1)
      ->default_str("");
  cmd->add_flag(
      "--alone", o->alone,
      "Run SCENARIO alone, without comparing it with the baseline (its own tables and charts only)");
  add_common_options(*cmd, o->common, /*tabular=*/false);
  cmd->callback([o, &action] { action = [o]() { return run_simulate(*o); }; });
}

}  // namespace keipath::cli
