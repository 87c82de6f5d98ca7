// The kei-class rule. One implementation (judge) serves explain mode and batch mode; see kei_class.hpp.
#include "keipath/kei_class.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/lanes.hpp"
#include "keipath/text.hpp"

namespace keipath {
namespace {

using kei_detail::LimitOnDate;
using kei_detail::Limits;
using lanes::Int;

// Batch mode's counterpart of Limits: the same members, each holding one lane per row.
struct LimitLanes {
  lanes::Int in_force;  // mask
  lanes::Int max_whole;
  lanes::Float max_float;
};
struct LimitsLanes {
  lanes::Int class_in_effect;  // mask
  LimitLanes length, width, height, displacement_four_stroke, displacement_two_stroke, electric_output, seats,
      payload;
  lanes::Int in_force_mask;
  int32_t binding_mask;
  lanes::Int class_mask;
  lanes::Int stroke_limits_agree;  // mask
};

struct LimitSpec {
  std::string_view name;
  std::string_view unit;
  KeiCheck check;
  LimitOnDate Limits::*slot;
  LimitLanes LimitsLanes::*lane_slot;
};

constexpr std::string_view kClassInEffect = "jp.kei.class_in_effect";
constexpr std::array<LimitSpec, 8> kLimitSpecs = {{
    {"jp.kei.max_length_mm", "mm", KeiCheck::length, &Limits::length, &LimitsLanes::length},
    {"jp.kei.max_width_mm", "mm", KeiCheck::width, &Limits::width, &LimitsLanes::width},
    {"jp.kei.max_height_mm", "mm", KeiCheck::height, &Limits::height, &LimitsLanes::height},
    {"jp.kei.max_displacement_four_stroke_cc", "cc", KeiCheck::displacement,
     &Limits::displacement_four_stroke, &LimitsLanes::displacement_four_stroke},
    {"jp.kei.max_displacement_two_stroke_cc", "cc", KeiCheck::displacement, &Limits::displacement_two_stroke,
     &LimitsLanes::displacement_two_stroke},
    {"jp.kei.max_electric_motor_output_kw", "kW", KeiCheck::electric_output, &Limits::electric_output,
     &LimitsLanes::electric_output},
    {"jp.kei.max_seats", "persons", KeiCheck::seats, &Limits::seats, &LimitsLanes::seats},
    {"jp.kei.max_payload_kg", "kg", KeiCheck::payload, &Limits::payload, &LimitsLanes::payload},
}};

// Column ids of the era table: four per-era values, then an in-force mask and a whole maximum per limit.
constexpr size_t kClassInEffectColumn = 0, kClassMaskColumn = 1, kInForceMaskColumn = 2,
                 kStrokeAgreeColumn = 3;
constexpr size_t in_force_column(size_t limit) {
  return 4 + 2 * limit;
}
constexpr size_t max_whole_column(size_t limit) {
  return 5 + 2 * limit;
}
constexpr size_t kIntColumns = 4 + 2 * kLimitSpecs.size();

constexpr int32_t bit(KeiCheck c) {
  return 1 << static_cast<int>(c);
}

// The fields the rule reads, for one vehicle (explain mode) and for a lane group (batch mode). Negative means
// unknown; engine is an EngineKind value or kEngineUnknown.
struct KeiInput {
  int32_t length_mm, width_mm, height_mm, displacement_cc;
  int32_t engine;
  float power_kw;
  int32_t seats, payload_kg;
  bool goods;
};
struct KeiInputLanes {
  lanes::Int length_mm, width_mm, height_mm, displacement_cc;
  lanes::Int engine;
  lanes::Float power_kw;
  lanes::Int seats, payload_kg;
  lanes::Int goods;  // 1 or 0
};

// Explain mode's tracer: the generic reasons plus one structured finding per check.
struct KeiTracer : RecordingTracer {
  std::vector<KeiFinding> findings;
};

// Each check's machine name (JSON, case files) and the words used for it in reasons, in KeiCheck order.
struct CheckName {
  std::string_view id, label;
};
constexpr std::array<CheckName, kKeiCheckCount> kCheckNames = {{
    {"length", "length"},
    {"width", "width"},
    {"height", "height"},
    {"displacement", "engine displacement"},
    {"electric_output", "electric motor output"},
    {"seats", "seating capacity"},
    {"payload", "payload"},
}};

std::string_view check_label(KeiCheck c) {
  return kCheckNames[static_cast<size_t>(c)].label;
}

std::string quantity(double v, std::string_view unit) {
  return unit == "persons" ? fmt::format("{} persons", format_quantity(v))
                           : fmt::format("{} {}", format_quantity(v), unit);
}

// Records one check in explain mode. `why_not_applicable` explains a check that does not apply to this
// vehicle.
void trace_check(KeiTracer& t, KeiCheck id, double value, bool known, const LimitOnDate& lim, bool applies,
                 std::string_view why_not_applicable, Date date) {
  KeiFinding f{id, Outcome::pass, std::nullopt, std::nullopt, std::nullopt, lim.param->unit, lim.binding};
  if (known && applies) f.value = value;
  Reason r;
  r.check = std::string(to_string(id));
  if (lim.entry != nullptr) r.citation = Citation::of(*lim.param, *lim.entry);
  const std::string label(check_label(id));
  const std::string since = lim.entry ? fmt::format("in force since {}", lim.entry->from.str()) : "";
  const std::string_view convention =
      lim.binding ? "" : " conventional (legal basis unverified, not binding)";

  if (!applies) {
    f.outcome = Outcome::not_applicable;
    r.text = fmt::format("{} limit does not apply: {}", label, why_not_applicable);
  } else if (!lim.in_force) {
    f.outcome = Outcome::not_applicable;
    r.text = lim.entry ? fmt::format("no {} limit: abolished on {}", label, lim.entry->from.str())
                       : fmt::format("no {} limit recorded for {} (the first recorded value is from {})",
                                     label, date.str(), lim.param->values.front().from.str());
  } else {
    f.limit = lim.max;
    const std::string limit_text = quantity(lim.max, lim.param->unit);
    if (!known) {
      f.outcome = Outcome::unknown;
      r.text = fmt::format("{} unknown: the{} {} limit {} cannot be checked", label, convention, limit_text,
                           since);
    } else if (value > lim.max) {
      f.outcome = lim.binding ? Outcome::fail : Outcome::note;
      f.excess = value - lim.max;
      r.text = fmt::format("{} {} exceeds the{} {} limit {} by {}", label, quantity(value, lim.param->unit),
                           convention, limit_text, since, quantity(*f.excess, lim.param->unit));
    } else {
      f.outcome = Outcome::pass;
      r.text = fmt::format("{} {} ≤ {}{} limit {}", label, quantity(value, lim.param->unit), limit_text,
                           lim.binding ? "" : " (conventional, not binding)", since);
    }
  }
  r.outcome = f.outcome;
  t.findings.push_back(f);
  t.add(std::move(r));
}

// Records one limit's raw comparison: bit `id` of `exceeded` where the value is over the limit, of `missing`
// where it is unknown. Whether the check applies and binds is applied once, as masks, in judge. `lim` is the
// LimitOnDate behind `max`, read only when tracing.
template <class Tracer, class V, class Max, class Bits, class Mask, class L>
inline void check(Tracer& t, KeiCheck id, V value, Max max, const L& lim, Mask applies,
                  std::string_view why_not_applicable, Date date, Bits& exceeded, Bits& missing) {
  exceeded |= lanes::bits_if(value > max, bit(id));  // never true where no limit is in force (max = +inf)
  missing |= lanes::bits_if(value < 0, bit(id));
  if constexpr (Tracer::kRecords) {
    trace_check(t, id, static_cast<double>(value), value >= 0, lim, applies, why_not_applicable, date);
  }
}

// In explain mode, the two-stroke or four-stroke limit for the trace; in batch mode (no tracing) a
// placeholder.
template <class Mask, class L>
const L& traced_choice(Mask two_stroke, const L& two, const L& four) {
  if constexpr (std::is_same_v<Mask, bool>) {
    return two_stroke ? two : four;
  } else {
    return four;
  }
}

template <class Bits>
struct Judgement {
  Bits verdict;  // 0 kei, 1 not kei, 2 unknown (the KeiVerdict values)
  Bits failed;   // binding limits exceeded
};

// THE rule. Pure: a function of the vehicle's fields, the limits in force on the date, and the tracer. It is
// instantiated for one vehicle (KeiInput, Limits: explain mode) and for a lane group (KeiInputLanes,
// LimitsLanes: batch mode), so it is written as straight-line arithmetic on masks, without data-dependent
// branches.
template <class Tracer, class In, class Lim>
inline auto judge(const In& in, const Lim& lim, Date date, Tracer& t) {
  using lanes::bits_if;
  using lanes::mask_and;
  using lanes::mask_not;
  using lanes::mask_or;
  using lanes::select;
  // Explain mode does not list limits for a date on which the class did not exist; batch mode computes them
  // and masks them out below, which gives the same verdict.
  if constexpr (Tracer::kRecords) {
    if (!lim.class_in_effect) return Judgement<int32_t>{1, 0};
  }
  // Displacement bounds combustion engines only; until the limits were unified the two-stroke limit was
  // lower. With the engine kind unknown, a known displacement can still be judged on a day both limits are
  // equal. Motor output bounds electric vehicles only (while it was limited); payload bounds goods vehicles.
  const auto electric = in.engine == static_cast<int32_t>(EngineKind::electric);
  const auto two_stroke = in.engine == static_cast<int32_t>(EngineKind::two_stroke);
  const auto engine_unknown = in.engine == static_cast<int32_t>(kEngineUnknown);
  const auto hidden = bits_if(mask_and(engine_unknown, mask_not(lim.stroke_limits_agree)), -1);
  const auto displacement = (in.displacement_cc & ~hidden) | hidden;  // -1 (unknown) where hidden
  const auto displacement_max =
      select(two_stroke, lim.displacement_two_stroke.max_whole, lim.displacement_four_stroke.max_whole);
  const auto displacement_in_force =
      select(two_stroke, lim.displacement_two_stroke.in_force, lim.displacement_four_stroke.in_force);
  const auto& displacement_limit =
      traced_choice(two_stroke, lim.displacement_two_stroke, lim.displacement_four_stroke);
  const auto goods = in.goods != 0;
  const auto applies =
      (bit(KeiCheck::length) | bit(KeiCheck::width) | bit(KeiCheck::height) | bit(KeiCheck::seats)) |
      bits_if(mask_not(electric), bit(KeiCheck::displacement)) |
      bits_if(electric, bit(KeiCheck::electric_output)) | bits_if(goods, bit(KeiCheck::payload));

  using Bits = std::remove_cv_t<decltype(applies)>;  // int32_t for one vehicle, Int for a lane group
  Bits exceeded{}, missing{};
  check(t, KeiCheck::length, in.length_mm, lim.length.max_whole, lim.length, true, "", date, exceeded,
        missing);
  check(t, KeiCheck::width, in.width_mm, lim.width.max_whole, lim.width, true, "", date, exceeded, missing);
  check(t, KeiCheck::height, in.height_mm, lim.height.max_whole, lim.height, true, "", date, exceeded,
        missing);
  check(t, KeiCheck::displacement, displacement, displacement_max, displacement_limit, mask_not(electric),
        "an electric vehicle has no combustion engine", date, exceeded, missing);
  check(t, KeiCheck::electric_output, in.power_kw, lim.electric_output.max_float, lim.electric_output,
        electric, "the vehicle is not electric", date, exceeded, missing);
  check(t, KeiCheck::seats, in.seats, lim.seats.max_whole, lim.seats, true, "", date, exceeded, missing);
  check(t, KeiCheck::payload, in.payload_kg, lim.payload.max_whole, lim.payload, goods,
        "the payload limit bounds goods vehicles (trucks and vans) only", date, exceeded, missing);

  const auto in_force = lim.in_force_mask | bits_if(displacement_in_force, bit(KeiCheck::displacement));
  const auto decisive = applies & in_force & lim.binding_mask;
  const auto failed = exceeded & decisive & lim.class_mask;
  const auto not_kei = mask_or(failed != 0, mask_not(lim.class_in_effect));
  const auto unknown = mask_and((missing & decisive) != 0, mask_not(not_kei));
  static_assert(static_cast<int>(KeiVerdict::kei) == 0 && static_cast<int>(KeiVerdict::not_kei) == 1 &&
                static_cast<int>(KeiVerdict::unknown) == 2);
  return Judgement<Bits>{bits_if(not_kei, 1) | bits_if(unknown, 2), failed};
}

KeiInput input_of(const Vehicle& v) {
  return KeiInput{v.length_mm.value_or(-1),
                  v.width_mm.value_or(-1),
                  v.height_mm.value_or(-1),
                  v.displacement_cc.value_or(-1),
                  v.engine ? static_cast<int32_t>(*v.engine) : static_cast<int32_t>(kEngineUnknown),
                  v.power_kw ? static_cast<float>(*v.power_kw) : -1.0f,
                  v.seats.value_or(-1),
                  v.payload_kg.value_or(-1),
                  v.body && is_goods_body(*v.body)};
}

}  // namespace

std::string_view to_string(KeiVerdict v) {
  switch (v) {
    case KeiVerdict::kei:
      return "kei";
    case KeiVerdict::not_kei:
      return "not_kei";
    case KeiVerdict::unknown:
      return "unknown";
  }
  return "?";
}

std::string_view to_string(KeiCheck c) {
  return kCheckNames[static_cast<size_t>(c)].id;
}

Result<KeiClassRule> KeiClassRule::bind(const ParamStore& params) {
  KeiClassRule rule;
  std::vector<std::string> problems;
  if (auto p = params.require(kClassInEffect, "bool")) {
    rule.class_in_effect_ = *p;
  } else {
    problems.push_back(p.error().message);
  }
  for (const LimitSpec& spec : kLimitSpecs) {
    if (auto p = params.require(spec.name, spec.unit)) {
      rule.limit_params_.push_back(*p);
    } else {
      problems.push_back(p.error().message);
    }
  }
  if (!problems.empty())
    return fail(fmt::format("kei class rule: {}", fmt::join(problems, "\nkei class rule: ")));

  for (size_t i = 0; i < kLimitSpecs.size(); ++i) {
    if (rule.limit_params_[i]->binding) rule.binding_mask_ |= bit(kLimitSpecs[i].check);
  }

  // Eras for batch mode: limits_on (the one resolution of parameters, shared with explain mode) evaluated on
  // the day before the first change and on every day a parameter changes.
  std::vector<Date> changes;
  for (const Parameter* p : rule.limit_params_) {
    for (const ParamValue& v : p->values) changes.push_back(v.from);
  }
  for (const ParamValue& v : rule.class_in_effect_->values) changes.push_back(v.from);
  std::sort(changes.begin(), changes.end());
  changes.erase(std::unique(changes.begin(), changes.end()), changes.end());
  kei_detail::EraTable& t = rule.eras_;
  t.int_columns.resize(kIntColumns);
  t.float_columns.resize(kLimitSpecs.size());
  auto add_era = [&](Date d) {
    const Limits lim = rule.limits_on(d);
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
  return rule;
}

KeiClassRule::Limits KeiClassRule::limits_on(Date date) const {
  Limits lim;
  lim.class_entry = class_in_effect_->at(date);
  lim.class_in_effect =
      lim.class_entry != nullptr && !lim.class_entry->abolished && lim.class_entry->value != 0;
  lim.class_mask = lim.class_in_effect ? 0xFF : 0;
  lim.binding_mask = binding_mask_;
  for (size_t i = 0; i < kLimitSpecs.size(); ++i) {
    LimitOnDate& slot = lim.*(kLimitSpecs[i].slot);
    slot.param = limit_params_[i];
    slot.entry = slot.param->at(date);
    slot.binding = slot.param->binding;
    slot.in_force = slot.entry != nullptr && !slot.entry->abolished;
    slot.max = slot.in_force ? slot.entry->value : 0;
    // With no limit in force nothing can exceed it; whole-number values compare against floor(max).
    slot.max_whole = slot.in_force ? static_cast<int32_t>(std::floor(slot.max)) : INT32_MAX;
    slot.max_float = slot.in_force ? static_cast<float>(slot.max) : std::numeric_limits<float>::infinity();
    // Displacement has two limits, one per engine kind; judge picks the vehicle's.
    if (slot.in_force && kLimitSpecs[i].check != KeiCheck::displacement)
      lim.in_force_mask |= bit(kLimitSpecs[i].check);
  }
  lim.stroke_limits_agree = lim.displacement_two_stroke.in_force == lim.displacement_four_stroke.in_force &&
                            lim.displacement_two_stroke.max == lim.displacement_four_stroke.max;
  return lim;
}

// The limits in force for each lane's era: its row of the era table, read through `columns` (GatherColumns
// or ShuffleColumns, which give the same values).
template <class Columns>
LimitsLanes limits_in_lanes(const Columns& columns, Int era, int32_t binding_mask) {
  LimitsLanes lim;
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

KeiDetermination KeiClassRule::explain(const Vehicle& vehicle, Date date) const {
  const Limits lim = limits_on(date);
  KeiTracer tracer;
  Reason head;
  head.check = "class_in_effect";
  if (lim.class_entry != nullptr) head.citation = Citation::of(*class_in_effect_, *lim.class_entry);
  if (lim.class_in_effect) {
    head.outcome = Outcome::pass;
    head.text = fmt::format("the kei class exists on {} (since {})", date.str(), lim.class_entry->from.str());
  } else {
    head.outcome = Outcome::fail;
    head.text = lim.class_entry == nullptr
                    ? fmt::format("the kei class did not exist on {}: it was created on {}", date.str(),
                                  class_in_effect_->values.front().from.str())
                    : fmt::format("the kei class is not in effect on {} (since {})", date.str(),
                                  lim.class_entry->from.str());
  }
  tracer.add(std::move(head));
  const auto j = judge(input_of(vehicle), lim, date, tracer);

  KeiDetermination d;
  d.verdict = static_cast<KeiVerdict>(j.verdict);
  d.date = date;
  d.class_in_effect = lim.class_in_effect;
  d.findings = std::move(tracer.findings);
  d.reasons = std::move(tracer.reasons);
  return d;
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
