// The kei-class rule: binding to its parameters, resolving them for a date, and explain mode. The rule
// itself (judge) is in kei_rule.hpp; batch mode is in kei_class_batch.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

#include "keipath/text.hpp"
#include "law/kei_rule.hpp"

namespace keipath {
namespace kei_rule {
namespace {

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

// The vehicle field each check reads.
constexpr std::array<std::string_view, kKeiCheckCount> kCheckField = {
    "length_mm", "width_mm", "height_mm", "displacement_cc", "power_kw", "seats", "payload_kg"};

std::string_view check_label(KeiCheck c) {
  return kCheckNames[static_cast<size_t>(c)].label;
}

std::string quantity(double v, std::string_view unit) {
  return unit == "persons" ? fmt::format("{} persons", format_quantity(v))
                           : fmt::format("{} {}", format_quantity(v), unit);
}

}  // namespace

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

}  // namespace kei_rule

namespace {

using namespace kei_rule;

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

void KeiColumnStore::push(const Vehicle& v, Date judged) {
  judged_on.push_back(judged.days_since_epoch());
  length_mm.push_back(static_cast<int16_t>(v.length_mm.value_or(-1)));
  width_mm.push_back(static_cast<int16_t>(v.width_mm.value_or(-1)));
  height_mm.push_back(static_cast<int16_t>(v.height_mm.value_or(-1)));
  displacement_cc.push_back(static_cast<int16_t>(v.displacement_cc.value_or(-1)));
  payload_kg.push_back(static_cast<int16_t>(v.payload_kg.value_or(-1)));
  seats.push_back(static_cast<int8_t>(v.seats.value_or(-1)));
  engine.push_back(v.engine ? static_cast<uint8_t>(*v.engine) : kEngineUnknown);
  power_kw.push_back(v.power_kw ? static_cast<float>(*v.power_kw) : -1.0f);
  goods.push_back(v.body && is_goods_body(*v.body) ? 1 : 0);
}

void KeiColumnStore::clear() {
  judged_on.clear();
  for (auto* c : {&length_mm, &width_mm, &height_mm, &displacement_cc, &payload_kg}) c->clear();
  seats.clear();
  engine.clear();
  power_kw.clear();
  goods.clear();
}

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

  rule.build_era_table();
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
  for (const KeiFinding& f : d.findings) {
    if (f.outcome != Outcome::unknown || !f.binding || d.verdict != KeiVerdict::unknown) continue;
    // A displacement check is unknown for want of the displacement, or, with it, of the engine kind (on a
    // date when the two-stroke and four-stroke limits differ).
    d.missing_fields.push_back(f.check == KeiCheck::displacement && vehicle.displacement_cc
                                   ? "engine"
                                   : std::string(kCheckField[static_cast<size_t>(f.check)]));
  }
  return d;
}

}  // namespace keipath
