#include "keipath/text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace keipath {

std::string format_quantity(double value, int max_decimals) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  std::string s;
  const double magnitude = std::fabs(value);
  if (magnitude < 1e15 && magnitude == std::floor(magnitude)) {
    s = std::to_string(static_cast<int64_t>(magnitude));  // whole numbers, the common case: no fmt
  } else {
    s = fmt::format("{:.{}f}", magnitude, max_decimals);
  }
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  const size_t dot = s.find('.');
  const size_t int_len = dot == std::string::npos ? s.size() : dot;
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && i < int_len && (int_len - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  const bool negative = value < 0 && out != "0";
  return negative ? "-" + out : out;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace keipath
