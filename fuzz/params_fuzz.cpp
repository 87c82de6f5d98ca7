// Fuzzes a parameter file: ParamStore::add_toml on the input (the TOML guard, toml++ and the store's
// checks), then every loaded value read back and, for kei-class files, the kei rule bound to the result.
#include "fuzz_support.hpp"
#include "keipath/params.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace keipath;
  ParamStore store;
  if (store.add_toml(fuzz::as_text(data, size), "fuzz.toml")) fuzz::exercise_store(store);
  return 0;
}
