// Number formatting for people: thousands separators and no trailing zeros ("3,395", "1.2", "-95").
#pragma once

#include <string>

namespace keipath {

// At most `max_decimals` decimals (rounded), trailing zeros dropped.
std::string format_quantity(double value, int max_decimals = 3);

}  // namespace keipath
