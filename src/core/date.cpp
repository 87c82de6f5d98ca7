#include "keipath/date.hpp"

#include <fmt/format.h>

#include <charconv>

namespace keipath {
namespace {

// Reads exactly `width` decimal digits from text[pos...]; false if any is not a digit.
bool read_digits(std::string_view text, size_t pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  const char* first = text.data() + pos;
  for (size_t i = 0; i < width; ++i) {
    if (first[i] < '0' || first[i] > '9') return false;
  }
  return std::from_chars(first, first + width, out).ec == std::errc{};
}

}  // namespace

Result<Date> Date::parse(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_digits(text, 0, 4, y) ||
      !read_digits(text, 5, 2, m) || !read_digits(text, 8, 2, d)) {
    return fail(fmt::format("'{}' is not a date (expected YYYY-MM-DD)", text));
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return fail(fmt::format("'{}' is not a calendar date", text));
  return Date(ymd);
}

Date Date::today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date(std::chrono::year_month_day(now));
}

std::chrono::year_month_day Date::ymd() const {
  return std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(days_)));
}
int Date::year() const {
  return static_cast<int>(ymd().year());
}
unsigned Date::month() const {
  return static_cast<unsigned>(ymd().month());
}
unsigned Date::day() const {
  return static_cast<unsigned>(ymd().day());
}

std::string Date::str() const {
  // By hand rather than fmt::format: dates are written into every reason of every answer.
  const std::chrono::year_month_day d = ymd();
  const int y = static_cast<int>(d.year());
  if (y < 0 || y > 9999)
    return fmt::format("{:04}-{:02}-{:02}", y, static_cast<unsigned>(d.month()),
                       static_cast<unsigned>(d.day()));
  std::string out(10, '-');
  const auto put = [&out](size_t at, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      out[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<unsigned>(y), 4);
  put(5, static_cast<unsigned>(d.month()), 2);
  put(8, static_cast<unsigned>(d.day()), 2);
  return out;
}

Result<YearMonth> YearMonth::parse(std::string_view text) {
  int y = 0, m = 0;
  if (text.size() != 7 || text[4] != '-' || !read_digits(text, 0, 4, y) || !read_digits(text, 5, 2, m)) {
    return fail(fmt::format("'{}' is not a year-month (expected YYYY-MM)", text));
  }
  if (m < 1 || m > 12) return fail(fmt::format("'{}' has no month {}", text, m));
  return YearMonth(y, static_cast<unsigned>(m));
}

Date YearMonth::first_day() const {
  return Date(std::chrono::year_month_day{std::chrono::year{year()}, std::chrono::month{month()},
                                          std::chrono::day{1}});
}

std::string YearMonth::str() const {
  return first_day().str().substr(0, 7);
}

}  // namespace keipath
