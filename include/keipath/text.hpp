// Number formatting for people: thousands separators and no trailing zeros ("3,395", "1.2", "-95").
#pragma once

#include <string>

namespace keipath {

std::string format_quantity(double value);

}  // namespace keipath
