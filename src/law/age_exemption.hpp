// When a vehicle becomes old enough for an age exemption whose age limit is itself dated law.
//
// Each value of the age parameter applies only from its own date: the FMVSS 25-year exemption took effect
// on 1990-01-31, so a 1962 vehicle (25 years old in 1987) becomes eligible on 1990-01-31, not in 1987; a
// scenario that shortens the age to 15 from 2027 opens it for a 2010 vehicle on the scenario's date. Used
// by the import pathways and by the state rule's "how did it enter" question, so both count alike.
#pragma once

#include <optional>

#include "keipath/date.hpp"
#include "keipath/params.hpp"

namespace keipath::law {

// The first day on or after `floor` on which the age limit in force that day is met. `aged(years)` gives
// the first day the vehicle is `years` old (counted as the rule counts: by month of manufacture, or by
// calendar year). nullopt when no recorded value is ever met (an abolished exemption, or none at all).
template <class AgedFn>
std::optional<Date> first_day_old_enough(const Parameter& age, Date floor, AgedFn aged) {
  for (size_t i = 0; i < age.values.size(); ++i) {
    const ParamValue& v = age.values[i];
    if (v.abolished) continue;
    const std::optional<Date> next =
        i + 1 < age.values.size() ? std::optional<Date>(age.values[i + 1].from) : std::nullopt;
    Date candidate = aged(v.value);
    if (candidate < v.from) candidate = v.from;
    if (candidate < floor) candidate = floor;
    if (!next || candidate < *next) return candidate;
  }
  return std::nullopt;
}

// The earliest date on which the exemption (in force on `date`) is met, when it is met on `date`:
// otherwise the first day after `date` on which it will be, or nullopt.
template <class AgedFn>
std::optional<Date> exemption_date(const Parameter& age, Date date, AgedFn aged) {
  const ParamValue* now = age.in_force(date);
  if (now != nullptr && aged(now->value) <= date)
    return first_day_old_enough(age, Date::from_days(INT32_MIN), aged);
  return first_day_old_enough(age, date, aged);
}

}  // namespace keipath::law
