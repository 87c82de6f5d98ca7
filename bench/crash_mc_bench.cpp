// The crash Monte Carlo's inner loop: sampled collisions per second, on one core (BM_SampleCollisions) and
// through CrashRule::simulate with 1 and 2 threads (BM_Simulate/threads). Target: at least 20 million
// collisions per second per core, and linear in threads on this machine's two cores.
//
//   build/release/bench/crash_mc_bench [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <cstdio>

#include "keipath/rule_base.hpp"

namespace keipath {
namespace {

const RuleBase& base() {
  static const std::unique_ptr<const RuleBase> b = [] {
    auto loaded = RuleBase::load(RuleBaseOptions{KEIPATH_DATA_DIR, std::nullopt, Date::today()});
    if (!loaded) {
      std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
      std::abort();
    }
    return std::move(*loaded);
  }();
  return *b;
}

void BM_SampleCollisions(benchmark::State& state) {
  const CrashRule& rule = base().crash();
  const CrashModel m = rule.model(*Date::parse("2026-11-22"), 0, 1);
  const PartnerSampler partners = make_sampler(rule.partners().fleet());
  constexpr uint64_t kCollisions = 1 << 22;
  uint64_t key = 1;
  for (auto _ : state) {
    CrashSums sums;
    sample_collisions(m, partners, 770, true, key++, 0, kCollisions, sums);
    benchmark::DoNotOptimize(sums);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kCollisions));
}
BENCHMARK(BM_SampleCollisions)->Unit(benchmark::kMillisecond);

void BM_Simulate(benchmark::State& state) {
  const CrashRule& rule = base().crash();
  SimulationOptions o;
  o.draws = 20;
  o.samples = 1 << 20;
  o.threads = static_cast<int>(state.range(0));
  const auto fleet = rule.partners().fleet();
  for (auto _ : state) {
    RiskSummary s = rule.simulate(770, true, fleet, *Date::parse("2026-11-22"), o);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * o.draws * o.samples);
}
BENCHMARK(BM_Simulate)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace keipath

BENCHMARK_MAIN();
