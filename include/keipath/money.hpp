// Exact money: whole US cents in a 64-bit integer, so that a breakdown adds up to its total with no
// tolerance. Conversions from yen and percentages round half away from zero, once, at the line they make.
//
// Arithmetic is checked: a sum, a difference, a product or a conversion that does not fit in 64 bits of
// cents throws MoneyOverflow instead of wrapping (signed overflow is undefined behaviour). The models that
// add money catch it at their boundary (LandedCostModel::compute, OwnershipModel::cost) and return an error
// value, so no exception leaves the library. Inputs are range-checked first, so it means a bug or an
// absurd override, never an ordinary answer.
#pragma once

#include <compare>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "keipath/result.hpp"

namespace keipath {

struct MoneyOverflow : std::overflow_error {
  using std::overflow_error::overflow_error;
};

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

  friend constexpr Money operator+(Money a, Money b) {
    Money out;
    if (__builtin_add_overflow(a.cents, b.cents, &out.cents)) throw MoneyOverflow("money sum overflows");
    return out;
  }
  friend constexpr Money operator-(Money a, Money b) {
    Money out;
    if (__builtin_sub_overflow(a.cents, b.cents, &out.cents))
      throw MoneyOverflow("money difference overflows");
    return out;
  }
  Money& operator+=(Money b) { return *this = *this + b; }
  // This amount n times (a yearly cost over n years).
  constexpr Money times(int64_t n) const {
    Money out;
    if (__builtin_mul_overflow(cents, n, &out.cents)) throw MoneyOverflow("money product overflows");
    return out;
  }
  // Rounds a number of cents held in a double; throws MoneyOverflow when it is not finite or does not fit.
  static Money round_cents(double cents);
  friend constexpr auto operator<=>(Money, Money) = default;
};

}  // namespace keipath
