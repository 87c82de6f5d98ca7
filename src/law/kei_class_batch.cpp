// The kei-class rule in batch mode: columns of vehicles, each judged on its own date, lanes::kWidth at a
// time through the same judge as explain mode (kei_rule.hpp), with no recording and no allocation per row.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "law/kei_rule.hpp"

namespace keipath {
namespace {

using namespace kei_rule;

// The limits in force for each lane's era: its row of the era table, read through `columns` (GatherColumns
// or ShuffleColumns, which give the same values).
template <class Columns>
LimitsLanes limits_in_lanes(const Columns& columns, Int era, int32_t binding_mask) {
  LimitsLanes lim{};  // every member is set below (the limits through kLimitSpecs)
  lim.class_in_effect = columns.ints(kClassInEffectColumn, era);
  lim.class_mask = columns.ints(kClassMaskColumn, era);
  lim.in_force_mask = columns.ints(kInForceMaskColumn, era);
  lim.stroke_limits_agree = columns.ints(kStrokeAgreeColumn, era);
  lim.binding_mask = binding_mask;
  for (size_t i = 0; i < kLimitSpecs.size(); ++i) {
    lim.*(kLimitSpecs[i].lane_slot) =
        LimitLanes{columns.ints(in_force_column(i), era), columns.ints(max_whole_column(i), era),
                   columns.floats(i, era)};
  }
  return lim;
}

// Any number of eras: a memory gather per lane.
struct GatherColumns {
  const kei_detail::EraTable& table;
  Int ints(size_t column, Int era) const { return lanes::gather(table.int_columns[column].data(), era); }
  lanes::Float floats(size_t column, Int era) const {
    return lanes::gather(table.float_columns[column].data(), era);
  }
};

// Up to 2 * kWidth eras (the baseline has 12): each column held in two registers and looked up by shuffling,
// several times cheaper than a gather where AVX2 is available.
struct ShuffleColumns {
  std::vector<lanes::RegisterTable<Int>> int_tables;
  std::vector<lanes::RegisterTable<lanes::Float>> float_tables;
  explicit ShuffleColumns(const kei_detail::EraTable& t) {
    for (const auto& c : t.int_columns) int_tables.push_back(lanes::register_table<Int>(c));
    for (const auto& c : t.float_columns) float_tables.push_back(lanes::register_table<lanes::Float>(c));
  }
  Int ints(size_t column, Int era) const { return lanes::lookup(int_tables[column], era); }
  lanes::Float floats(size_t column, Int era) const { return lanes::lookup(float_tables[column], era); }
};

}  // namespace

void KeiClassRule::build_era_table() {
  // Eras for batch mode: limits_on (the one resolution of parameters, shared with explain mode) evaluated on
  // the day before the first change and on every day a parameter changes.
  std::vector<Date> changes;
  for (const Parameter* p : limit_params_) {
    for (const ParamValue& v : p->values) changes.push_back(v.from);
  }
  for (const ParamValue& v : class_in_effect_->values) changes.push_back(v.from);
  std::sort(changes.begin(), changes.end());
  changes.erase(std::unique(changes.begin(), changes.end()), changes.end());
  kei_detail::EraTable& t = eras_;
  t.int_columns.resize(kIntColumns);
  t.float_columns.resize(kLimitSpecs.size());
  auto add_era = [&](Date d) {
    const Limits lim = limits_on(d);
    t.int_columns[kClassInEffectColumn].push_back(lim.class_in_effect ? -1 : 0);
    t.int_columns[kClassMaskColumn].push_back(lim.class_mask);
    t.int_columns[kInForceMaskColumn].push_back(lim.in_force_mask);
    t.int_columns[kStrokeAgreeColumn].push_back(lim.stroke_limits_agree ? -1 : 0);
    for (size_t i = 0; i < kLimitSpecs.size(); ++i) {
      const LimitOnDate& slot = lim.*(kLimitSpecs[i].slot);
      t.int_columns[in_force_column(i)].push_back(slot.in_force ? -1 : 0);
      t.int_columns[max_whole_column(i)].push_back(slot.max_whole);
      t.float_columns[i].push_back(slot.max_float);
    }
  };
  add_era(changes.front().plus_days(-1));
  for (const Date d : changes) {
    t.starts.push_back(d.days_since_epoch());
    add_era(d);
  }
}

Result<void> KeiClassRule::classify(const KeiColumns& in, const KeiBatchOutput& out) const {
  const size_t n = in.judged_on.size();
  const std::array<std::pair<std::string_view, size_t>, 12> sizes = {{
      {"length_mm", in.length_mm.size()},
      {"width_mm", in.width_mm.size()},
      {"height_mm", in.height_mm.size()},
      {"displacement_cc", in.displacement_cc.size()},
      {"payload_kg", in.payload_kg.size()},
      {"seats", in.seats.size()},
      {"engine", in.engine.size()},
      {"power_kw", in.power_kw.size()},
      {"goods", in.goods.size()},
      {"verdict (output)", out.verdict.size()},
      {"failed (output)", out.failed.size()},
      {"judged_on", n},
  }};
  for (const auto& [name, size] : sizes) {
    if (size != n)
      return fail(fmt::format("kei batch: column {} has {} rows, judged_on has {}", name, size, n));
  }
  if (lanes::kShuffleBeatsGather && eras_.int_columns.front().size() <= lanes::kRegisterTableSize) {
    classify_lanes(ShuffleColumns(eras_), in, out);
  } else {
    classify_lanes(GatherColumns{eras_}, in, out);
  }
  return {};
}

template <class Columns>
void KeiClassRule::classify_lanes(const Columns& columns, const KeiColumns& in,
                                  const KeiBatchOutput& out) const {
  const size_t n = in.judged_on.size();
  NullTracer tracer;
  // lanes::kWidth rows at a time; the last partial group is copied into padded lanes (unknown values) first.
  auto judge_lanes = [&](const int32_t* days, const int16_t* length, const int16_t* width,
                         const int16_t* height, const int16_t* displacement, const int16_t* payload,
                         const int8_t* seats, const uint8_t* engine, const float* power, const uint8_t* goods,
                         KeiVerdict* verdict, uint8_t* failed) {
    const Int day = lanes::load(days);
    const LimitsLanes lim =
        limits_in_lanes(columns, lanes::count_at_or_below(eras_.starts, day), binding_mask_);
    const KeiInputLanes v{lanes::load(length),       lanes::load(width),   lanes::load(height),
                          lanes::load(displacement), lanes::load(engine),  lanes::load(power),
                          lanes::load(seats),        lanes::load(payload), lanes::load(goods)};
    const auto j = judge(v, lim, Date{}, tracer);
    lanes::store_bytes(j.verdict, verdict);
    lanes::store_bytes(j.failed, failed);
  };
  const size_t whole = n - n % lanes::kWidth;
  for (size_t i = 0; i < whole; i += lanes::kWidth) {
    judge_lanes(&in.judged_on[i], &in.length_mm[i], &in.width_mm[i], &in.height_mm[i], &in.displacement_cc[i],
                &in.payload_kg[i], &in.seats[i], &in.engine[i], &in.power_kw[i], &in.goods[i],
                &out.verdict[i], &out.failed[i]);
  }
  if (whole < n) {
    constexpr int W = lanes::kWidth;
    int32_t days[W] = {};
    int16_t length[W], width[W], height[W], displacement[W], payload[W];
    int8_t seats[W];
    uint8_t engine[W], goods[W] = {}, failed[W];
    float power[W];
    KeiVerdict verdict[W];
    for (int k = 0; k < W; ++k) {
      const size_t row = std::min(whole + static_cast<size_t>(k), n - 1);  // repeat the last row as padding
      days[k] = in.judged_on[row];
      length[k] = in.length_mm[row];
      width[k] = in.width_mm[row];
      height[k] = in.height_mm[row];
      displacement[k] = in.displacement_cc[row];
      payload[k] = in.payload_kg[row];
      seats[k] = in.seats[row];
      engine[k] = in.engine[row];
      goods[k] = in.goods[row];
      power[k] = in.power_kw[row];
    }
    judge_lanes(days, length, width, height, displacement, payload, seats, engine, power, goods, verdict,
                failed);
    for (size_t row = whole; row < n; ++row) {
      out.verdict[row] = verdict[row - whole];
      out.failed[row] = failed[row - whole];
    }
  }
}

}  // namespace keipath
