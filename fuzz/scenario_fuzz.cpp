// Fuzzes a scenario file: Scenario::parse on the input, then the scenario applied to a small fixed store
// (Japan's kei class and the proposed US small-vehicle class, the two bodies of law the bundled example
// scenarios change), and the kei rule bound to and run on the result.
#include <fstream>
#include <sstream>

#include "fuzz_support.hpp"
#include "keipath/params.hpp"
#include "keipath/scenario.hpp"

namespace {

const keipath::ParamStore& small_store() {
  static const keipath::ParamStore store = [] {
    keipath::ParamStore s;
    for (const char* file : {"law/jp/kei_class.toml", "law/us/federal/small_vehicle_class.toml"}) {
      std::ifstream in(std::string(KEIPATH_DATA_DIR) + "/" + file, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      if (auto added = s.add_toml(text.str(), file); !added) {
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
  if (store.apply(*scenario)) fuzz::exercise_store(store);
  return 0;
}
