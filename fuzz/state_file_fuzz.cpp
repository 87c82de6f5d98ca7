// Fuzzes a state rule file (data/law/us/states/XX.toml): StateLaw::parse on the input, labelled with the
// code the input itself declares so that the file-name check does not reject every mutation. A file that
// parses replaces its jurisdiction in the bundled set of 51, which is assembled, bound and asked about a few
// vehicles and roads on the dates its rules change.
#include <algorithm>
#include <string>

#include "fuzz_support.hpp"
#include "keipath/us_states.hpp"

namespace {

// "XX.toml" for the first `code = "XX"` in the text, else "CO.toml".
std::string label_for(std::string_view text) {
  std::string code = "CO";
  const size_t at = text.find("code = \"");
  if (at != std::string_view::npos && at + 10 <= text.size()) code = std::string(text.substr(at + 8, 2));
  return code + ".toml";
}

std::vector<keipath::Vehicle> vehicles() {
  std::vector<keipath::Vehicle> out;
  const auto& entries = keipath::fuzz::bundled().catalog().entries();
  for (size_t i = 0; i < entries.size(); i += 9) {
    keipath::Vehicle v = entries[i].vehicle;
    v.built = entries[i].produced_from;
    out.push_back(v);
  }
  out.push_back(keipath::Vehicle{});  // nothing known
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace keipath;
  const std::string_view text = fuzz::as_text(data, size);
  auto parsed = StateLaw::parse(text, label_for(text));
  if (!parsed) return 0;

  const RuleBase& base = fuzz::bundled();
  std::vector<Jurisdiction> all = base.state_law().jurisdictions();
  auto same =
      std::find_if(all.begin(), all.end(), [&](const Jurisdiction& j) { return j.code == parsed->code; });
  if (same == all.end()) return 0;
  *same = *parsed;
  auto law = StateLaw::assemble(std::move(all));
  if (!law) return 0;
  (void)law->changes();
  (void)law->newest_check();
  (void)law->oldest_check();
  auto roads = StateRoadRule::bind(base.params(), *law);
  if (!roads) return 0;

  std::vector<Date> dates = {fuzz::fixed_today()};
  for (const StateRule& r : parsed->rules) {
    if (dates.size() >= 8) break;
    dates.push_back(r.from);
    if (r.grandfather) dates.push_back(r.grandfather->registered_before);
  }
  static const std::vector<Vehicle> kVehicles = vehicles();
  for (const Vehicle& v : kVehicles) {
    for (const Date d : dates) {
      StateQuestion q{v, d, std::nullopt, d.plus_days(-1), 40, true};
      auto answer = roads->answer(q, parsed->code);
      if (!answer) continue;
      for (const RoadClass c : {RoadClass::interstate, RoadClass::highway, RoadClass::local}) {
        for (const int mph : {25, 45, 70}) (void)StateRoadRule::check_road(*answer, Road{mph, c});
      }
      q.entry = UsEntry::lsv;
      q.governor_mph = std::nullopt;
      (void)roads->answer(q, parsed->code);
    }
  }
  return 0;
}
