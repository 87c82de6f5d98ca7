// The units a quantity may be given in, each with the range a sane value lies in, declared once.
//
// Every loader (parameters, scenarios, state files, CSV tables) and every numeric option checks its numbers
// here, so a value that parses but makes no sense (nan, inf, 1e300, a negative length) is an error that
// names the file and line, the field or the option, never a verdict computed from it. The ranges are wide
// physical or legal bounds, not plausibility checks: they keep every later conversion (to int, to cents)
// defined, and leave judgement about typical values to the rules.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "keipath/result.hpp"

namespace keipath {

struct UnitSpec {
  std::string_view name;  // "mm", "USD_cents", ...
  double min;             // inclusive
  double max;             // inclusive
  std::string_view what;  // "a length in mm", for messages
};

// Every known unit, in a stable order.
std::span<const UnitSpec> known_units();
// The unit's spec, or nullptr when `name` is not a known unit.
const UnitSpec* find_unit(std::string_view name);

// Checks a value against its unit: finite and within [min, max]. The error reads "1e+300 is out of range
// for unit mm (0 to 100,000)"; callers prefix where the value came from. An unknown unit is an error.
Result<void> check_quantity(double value, std::string_view unit);

// Parses a plain decimal number ("3395", "0.3464", "-9.032", "1e3"; no hex, no "inf", no "nan", no sign
// other than a leading '-'), then checks it as check_quantity does. Errors name the text ("'20x5' is not a
// number").
Result<double> parse_quantity(std::string_view text, std::string_view unit);

// Parses a plain decimal number with no unit check: finite, fully consumed.
Result<double> parse_finite_number(std::string_view text);

// Text quoted in a message, with control characters escaped ("a\nb" becomes "a\\nb"), so that a message
// stays one line per problem and every line keeps its "file:line:" prefix.
std::string quote_for_message(std::string_view text);

}  // namespace keipath
