// Number formatting for people: thousands separators and no trailing zeros ("3,395", "1.2", "-95").
#pragma once

#include <string>
#include <string_view>

namespace keipath {

// At most `max_decimals` decimals (rounded), trailing zeros dropped.
std::string format_quantity(double value, int max_decimals = 3);

// The text with ASCII letters in lower case (codes, names and choices compare this way).
std::string lower_ascii(std::string_view text);

}  // namespace keipath
