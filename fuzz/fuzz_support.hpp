// What the libFuzzer harnesses share: the input as text, splitting it into fields, a fixed "today" (a
// fuzzing run must not depend on the clock), and the bundled rule base, loaded once per process.
//
// A harness calls the library as a loader would and ignores the error results: only a crash, undefined
// behaviour, a leak or a timeout is a finding. It aborts only if the bundled data itself fails to load (the
// harness is then broken, not the input).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/rule_base.hpp"

namespace keipath::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The date every harness treats as today.
inline Date fixed_today() {
  return Date::from_days(20'788);  // 2026-12-01
}

// Splits `text` at every `separator`; n separators give n + 1 fields.
inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(separator, start);
    fields.push_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return fields;
    start = end + 1;
  }
}

// The text of a bundled data file, `relative` to data/.
inline std::string bundled_text(const char* relative) {
  std::ifstream in(std::string(KEIPATH_DATA_DIR) + "/" + relative, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The bundled rule base (data/), loaded on first use.
inline const RuleBase& bundled() {
  static const std::unique_ptr<const RuleBase> base = [] {
    auto loaded = RuleBase::load(RuleBaseOptions{KEIPATH_DATA_DIR, std::nullopt, fixed_today()});
    if (!loaded) {
      std::fprintf(stderr, "fuzz: the bundled rule base does not load:\n%s\n",
                   loaded.error().message.c_str());
      std::abort();
    }
    return std::move(*loaded);
  }();
  return *base;
}

// Reads a parameter store as the rules do: every parameter's value on dates around each of its changes, and,
// when the store holds Japan's kei-class parameters, the kei rule bound to it (explain and batch mode) for a
// few catalog vehicles on those dates. Values that load must not break the rules that read them.
inline void exercise_store(const ParamStore& store) {
  std::vector<Date> dates = {Date::from_days(-25'000), Date::from_days(0), fixed_today()};
  for (const Parameter& p : store.parameters()) {
    for (const ParamValue& v : p.values) {
      if (dates.size() < 64) {
        dates.push_back(v.from.plus_days(-1));
        dates.push_back(v.from);
      }
    }
    for (const Date d : dates) {
      (void)p.at(d);
      (void)p.in_force(d);
    }
  }
  auto kei = KeiClassRule::bind(store);
  if (!kei) return;
  const auto& entries = bundled().catalog().entries();
  KeiColumnStore columns;
  for (size_t i = 0; i < entries.size() && i < 4; ++i) {
    const Vehicle& v = entries[i].vehicle;
    for (const Date d : dates) {
      (void)kei->explain(v, d);
      columns.push(v, d);
    }
  }
  std::vector<KeiVerdict> verdict(columns.size());
  std::vector<uint8_t> failed(columns.size());
  (void)kei->classify(columns.columns(), KeiBatchOutput{verdict, failed});
}

// Every rule of the rule base bound to `store` (the bundled store with a scenario applied) and asked about a
// few catalog vehicles on `dates`: the import pathways, state roads, duties, landed cost, ownership cost and
// a short crash simulation. A scenario may set any parameter to any value its unit allows.
inline void exercise_rules(const ParamStore& store, const std::vector<Date>& dates) {
  const RuleBase& base = bundled();
  static const std::vector<PathwayForm> kForms =
      ImportRule::parse_forms(bundled_text("law/us/federal/pathway_forms.csv"), "pathway_forms.csv")
          .value_or(std::vector<PathwayForm>{});
  std::vector<Vehicle> vehicles;
  const auto& entries = base.catalog().entries();
  for (size_t i = 0; i < entries.size(); i += 12) {
    vehicles.push_back(entries[i].vehicle);
    vehicles.back().built = entries[i].produced_from;
  }
  if (auto import_rule = ImportRule::bind(store, kForms)) {
    for (const Vehicle& v : vehicles) {
      for (const Date d : dates) (void)import_rule->explain(v, d);
    }
  }
  if (auto roads = StateRoadRule::bind(store, base.state_law())) {
    for (const Vehicle& v : vehicles) {
      for (const Date d : dates) {
        const auto answers = roads->answer_all(StateQuestion{v, d, std::nullopt, std::nullopt, 40, true});
        (void)StateRoadRule::count(answers);
      }
    }
  }
  auto duties = DutyRule::bind(store, base.duties().headings());
  if (duties) {
    (void)duties->window_starts(Date::from_days(0), fixed_today().plus_days(3650));
    if (auto landed = LandedCostModel::bind(store, base.landed_cost().tables(), *duties)) {
      for (const Vehicle& v : vehicles) {
        for (const Date d : dates) {
          LandedCostQuestion q;
          q.vehicle = v;
          q.entry = d;
          q.price_jpy = 500'000;
          q.inland_miles = 700;
          (void)landed->compute(q);
        }
      }
    }
  }
  if (auto ownership = OwnershipModel::bind(store, base.ownership().references())) {
    for (const ReferenceVehicle& r : ownership->references()) {
      OwnershipTerms terms;
      terms.start = dates.front();
      (void)ownership->cost(ownership->reference(r), terms, false);
    }
    (void)ownership->from_japanese_cycle(15.6, TestCycle::ten_fifteen, dates.front());
    (void)ownership->from_japanese_ev(124, dates.front());
  }
  if (auto crash = CrashRule::bind(store, base.crash().partners())) {
    (void)crash->simulate(700, true, crash->partners().fleet(), dates.front(),
                          SimulationOptions{3, 64, 1, 1});
    (void)crash->expected(700, 2000, CrashRule::Configuration::side_struck, dates.front());
  }
}

}  // namespace keipath::fuzz
