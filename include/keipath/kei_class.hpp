// Japan's kei class (軽自動車): is a vehicle a kei vehicle under Japanese law as it stood on a given date?
//
// The limits (length, width, height, displacement by engine kind, electric motor output while it was limited,
// seats, payload for goods vehicles) are parameters under jp.kei.* in data/law/jp/kei_class.toml. The rule is
// written once (kei_class.cpp) and runs in two modes:
//   - explain: one vehicle, every check recorded with the parameter, its value on the date and its citation;
//   - batch: columns of vehicles, each judged on its own date, no recording and no allocation per vehicle.
//
// Verdict: not_kei if any binding limit is exceeded (or the class did not exist on the date); otherwise
// unknown if a binding limit could not be checked for want of a field; otherwise kei. A non-binding parameter
// (a convention whose legal basis is unverified) is checked and reported, but never decides the verdict.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/determination.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"
#include "keipath/vehicle.hpp"

namespace keipath {

enum class KeiVerdict : uint8_t { kei, not_kei, unknown };
std::string_view to_string(KeiVerdict v);

enum class KeiCheck : uint8_t { length, width, height, displacement, electric_output, seats, payload };
inline constexpr int kKeiCheckCount = 7;
std::string_view to_string(KeiCheck c);

// One limit as checked for one vehicle on one date.
struct KeiFinding {
  KeiCheck check;
  // pass, fail, unknown, not_applicable, or note (a non-binding limit exceeded). An unknown on a non-binding
  // limit does not make the verdict unknown.
  Outcome outcome;
  std::optional<double> value;   // the vehicle's value, when known
  std::optional<double> limit;   // the limit in force, when there is one
  std::optional<double> excess;  // value - limit, when the limit is exceeded
  std::string unit;
  bool binding = true;
};

struct KeiDetermination {
  KeiVerdict verdict = KeiVerdict::unknown;
  Date date;
  bool class_in_effect = false;
  std::vector<KeiFinding> findings;  // one per check, in KeiCheck order (empty if the class did not exist)
  std::vector<Reason> reasons;       // the human-readable chain, each with its citation
  // When the verdict is unknown: the vehicle fields that, if given, would settle it ("length_mm", "engine").
  std::vector<std::string> missing_fields;
};

// Batch input: one entry per vehicle in every column. Unknown values are -1 (negative for power_kw);
// engine holds an EngineKind value or kEngineUnknown.
inline constexpr uint8_t kEngineUnknown = 0xFF;
struct KeiColumns {
  std::span<const int32_t> judged_on;  // Date::days_since_epoch() of the date each vehicle is judged on
  std::span<const int16_t> length_mm, width_mm, height_mm, displacement_cc, payload_kg;
  std::span<const int8_t> seats;
  std::span<const uint8_t> engine;
  std::span<const float> power_kw;
  std::span<const uint8_t> goods;  // 1 for a truck or van (is_goods_body)
};
struct KeiBatchOutput {
  std::span<KeiVerdict> verdict;
  std::span<uint8_t> failed;  // bit (1 << KeiCheck) set for each binding limit exceeded
};

// Owning batch columns, filled one vehicle at a time (a CSV chunk, a test's rows): each field as KeiColumns
// holds it, unknown as -1 (power -1.0f, engine kEngineUnknown).
struct KeiColumnStore {
  std::vector<int32_t> judged_on;
  std::vector<int16_t> length_mm, width_mm, height_mm, displacement_cc, payload_kg;
  std::vector<int8_t> seats;
  std::vector<uint8_t> engine;
  std::vector<float> power_kw;
  std::vector<uint8_t> goods;

  // `v` must have passed validate_vehicle (its fields then fit the narrow columns).
  void push(const Vehicle& v, Date judged);
  void clear();
  size_t size() const { return judged_on.size(); }
  KeiColumns columns() const {
    return KeiColumns{judged_on,  length_mm, width_mm, height_mm, displacement_cc,
                      payload_kg, seats,     engine,   power_kw,  goods};
  }
};

namespace kei_detail {
// One limit resolved for a date: its maximum, whether a limit is in force at all, whether it binds, and the
// parameter value behind it (for citations in explain mode). Where no limit is in force, max_whole is
// INT32_MAX and max_float +inf, so nothing exceeds it.
struct LimitOnDate {
  double max = 0;
  int32_t max_whole = 0;  // floor(max), for whole-number values
  float max_float = 0;    // max, for values given as float
  bool in_force = false;
  bool binding = true;
  const Parameter* param = nullptr;
  const ParamValue* entry = nullptr;  // null before the parameter's first value
};
struct Limits {
  bool class_in_effect = false;
  const ParamValue* class_entry = nullptr;
  LimitOnDate length, width, height, displacement_four_stroke, displacement_two_stroke, electric_output,
      seats, payload;
  // Bit (1 << KeiCheck) for each check with a limit in force (except displacement, which depends on the
  // engine kind)...
  int32_t in_force_mask = 0;
  int32_t binding_mask = 0;          // ... and for each check whose limit binds
  int32_t class_mask = 0;            // 0xFF while the class is in effect, else 0
  bool stroke_limits_agree = false;  // two- and four-stroke displacement limits are the same
};
// Batch mode's copy of Limits for every era (the spans between consecutive days on which any of the rule's
// parameters changes), column by column, so that lanes of rows can look up their era's values. Column ids
// are defined in kei_class.cpp.
struct EraTable {
  std::vector<int32_t> starts;  // first day of eras 1..E, ascending; era 0 is every day before the first
  std::vector<std::vector<int32_t>> int_columns;  // one value per era in each
  std::vector<std::vector<float>> float_columns;
};
}  // namespace kei_detail

class KeiClassRule {
 public:
  // Binds the rule to its parameters. Fails, naming the parameter, if one is missing or has the wrong unit.
  // `params` must outlive the rule.
  static Result<KeiClassRule> bind(const ParamStore& params);

  KeiDetermination explain(const Vehicle& vehicle, Date date) const;

  // Judges every row. Fails (writing nothing) if the columns and outputs are not all the same length.
  Result<void> classify(const KeiColumns& in, const KeiBatchOutput& out) const;

 private:
  using Limits = kei_detail::Limits;
  KeiClassRule() = default;
  Limits limits_on(Date date) const;
  void build_era_table();  // fills eras_ from limits_on (kei_class_batch.cpp)
  template <class Columns>
  void classify_lanes(const Columns& columns, const KeiColumns& in, const KeiBatchOutput& out) const;

  const Parameter* class_in_effect_ = nullptr;
  std::vector<const Parameter*> limit_params_;  // indexed by the order of kLimitSpecs in kei_class.cpp
  int32_t binding_mask_ = 0;
  kei_detail::EraTable eras_;  // limits_on for every era, for batch mode
};

}  // namespace keipath
