// The in-process cost of the buyer's full check, as the API answers it: kei (then and now), US entry, duty,
// landed cost, five-year cost and the state's answer (answers::answer_check), plus the states question for
// all 51 jurisdictions, and the JSON each becomes. Target: one full check (check + 51 states) under 100 µs.
//
//   build/release/bench/check_bench [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <cstdio>

#include "keipath/answers.hpp"

namespace keipath {
namespace {

const RuleBase& bundled() {
  static const std::unique_ptr<const RuleBase> base = [] {
    RuleBaseOptions o;
    o.data_dir = KEIPATH_DATA_DIR;
    auto b = RuleBase::load(o);
    if (!b) {
      std::fprintf(stderr, "%s\n", b.error().message.c_str());
      std::exit(1);
    }
    return std::move(*b);
  }();
  return *base;
}

answers::CheckRequest carry_in_ohio() {
  answers::CheckRequest r;
  r.vehicle.model = "Carry";
  r.vehicle.chassis = "DA16T";
  r.vehicle.fields["built"] = "2014-03";
  r.date = *Date::parse("2026-11-22");
  r.state = "OH";
  r.cost.price_jpy = 400'000;
  r.cost.km_per_l = 18;
  r.cost.cycle = "wltc";
  return r;
}

void BM_Check(benchmark::State& state) {
  const RuleBase& base = bundled();
  const answers::CheckRequest r = carry_in_ohio();
  for (auto _ : state) {
    auto a = answers::answer_check(base, r);
    if (!a) state.SkipWithError(a.error().message.c_str());
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Check)->Unit(benchmark::kMicrosecond);

void BM_States51(benchmark::State& state) {
  const RuleBase& base = bundled();
  answers::StatesRequest r;
  r.vehicle = carry_in_ohio().vehicle;
  r.date = *Date::parse("2026-11-22");
  for (auto _ : state) {
    auto a = answers::answer_states(base, r);
    if (!a) state.SkipWithError(a.error().message.c_str());
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_States51)->Unit(benchmark::kMicrosecond);

// The whole question as the issue counts it: the check and the 51 states.
void BM_FullCheck(benchmark::State& state) {
  const RuleBase& base = bundled();
  const answers::CheckRequest r = carry_in_ohio();
  answers::StatesRequest s;
  s.vehicle = r.vehicle;
  s.date = r.date;
  for (auto _ : state) {
    auto a = answers::answer_check(base, r);
    auto all = answers::answer_states(base, s);
    if (!a || !all) state.SkipWithError("no answer");
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(all);
  }
}
BENCHMARK(BM_FullCheck)->Unit(benchmark::kMicrosecond);

// The same with the JSON the API sends.
void BM_FullCheckJson(benchmark::State& state) {
  const RuleBase& base = bundled();
  const answers::CheckRequest r = carry_in_ohio();
  answers::StatesRequest s;
  s.vehicle = r.vehicle;
  s.date = r.date;
  size_t bytes = 0;
  for (auto _ : state) {
    auto a = answers::answer_check(base, r);
    auto all = answers::answer_states(base, s);
    if (!a || !all) {
      state.SkipWithError("no answer");
      break;
    }
    const std::string body = answers::to_json(*a, base).dump() + answers::to_json(*all, base).dump();
    bytes += body.size();
    benchmark::DoNotOptimize(body);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_FullCheckJson)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace keipath

BENCHMARK_MAIN();
