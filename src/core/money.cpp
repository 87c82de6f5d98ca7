#include "keipath/money.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace keipath {

Money Money::round_cents(double cents) {
  // 2^63 is exactly representable; anything at or past it (or nan) does not fit an int64.
  constexpr double kLimit = 9223372036854775808.0;
  if (!(cents > -kLimit && cents < kLimit)) throw MoneyOverflow(fmt::format("{} cents do not fit", cents));
  return Money{std::llround(cents)};
}

Money Money::from_dollars(double dollars) {
  return round_cents(dollars * 100.0);
}

Money Money::from_yen(int64_t yen, double yen_per_usd) {
  return round_cents(static_cast<double>(yen) * 100.0 / yen_per_usd);
}

Money Money::percent(double pct) const {
  return round_cents(static_cast<double>(cents) * pct / 100.0);
}

Result<Money> Money::parse(std::string_view text) {
  std::string s;
  for (char c : text)
    if (c != ',' && c != '$' && c != ' ') s.push_back(c);
  if (s.empty()) return fail(fmt::format("'{}' is not an amount of money", text));
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(value))
    return fail(fmt::format("'{}' is not an amount of money", text));
  if (value < 0) return fail(fmt::format("{} is negative", text));
  if (value > 1e10) return fail(fmt::format("{} is too large", text));
  return from_dollars(value);
}

std::string Money::str() const {
  // In unsigned arithmetic, so that the most negative amount has a magnitude too.
  const uint64_t abs = cents < 0 ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  std::string whole = fmt::format("{}", abs / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(whole[i]);
  }
  return fmt::format("{}${}.{:02}", cents < 0 ? "-" : "", grouped, abs % 100);
}

}  // namespace keipath
