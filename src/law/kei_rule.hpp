// The kei-class rule itself, shared by explain mode (kei_class.cpp) and batch mode (kei_class_batch.cpp):
// the parameters it reads, its inputs for one vehicle or a lane group, and judge, the single definition of
// the rule. Private to src/law.
#pragma once

#include <array>
#include <string_view>
#include <type_traits>

#include "core/lanes.hpp"
#include "keipath/determination.hpp"
#include "keipath/kei_class.hpp"

namespace keipath::kei_rule {

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

// Records one check in explain mode (kei_class.cpp). `why_not_applicable` explains a check that does not
// apply to this vehicle.
void trace_check(KeiTracer& t, KeiCheck id, double value, bool known, const LimitOnDate& lim, bool applies,
                 std::string_view why_not_applicable, Date date);

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

}  // namespace keipath::kei_rule
