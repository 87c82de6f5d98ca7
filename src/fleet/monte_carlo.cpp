// Monte Carlo over draws on every thread, percentile bands, and the base year's calibration figures.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <thread>

#include "fleet/internal.hpp"

namespace keipath::fleet {

namespace {

// Runs draws [0, o.draws) on o.threads threads, `one(k)` for each; the first failing draw's error (by draw
// number, so the same on any number of threads) is returned.
Result<void> on_threads(const RunOptions& o, const std::function<Result<void>(int)>& one) {
  // Each draw is independent and writes only its own slots, so the result does not depend on which thread
  // runs it or in what order.
  std::atomic<int> next{0}, done{0};
  std::mutex error_mutex;
  std::optional<Error> first_error;
  int first_error_draw = o.draws;
  auto worker = [&] {
    for (;;) {
      const int k = next.fetch_add(1);
      if (k >= o.draws) return;
      if (auto ok = one(k); !ok) {
        std::lock_guard lock(error_mutex);
        if (k < first_error_draw) {
          first_error_draw = k;
          first_error = ok.error();
        }
        continue;
      }
      const int finished = done.fetch_add(1) + 1;
      if (o.progress && (finished % 16 == 0 || finished == o.draws)) o.progress(finished);
    }
  };
  const int threads = std::clamp(o.threads, 1, std::max(1, o.draws));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (first_error) return std::unexpected(*first_error);
  return {};
}

Result<FleetRun> empty_run(const RunOptions& o, int base_year, size_t regions) {
  if (o.draws < 1) return fail(fmt::format("fleet: draws must be at least 1 (got {})", o.draws));
  if (o.last_year <= base_year || o.last_year > 2050)
    return fail(fmt::format("fleet: the last year must be after the base year {} and at most 2050 (got {})",
                            base_year, o.last_year));
  FleetRun run;
  run.first_year = base_year;
  run.last_year = o.last_year;
  run.draws = o.draws;
  run.seed = o.seed;
  run.by_state = o.by_state;
  const size_t years = static_cast<size_t>(run.years());
  const size_t draws = static_cast<size_t>(o.draws);
  const size_t states = o.by_state ? regions : 0;
  run.national.assign(years * kMetrics * draws, 0.0f);
  run.states.assign(states * years * kStateMetrics * draws, 0.0f);
  return run;
}

// A draw's values (laid out as DrawOutputs::values) into its slots of `run`.
void store(FleetRun& run, const std::vector<double>& values, size_t d) {
  const size_t years = static_cast<size_t>(run.years());
  const size_t draws = static_cast<size_t>(run.draws);
  const size_t states = run.states.size() / (years * kStateMetrics * draws);
  for (size_t y = 0; y < years; ++y)
    for (size_t m = 0; m < kMetrics; ++m)
      run.national[(y * kMetrics + m) * draws + d] = static_cast<float>(values[y * kMetrics + m]);
  for (size_t r = 0; r < states; ++r)
    for (size_t y = 0; y < years; ++y)
      for (size_t m = 0; m < kStateMetrics; ++m)
        run.states[((r * years + y) * kStateMetrics + m) * draws + d] =
            static_cast<float>(values[((r + 1) * years + y) * kMetrics + m]);
}

}  // namespace

Result<FleetRun> FleetModel::run(const RunOptions& o) const {
  auto run = empty_run(o, base_year_, tables_.regions.size());
  if (!run) return run;
  auto ok = on_threads(o, [&](int k) -> Result<void> {
    auto out = run_draw(o.first_draw + k, o.seed, o.by_state, o.last_year);
    if (!out) return std::unexpected(out.error());
    store(*run, out->values, static_cast<size_t>(k));
    return {};
  });
  if (!ok) return std::unexpected(ok.error());
  return run;
}

Result<PairedRun> run_paired(const FleetModel& scenario, const FleetModel& baseline, const RunOptions& o) {
  if (scenario.base_year() != baseline.base_year() ||
      scenario.tables().regions.size() != baseline.tables().regions.size())
    return fail("fleet: the scenario and the baseline have different base years or regions");
  PairedRun paired;
  for (FleetRun* r : {&paired.scenario, &paired.baseline, &paired.difference}) {
    auto run = empty_run(o, scenario.base_year(), scenario.tables().regions.size());
    if (!run) return std::unexpected(run.error());
    *r = std::move(*run);
  }
  auto ok = on_threads(o, [&](int k) -> Result<void> {
    const int draw = o.first_draw + k;
    auto a = scenario.run_draw(draw, o.seed, o.by_state, o.last_year);
    if (!a) return std::unexpected(a.error());
    auto b = baseline.run_draw(draw, o.seed, o.by_state, o.last_year);
    if (!b) return std::unexpected(b.error());
    const size_t d = static_cast<size_t>(k);
    store(paired.scenario, a->values, d);
    store(paired.baseline, b->values, d);
    // The difference in double precision, before either side is rounded to float.
    for (size_t i = 0; i < a->values.size(); ++i) a->values[i] -= b->values[i];
    store(paired.difference, a->values, d);
    return {};
  });
  if (!ok) return std::unexpected(ok.error());
  return paired;
}

Result<std::vector<TornadoRow>> tornado(const FleetModel& scenario, const FleetModel& baseline, uint64_t seed,
                                        std::vector<int> years, int threads) {
  const int B = scenario.base_year();
  std::erase_if(years, [&](int y) { return y <= B || y > 2050; });
  std::vector<std::string> names = scenario.uncertain_parameters();
  for (const auto& n : baseline.uncertain_parameters())
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  // Draw 0 (every value at its point), then each parameter at its low and at its high end; the difference
  // scenario - baseline of each headline metric in each year.
  const int runs = 1 + 2 * static_cast<int>(names.size());
  std::vector<std::vector<double>> diff(static_cast<size_t>(runs));
  RunOptions o;
  o.draws = runs;
  o.threads = threads;
  auto ok = on_threads(o, [&](int k) -> Result<void> {
    std::optional<Swing> swing;
    if (k > 0) swing = Swing{names[static_cast<size_t>((k - 1) / 2)], (k - 1) % 2 == 0 ? 0.0 : 1.0};
    const Swing* s = swing ? &*swing : nullptr;
    auto a = scenario.run_draw(0, seed, false, 2050, s);
    if (!a) return std::unexpected(a.error());
    auto b = baseline.run_draw(0, seed, false, 2050, s);
    if (!b) return std::unexpected(b.error());
    auto& out = diff[static_cast<size_t>(k)];
    for (const int y : years)
      for (const int m : kTornadoMetrics) {
        const size_t i = static_cast<size_t>(y - B) * kMetrics + static_cast<size_t>(m);
        out.push_back(a->values[i] - b->values[i]);
      }
    return {};
  });
  if (!ok) return std::unexpected(ok.error());
  std::vector<TornadoRow> rows;
  size_t cell = 0;
  for (const int y : years)
    for (const int m : kTornadoMetrics) {
      std::vector<TornadoRow> block;
      for (size_t n = 0; n < names.size(); ++n)
        block.push_back({metric_info(m, scenario.tables()).id, names[n], y, diff[0][cell],
                         diff[1 + 2 * n][cell], diff[2 + 2 * n][cell]});
      std::stable_sort(block.begin(), block.end(),
                       [](const TornadoRow& a, const TornadoRow& b) { return a.swing() > b.swing(); });
      rows.insert(rows.end(), block.begin(), block.end());
      ++cell;
    }
  return rows;
}

Band band_of(const std::vector<float>& values, size_t offset, int draws) {
  std::vector<float> v(values.begin() + static_cast<std::ptrdiff_t>(offset),
                       values.begin() + static_cast<std::ptrdiff_t>(offset + static_cast<size_t>(draws)));
  Band b;
  b.point = v[0];
  // Nearest-rank percentiles.
  auto pick = [&](double q) {
    const size_t k = std::min(
        v.size() - 1, static_cast<size_t>(std::ceil(q * static_cast<double>(v.size()))) - (q > 0 ? 1 : 0));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return static_cast<double>(v[k]);
  };
  b.p05 = pick(0.05);
  b.p50 = pick(0.50);
  b.p95 = pick(0.95);
  return b;
}

Band national_band(const FleetRun& run, int year_index, int metric) {
  const size_t off = (static_cast<size_t>(year_index) * kMetrics + static_cast<size_t>(metric)) *
                     static_cast<size_t>(run.draws);
  return band_of(run.national, off, run.draws);
}

Band state_band(const FleetRun& run, int region, int year_index, int metric) {
  const size_t years = static_cast<size_t>(run.years());
  const size_t off =
      ((static_cast<size_t>(region) * years + static_cast<size_t>(year_index)) * kStateMetrics +
       static_cast<size_t>(metric)) *
      static_cast<size_t>(run.draws);
  return band_of(run.states, off, run.draws);
}

MetricInfo metric_info(int metric, const FleetTables& tables) {
  switch (metric) {
    case kStock:
      return {"stock", "vehicles", "Light vehicles in operation"};
    case kSales:
      return {"sales", "vehicles", "New light-vehicle sales"};
    case kVmt:
      return {"vmt", "vehicle_miles", "Miles driven by light vehicles"};
    case kGasoline:
      return {"gasoline", "gal", "Fuel used by light vehicles"};
    case kElectricity:
      return {"electricity", "kWh", "Electricity used by light vehicles"};
    case kCo2:
      return {"co2", "t", "CO2 from light vehicles (tailpipe and power plants)"};
    case kDeaths:
      return {"deaths", "deaths", "Road deaths"};
    case kKeiStock:
      return {"kei_stock", "vehicles", "Kei vehicles in operation"};
    case kSpending:
      return {"spending", "USD", "Spending on new vehicles and energy"};
    case kScrappage:
      return {"scrappage", "vehicles", "Vehicles scrapped"};
    case kImports:
      return {"imports", "vehicles", "Used vehicles imported"};
    case kAverageAge:
      return {"average_age", "years", "Average age of vehicles in operation"};
    case kBevShareSales:
      return {"bev_share_sales", "share", "Battery-electric share of new sales"};
    case kBevShareStock:
      return {"bev_share_stock", "share", "Battery-electric share of vehicles in operation"};
    case kDeathsMultiVehicle:
      return {"deaths_multi_vehicle", "deaths", "Light-vehicle occupants killed in multi-vehicle crashes"};
    case kDeathsSingleVehicle:
      return {"deaths_single_vehicle", "deaths", "Light-vehicle occupants killed in single-vehicle crashes"};
    case kDeathsOther:
      return {"deaths_other", "deaths", "Other road deaths (pedestrians, cyclists, motorcyclists, trucks)"};
    case kDeathsKeiOccupants:
      return {"deaths_kei_occupants", "deaths", "Occupants of kei vehicles killed"};
    case kDeathsKeiPartners:
      return {"deaths_kei_partners", "deaths",
              "Occupants of other vehicles killed in crashes with kei vehicles"};
    case kKeiSales:
      return {"kei_sales", "vehicles", "New kei-vehicle sales"};
    case kSpendingVehicles:
      return {"spending_vehicles", "USD", "Spending on new vehicles"};
    case kSpendingEnergy:
      return {"spending_energy", "USD", "Spending on fuel and electricity"};
    case kDeathsNotInvolvingKei:
      return {
          "deaths_not_involving_kei", "deaths",
          "Road deaths in crashes without a kei vehicle (all deaths less kei occupants and their partners)"};
    case kKeiAccess:
      return {"kei_access", "share", "Share of travel on roads new kei vehicles may use (sales-weighted)"};
    case kSpendingPerHousehold:
      return {"spending_per_household", "USD", "Spending on new vehicles and energy per household"};
    default: {
      const auto& s = tables.segments[static_cast<size_t>(metric - kStockSegment0)];
      return {"stock_" + s.id, "vehicles", s.name + " in operation"};
    }
  }
}

Result<Calibration> FleetModel::calibration() const {
  const int last = 2050;
  auto out = run_draw(0, 1, false, last);
  if (!out) return std::unexpected(out.error());
  const int years = static_cast<int>(out->values.size() / kMetrics);
  auto metric_index = [&](std::string_view id) {
    for (int m = 0; m < kMetrics; ++m)
      if (metric_info(m, tables_).id == id) return m;
    return -1;
  };
  std::vector<CalibrationFigure> figs;
  std::vector<std::string> errors;
  for (const FleetTables::Check& c : tables_.checks) {
    // "a" or "a/b" (a ratio of two metrics).
    const auto slash = c.metric.find('/');
    const int m1 = metric_index(c.metric.substr(0, slash));
    const int m2 = slash == std::string::npos ? -1 : metric_index(c.metric.substr(slash + 1));
    const int i = c.year - base_year_;
    if (m1 < 0 || (slash != std::string::npos && m2 < 0) || i < 0 || i >= years) {
      errors.push_back(fmt::format("{}: check {}: metric '{}' or year {} is not one the model reports",
                                   c.where, c.id, c.metric, c.year));
      continue;
    }
    auto v = [&](int m) { return out->values[static_cast<size_t>(i) * kMetrics + static_cast<size_t>(m)]; };
    CalibrationFigure f{c.id,        c.what,       c.unit,
                        c.year,      c.published,  m2 < 0 ? v(m1) : v(m1) / v(m2),
                        c.tolerance, c.calibrated, c.source};
    if (!c.parameter.empty()) {
      const Parameter* p = params_->find(c.parameter);
      const Date d = c.metric == "stock" || c.metric == "average_age"
                         ? Date(std::chrono::year_month_day{std::chrono::year{c.year + 1},
                                                            std::chrono::month{1}, std::chrono::day{1}})
                         : Date(std::chrono::year_month_day{std::chrono::year{c.year}, std::chrono::month{7},
                                                            std::chrono::day{1}});
      const ParamValue* pv = p ? p->in_force(d) : nullptr;
      if (pv == nullptr) {
        errors.push_back(
            fmt::format("{}: check {}: parameter {} has no value in {}", c.where, c.id, c.parameter, c.year));
        continue;
      }
      f.published = pv->value;
      f.source = fmt::format("{} ({})", c.parameter, pv->ref);
    }
    figs.push_back(std::move(f));
  }
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return Calibration{std::move(figs), out->fitted};
}

}  // namespace keipath::fleet
