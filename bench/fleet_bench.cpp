// The fleet simulation, 2024-2050 (issues 14 and 15). Target: a national run with 1,000 draws in under 2
// seconds on this 2-core machine. Shows how the time grows with draws (BM_National/draws/threads), with
// states (BM_ByState: the nation alone against the nation and 51 states) and with threads; ranks (mpirun -np
// 1 and 2) are timed by scripts/bench-simulate, the whole command as a user runs it.
//
//   build/release/bench/fleet_bench [--benchmark_filter=National]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "keipath/fleet.hpp"
#include "keipath/rule_base.hpp"

namespace keipath::fleet {
namespace {

// The model over the bundled rule base, or over it with a bundled scenario (data/scenarios/NAME.toml).
FleetModel bound_model(const char* scenario) {
  RuleBaseOptions options{KEIPATH_DATA_DIR, std::nullopt, Date::today()};
  if (scenario != nullptr)
    options.scenario_file = std::string(KEIPATH_DATA_DIR) + "/scenarios/" + scenario + ".toml";
  static std::vector<std::unique_ptr<const RuleBase>> bases;  // the models point into them
  auto loaded = RuleBase::load(options);
  if (!loaded) {
    std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
    std::abort();
  }
  bases.push_back(std::move(*loaded));
  const RuleBase* base = bases.back().get();
  {
    auto tables = FleetTables::load(KEIPATH_DATA_DIR);
    if (!tables) {
      std::fprintf(stderr, "%s\n", tables.error().message.c_str());
      std::abort();
    }
    auto bound = FleetModel::bind(base->params(), base->crash(), base->state_roads(), base->catalog(),
                                  std::move(*tables));
    if (!bound) {
      std::fprintf(stderr, "%s\n", bound.error().message.c_str());
      std::abort();
    }
    return std::move(*bound);
  }
}

const FleetModel& model() {
  static const FleetModel m = bound_model(nullptr);
  return m;
}

void run(benchmark::State& state, int draws, int threads, bool by_state) {
  RunOptions o;
  o.draws = draws;
  o.threads = threads;
  o.by_state = by_state;
  for (auto _ : state) {
    auto r = model().run(o);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r->national.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * draws);
  state.counters["draws"] = draws;
  state.counters["threads"] = threads;
}

// Draws (100, 1,000, 4,000) on 1 and 2 threads; the target is 1,000 draws on 2 threads.
void BM_National(benchmark::State& state) {
  run(state, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), false);
}
BENCHMARK(BM_National)
    ->ArgsProduct({{100, 1000, 4000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// 100 draws: the nation alone (0) against the nation and every state (1), on 2 threads.
void BM_ByState(benchmark::State& state) {
  run(state, 100, 2, state.range(0) == 1);
}
BENCHMARK(BM_ByState)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// The point-value draw alone, with the base-year calibration (what every draw starts with).
void BM_OneDraw(benchmark::State& state) {
  for (auto _ : state) {
    auto r = model().run_draw(0, 1, false, 2050);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_OneDraw)->Unit(benchmark::kMicrosecond);

// A policy scenario against the baseline (issue 15): the US kei class from 2027, DRAWS paired draws on 2
// threads (the scenario projects the 51 states, since kei shares differ by state; the baseline the nation),
// then the tornado (one parameter at a time at each end of its range).
void BM_Paired(benchmark::State& state) {
  static const FleetModel scenario = bound_model("kei_class_2027");
  RunOptions o;
  o.draws = static_cast<int>(state.range(0));
  o.threads = 2;
  for (auto _ : state) {
    auto r = run_paired(scenario, model(), o);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r->difference.national.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * o.draws);
}
BENCHMARK(BM_Paired)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Tornado(benchmark::State& state) {
  static const FleetModel scenario = bound_model("kei_class_2027");
  for (auto _ : state) {
    auto r = tornado(scenario, model(), 1, {2035, 2050}, 2);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Tornado)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace keipath::fleet

BENCHMARK_MAIN();
