// Exact money: whole US cents in a 64-bit integer, so that a breakdown adds up to its total with no
// tolerance. Conversions from yen and percentages round half away from zero, once, at the line they make.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "keipath/result.hpp"

namespace keipath {

struct Money {
  int64_t cents = 0;

  static constexpr Money from_cents(int64_t c) { return Money{c}; }
  // Whole and fractional dollars given as a decimal number (e.g. 69.95); rounds to the cent.
  static Money from_dollars(double dollars);
  // Yen at a rate of yen per dollar; rounds to the cent.
  static Money from_yen(int64_t yen, double yen_per_usd);
  // "1234.56" or "1234" (optionally "$1,234.56"); errors name what is wrong.
  static Result<Money> parse(std::string_view text);

  // This amount times a percentage (0.3464 for 0.3464 %), rounded to the cent.
  Money percent(double pct) const;

  std::string str() const;  // "$1,234.56", "-$5.00"
  double dollars() const { return static_cast<double>(cents) / 100.0; }

  friend constexpr Money operator+(Money a, Money b) { return Money{a.cents + b.cents}; }
  friend constexpr Money operator-(Money a, Money b) { return Money{a.cents - b.cents}; }
  Money& operator+=(Money b) {
    cents += b.cents;
    return *this;
  }
  friend constexpr auto operator<=>(Money, Money) = default;
};

}  // namespace keipath
