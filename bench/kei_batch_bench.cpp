// Batch kei classification over 10 million generated vehicles, each judged on its own build date, with the
// dates spread evenly over every era of the kei class (1945, before it existed, to 2026). Prints vehicles
// per second on one core (items_per_second). Target: at least 100 million per second once loaded.
//
//   build/release/bench/kei_batch_bench [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>

#include "keipath/rule_base.hpp"

namespace keipath {
namespace {

constexpr size_t kVehicles = 10'000'000;

struct Fleet {
  std::vector<int32_t> built_on;
  std::vector<int16_t> length, width, height, displacement, payload;
  std::vector<int8_t> seats;
  std::vector<uint8_t> engine, goods;
  std::vector<float> power;
  std::vector<KeiVerdict> verdict;
  std::vector<uint8_t> failed;
};

// Vehicles sized around the limits of the era they were built in, so every verdict occurs.
Fleet generate(size_t n) {
  const int32_t era_starts[] = {
      Date::parse("1945-01-01")->days_since_epoch(), Date::parse("1949-07-08")->days_since_epoch(),
      Date::parse("1950-07-26")->days_since_epoch(), Date::parse("1951-08-16")->days_since_epoch(),
      Date::parse("1955-04-01")->days_since_epoch(), Date::parse("1960-07-01")->days_since_epoch(),
      Date::parse("1976-01-01")->days_since_epoch(), Date::parse("1990-01-01")->days_since_epoch(),
      Date::parse("1998-10-01")->days_since_epoch(), Date::parse("2026-12-31")->days_since_epoch()};
  const int nominal_length[] = {2800, 2800, 3000, 3000, 3000, 3000, 3200, 3300, 3400};
  const int nominal_width[] = {1000, 1000, 1300, 1300, 1300, 1300, 1400, 1400, 1480};
  const int nominal_cc[] = {150, 150, 300, 360, 360, 360, 550, 660, 660};
  std::mt19937 rng(42);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Fleet f;
  for (auto* v : {&f.length, &f.width, &f.height, &f.displacement, &f.payload}) v->resize(n);
  f.built_on.resize(n);
  f.seats.resize(n);
  f.engine.resize(n);
  f.goods.resize(n);
  f.power.resize(n);
  f.verdict.resize(n);
  f.failed.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int era = pick(0, 8);
    f.built_on[i] = pick(era_starts[era], era_starts[era + 1] - 1);
    f.length[i] = static_cast<int16_t>(nominal_length[era] + pick(-200, 40));
    f.width[i] = static_cast<int16_t>(nominal_width[era] + pick(-100, 20));
    f.height[i] = static_cast<int16_t>(pick(0, 49) == 0 ? -1 : pick(1200, 2050));
    const int engine = pick(0, 9);
    f.engine[i] = engine == 0   ? static_cast<uint8_t>(EngineKind::electric)
                  : engine == 1 ? static_cast<uint8_t>(EngineKind::two_stroke)
                                : static_cast<uint8_t>(EngineKind::four_stroke);
    f.displacement[i] = static_cast<int16_t>(engine == 0 ? -1 : nominal_cc[era] - pick(0, 60) + pick(0, 8));
    f.power[i] = static_cast<float>(pick(10, 470)) / 10.0f;
    f.seats[i] = static_cast<int8_t>(pick(2, 4));
    f.goods[i] = static_cast<uint8_t>(pick(0, 1));
    f.payload[i] = static_cast<int16_t>(f.goods[i] ? pick(200, 350) : -1);
  }
  return f;
}

void BM_KeiBatchClassify(benchmark::State& state) {
  static const auto base = RuleBase::load(RuleBaseOptions{KEIPATH_DATA_DIR, std::nullopt, Date::today()});
  if (!base) {
    state.SkipWithError(base.error().message.c_str());
    return;
  }
  static Fleet fleet = generate(kVehicles);
  const KeiColumns in{fleet.built_on, fleet.length, fleet.width,  fleet.height, fleet.displacement,
                      fleet.payload,  fleet.seats,  fleet.engine, fleet.power,  fleet.goods};
  const KeiBatchOutput out{fleet.verdict, fleet.failed};
  for (auto _ : state) {
    auto done = (*base)->kei_class().classify(in, out);
    if (!done) state.SkipWithError(done.error().message.c_str());
    benchmark::DoNotOptimize(fleet.verdict.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kVehicles));
  size_t counts[3] = {0, 0, 0};
  for (KeiVerdict v : fleet.verdict) ++counts[static_cast<size_t>(v)];
  state.counters["kei_share"] = static_cast<double>(counts[0]) / kVehicles;
  state.counters["unknown_share"] = static_cast<double>(counts[2]) / kVehicles;
}
BENCHMARK(BM_KeiBatchClassify)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace keipath

BENCHMARK_MAIN();
