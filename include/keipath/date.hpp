// Calendar dates and year-months: the only time types in keipath.
//
// A Date is a proleptic Gregorian calendar day (never a timestamp). It is stored as days since 1970-01-01 so
// that comparisons in batch mode are one integer compare. A YearMonth is a month of a year, used for
// "built in" fields, where the law counts age in whole months.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "keipath/result.hpp"

namespace keipath {

class Date {
 public:
  constexpr Date() = default;
  // Requires a valid calendar date (ymd.ok()).
  explicit Date(std::chrono::year_month_day ymd)
      : days_(std::chrono::sys_days(ymd).time_since_epoch().count()) {}
  static constexpr Date from_days(int32_t days_since_epoch) {
    Date d;
    d.days_ = days_since_epoch;
    return d;
  }
  // Parses "YYYY-MM-DD" strictly: four-digit year, real month and day ("2026-02-30" is an error).
  static Result<Date> parse(std::string_view text);
  // Today's date in UTC.
  static Date today();

  constexpr int32_t days_since_epoch() const { return days_; }
  std::chrono::year_month_day ymd() const;
  int year() const;
  unsigned month() const;
  unsigned day() const;
  Date plus_days(int32_t n) const { return from_days(days_ + n); }
  std::string str() const;  // "YYYY-MM-DD"

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  int32_t days_ = 0;
};

class YearMonth {
 public:
  constexpr YearMonth() = default;
  // Requires 1 <= month <= 12.
  constexpr YearMonth(int year, unsigned month) : index_(year * 12 + static_cast<int>(month) - 1) {}
  // Parses "YYYY-MM".
  static Result<YearMonth> parse(std::string_view text);

  constexpr int year() const { return index_ / 12; }
  constexpr unsigned month() const { return static_cast<unsigned>(index_ % 12) + 1; }
  constexpr YearMonth plus_months(int n) const {
    YearMonth ym;
    ym.index_ = index_ + n;
    return ym;
  }
  // The first day of this month.
  Date first_day() const;
  std::string str() const;  // "YYYY-MM"

  friend constexpr auto operator<=>(YearMonth, YearMonth) = default;

 private:
  int index_ = 0;  // year * 12 + (month - 1)
};

}  // namespace keipath
