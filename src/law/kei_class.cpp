// The kei-class rule. One implementation (judge) serves explain mode and batch mode; see kei_class.hpp.
#include "keipath/kei_class.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <limits>
#include <cmath>
#include <type_traits>

#include "keipath/text.hpp"

namespace keipath {
namespace {

using kei_detail::LimitOnDate;
using kei_detail::Limits;

struct LimitSpec {
  std::string_view name;
  std::string_view unit;
  LimitOnDate Limits::*slot;
};

constexpr std::string_view kClassInEffect = "jp.kei.class_in_effect";
constexpr std::array<LimitSpec, 8> kLimitSpecs = {{
    {"jp.kei.max_length_mm", "mm", &Limits::length},
    {"jp.kei.max_width_mm", "mm", &Limits::width},
    {"jp.kei.max_height_mm", "mm", &Limits::height},
    {"jp.kei.max_displacement_four_stroke_cc", "cc", &Limits::displacement_four_stroke},
    {"jp.kei.max_displacement_two_stroke_cc", "cc", &Limits::displacement_two_stroke},
    {"jp.kei.max_electric_motor_output_kw", "kW", &Limits::electric_output},
    {"jp.kei.max_seats", "persons", &Limits::seats},
    {"jp.kei.max_payload_kg", "kg", &Limits::payload},
}};

constexpr uint8_t bit(KeiCheck c) {
  return static_cast<uint8_t>(1u << static_cast<unsigned>(c));
}

// The fields the rule reads, in the same form for both modes. Negative means unknown.
struct KeiInput {
  int32_t length_mm, width_mm, height_mm, displacement_cc;
  uint8_t engine;
  float power_kw;
  int32_t seats, payload_kg;
  bool goods;
};

// Explain mode's tracer: the generic reasons plus one structured finding per check.
struct KeiTracer : RecordingTracer {
  std::vector<KeiFinding> findings;
};

std::string_view check_label(KeiCheck c) {
  switch (c) {
    case KeiCheck::length:
      return "length";
    case KeiCheck::width:
      return "width";
    case KeiCheck::height:
      return "height";
    case KeiCheck::displacement:
      return "engine displacement";
    case KeiCheck::electric_output:
      return "electric motor output";
    case KeiCheck::seats:
      return "seating capacity";
    case KeiCheck::payload:
      return "payload";
  }
  return "?";
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

// Records one limit's raw comparison: bit `id` of `exceeded` when the value is over the limit, of `missing`
// when the value is unknown. Whether the check applies and binds is applied once, as masks, in judge. The
// limit is passed as a number (for batch mode) and as the LimitOnDate behind it (read only when tracing).
template <class Tracer, class V, class Max>
inline void check(Tracer& t, KeiCheck id, V value, Max max, const LimitOnDate& lim, bool applies,
                  std::string_view why_not_applicable, Date date, unsigned& exceeded, unsigned& missing) {
  const unsigned shift = static_cast<unsigned>(id);
  exceeded |= static_cast<unsigned>(value > max) << shift;  // never true when no limit is in force (max = +inf)
  missing |= static_cast<unsigned>(value < 0) << shift;
  if constexpr (Tracer::kRecords) {
    trace_check(t, id, static_cast<double>(value), value >= 0, lim, applies, why_not_applicable, date);
  }
}

struct Judgement {
  KeiVerdict verdict;
  uint8_t failed;  // binding limits exceeded
};

// THE rule. Pure: a function of the vehicle's fields, the limits in force on the date, and the tracer.
// Written as straight-line arithmetic on bit masks, without data-dependent branches, so that batch mode runs
// at full speed over shuffled rows.
template <class Tracer>
inline Judgement judge(const KeiInput& in, const Limits& lim, Date date, Tracer& t) {
  // Explain mode does not list limits for a date on which the class did not exist; batch mode computes them
  // and masks them out below, which gives the same verdict without a branch.
  if constexpr (Tracer::kRecords) {
    if (!lim.class_in_effect) return Judgement{KeiVerdict::not_kei, 0};
  }
  // Displacement bounds combustion engines only; until the limits were unified the two-stroke limit was
  // lower. With the engine kind unknown, a known displacement can still be judged on a day both limits are
  // equal. Motor output bounds electric vehicles only (while it was limited); payload bounds goods vehicles.
  const bool electric = in.engine == static_cast<uint8_t>(EngineKind::electric);
  const bool two_stroke = in.engine == static_cast<uint8_t>(EngineKind::two_stroke);
  const bool engine_unknown = in.engine == kEngineUnknown;
  const int32_t hidden = -static_cast<int32_t>(engine_unknown & !lim.stroke_limits_agree);  // 0 or all ones
  const int32_t displacement = (in.displacement_cc & ~hidden) | hidden;                      // -1 when hidden
  const int32_t displacement_max =
      two_stroke ? lim.displacement_two_stroke.max_whole : lim.displacement_four_stroke.max_whole;
  const LimitOnDate& displacement_limit = two_stroke ? lim.displacement_two_stroke : lim.displacement_four_stroke;
  const unsigned applies = (bit(KeiCheck::length) | bit(KeiCheck::width) | bit(KeiCheck::height) |
                            bit(KeiCheck::seats)) |
                           (static_cast<unsigned>(!electric) << static_cast<unsigned>(KeiCheck::displacement)) |
                           (static_cast<unsigned>(electric) << static_cast<unsigned>(KeiCheck::electric_output)) |
                           (static_cast<unsigned>(in.goods) << static_cast<unsigned>(KeiCheck::payload));

  unsigned exceeded = 0, missing = 0;
  check(t, KeiCheck::length, in.length_mm, lim.length.max_whole, lim.length, true, "", date, exceeded, missing);
  check(t, KeiCheck::width, in.width_mm, lim.width.max_whole, lim.width, true, "", date, exceeded, missing);
  check(t, KeiCheck::height, in.height_mm, lim.height.max_whole, lim.height, true, "", date, exceeded, missing);
  check(t, KeiCheck::displacement, displacement, displacement_max, displacement_limit, !electric,
        "an electric vehicle has no combustion engine", date, exceeded, missing);
  check(t, KeiCheck::electric_output, in.power_kw, lim.electric_output.max_float, lim.electric_output, electric,
        "the vehicle is not electric", date, exceeded, missing);
  check(t, KeiCheck::seats, in.seats, lim.seats.max_whole, lim.seats, true, "", date, exceeded, missing);
  check(t, KeiCheck::payload, in.payload_kg, lim.payload.max_whole, lim.payload, in.goods,
        "the payload limit bounds goods vehicles (trucks and vans) only", date, exceeded, missing);

  const bool displacement_in_force =
      two_stroke ? lim.displacement_two_stroke.in_force : lim.displacement_four_stroke.in_force;
  const unsigned in_force =
      lim.in_force_mask | (static_cast<unsigned>(displacement_in_force) << static_cast<unsigned>(KeiCheck::displacement));
  const unsigned decisive = applies & in_force & lim.binding_mask;
  const unsigned failed = exceeded & decisive & lim.class_mask;
  const unsigned unknown = static_cast<unsigned>((missing & decisive) != 0);
  const unsigned not_kei = static_cast<unsigned>(failed != 0) | (lim.class_mask ^ 0xFFu) >> 7;
  static_assert(static_cast<int>(KeiVerdict::kei) == 0 && static_cast<int>(KeiVerdict::not_kei) == 1 &&
                static_cast<int>(KeiVerdict::unknown) == 2);
  const auto verdict = static_cast<KeiVerdict>(not_kei | ((unknown & (not_kei ^ 1u)) << 1));
  return Judgement{verdict, static_cast<uint8_t>(failed)};
}

KeiInput input_of(const Vehicle& v) {
  return KeiInput{v.length_mm.value_or(-1),
                  v.width_mm.value_or(-1),
                  v.height_mm.value_or(-1),
                  v.displacement_cc.value_or(-1),
                  v.engine ? static_cast<uint8_t>(*v.engine) : kEngineUnknown,
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
  switch (c) {
    case KeiCheck::length:
      return "length";
    case KeiCheck::width:
      return "width";
    case KeiCheck::height:
      return "height";
    case KeiCheck::displacement:
      return "displacement";
    case KeiCheck::electric_output:
      return "electric_output";
    case KeiCheck::seats:
      return "seats";
    case KeiCheck::payload:
      return "payload";
  }
  return "?";
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

  // Eras: the days on which any of the rule's parameters changes. Limits are resolved once per era.
  std::vector<Date> changes;
  for (const Parameter* p : rule.limit_params_) {
    for (const ParamValue& v : p->values) changes.push_back(v.from);
  }
  for (const ParamValue& v : rule.class_in_effect_->values) changes.push_back(v.from);
  std::sort(changes.begin(), changes.end());
  changes.erase(std::unique(changes.begin(), changes.end()), changes.end());
  if (changes.size() > 254) return fail("kei class rule: more than 254 dated changes; batch eras overflow");
  // era_of_day_[0] is the day before the first change (era 0, before any value); the last entry is the day of
  // the last change. Days outside the table clamp to its ends.
  rule.era_base_day_ = changes.front().days_since_epoch() - 1;
  rule.era_limits_.push_back(rule.limits_on(changes.front().plus_days(-1)));
  for (const Date d : changes) rule.era_limits_.push_back(rule.limits_on(d));
  rule.era_of_day_.resize(static_cast<size_t>(changes.back().days_since_epoch() - rule.era_base_day_ + 1));
  for (size_t era = 1; era <= changes.size(); ++era) {
    const size_t start = static_cast<size_t>(changes[era - 1].days_since_epoch() - rule.era_base_day_);
    std::fill(rule.era_of_day_.begin() + static_cast<std::ptrdiff_t>(start), rule.era_of_day_.end(),
              static_cast<uint8_t>(era));
  }
  return rule;
}

KeiClassRule::Limits KeiClassRule::limits_on(Date date) const {
  Limits lim;
  lim.class_entry = class_in_effect_->at(date);
  lim.class_in_effect =
      lim.class_entry != nullptr && !lim.class_entry->abolished && lim.class_entry->value != 0;
  static constexpr std::array<KeiCheck, 8> kCheckOfSpec = {
      KeiCheck::length,       KeiCheck::width,           KeiCheck::height, KeiCheck::displacement,
      KeiCheck::displacement, KeiCheck::electric_output, KeiCheck::seats,  KeiCheck::payload};
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
    if (slot.in_force && kCheckOfSpec[i] != KeiCheck::displacement) lim.in_force_mask |= bit(kCheckOfSpec[i]);
    if (slot.binding) lim.binding_mask |= bit(kCheckOfSpec[i]);
  }
  lim.class_mask = lim.class_in_effect ? 0xFF : 0;
  lim.stroke_limits_agree = lim.displacement_two_stroke.in_force == lim.displacement_four_stroke.in_force &&
                            lim.displacement_two_stroke.max == lim.displacement_four_stroke.max;
  return lim;
}

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
  const Judgement j = judge(input_of(vehicle), lim, date, tracer);

  KeiDetermination d;
  d.verdict = j.verdict;
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
  // Plain local pointers: the uint8_t outputs may alias anything, so reading through the spans would make
  // the compiler reload every column's address on every row.
  const int32_t* const judged_on = in.judged_on.data();
  const int16_t *const length = in.length_mm.data(), *const width = in.width_mm.data(),
                       *const height = in.height_mm.data(), *const displacement = in.displacement_cc.data(),
                       *const payload = in.payload_kg.data();
  const int8_t* const seats = in.seats.data();
  const uint8_t *const engine = in.engine.data(), *const goods = in.goods.data();
  const float* const power = in.power_kw.data();
  KeiVerdict* const verdict = out.verdict.data();
  uint8_t* const failed = out.failed.data();
  const uint8_t* const era_of_day = era_of_day_.data();
  const Limits* const era_limits = era_limits_.data();
  const int32_t base = era_base_day_;
  const int32_t last = static_cast<int32_t>(era_of_day_.size()) - 1;
  NullTracer tracer;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t era = era_of_day[std::clamp(judged_on[i] - base, 0, last)];
    const KeiInput v{length[i], width[i], height[i], displacement[i], engine[i],
                     power[i],  seats[i], payload[i], goods[i] != 0};
    const Judgement j = judge(v, era_limits[era], Date::from_days(judged_on[i]), tracer);
    verdict[i] = j.verdict;
    failed[i] = j.failed;
  }
  return {};
}

}  // namespace keipath
