// Fuzzes a scenario file: Scenario::parse on the input, then the scenario applied to a small fixed store
// (Japan's kei class and the proposed US small-vehicle class, the two bodies of law the bundled example
// scenarios change), and the kei rule bound to and run on the result; then, where it applies to the whole
// bundled rule base, every other rule too.
#include "fuzz_support.hpp"
#include "keipath/params.hpp"
#include "keipath/scenario.hpp"

namespace {

const keipath::ParamStore& small_store() {
  static const keipath::ParamStore store = [] {
    keipath::ParamStore s;
    for (const char* file : {"law/jp/kei_class.toml", "law/us/federal/small_vehicle_class.toml"}) {
      if (auto added = s.add_toml(keipath::fuzz::bundled_text(file), file); !added) {
        std::fprintf(stderr, "fuzz: %s\n", added.error().message.c_str());
        std::abort();
      }
    }
    return s;
  }();
  return store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace keipath;
  auto scenario = Scenario::parse(fuzz::as_text(data, size), "fuzz.toml");
  if (!scenario) return 0;
  ParamStore store = small_store();
  if (!store.apply(*scenario)) return 0;
  fuzz::exercise_store(store);
  // Where the scenario also applies to the whole bundled rule base, every rule is bound to the result and
  // run on the dates it changes.
  ParamStore full = fuzz::bundled().params();
  if (!full.apply(*scenario)) return 0;
  std::vector<Date> dates = {fuzz::fixed_today()};
  for (const ParamOverride& o : scenario->overrides) {
    if (dates.size() >= 4) break;
    dates.push_back(o.from);
  }
  fuzz::exercise_rules(full, dates);
  return 0;
}
