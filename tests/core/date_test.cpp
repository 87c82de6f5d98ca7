#include "keipath/date.hpp"

#include <gtest/gtest.h>

namespace keipath {
namespace {

TEST(DateTest, ParsesCalendarDates) {
  auto d = Date::parse("1998-10-01");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year(), 1998);
  EXPECT_EQ(d->month(), 10u);
  EXPECT_EQ(d->day(), 1u);
  EXPECT_EQ(d->str(), "1998-10-01");
  EXPECT_EQ(Date::parse("2024-02-29")->str(), "2024-02-29");
}

TEST(DateTest, RejectsMalformedAndImpossibleDates) {
  for (const char* bad :
       {"1998-1-01", "1998/10/01", "98-10-01", "1998-10-01x", "", "abcd-ef-gh", "1998-13-01"}) {
    auto d = Date::parse(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_NE(d.error().message.find("is not"), std::string::npos) << d.error().message;
  }
  auto d = Date::parse("2026-02-29");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message, "'2026-02-29' is not a calendar date");
}

TEST(DateTest, OrdersAndSteps) {
  const Date a = *Date::parse("1998-09-30");
  const Date b = *Date::parse("1998-10-01");
  EXPECT_LT(a, b);
  EXPECT_EQ(a.plus_days(1), b);
  EXPECT_EQ(Date::parse("1970-01-01")->days_since_epoch(), 0);
}

TEST(YearMonthTest, ParsesAndCountsMonths) {
  auto ym = YearMonth::parse("2001-11");
  ASSERT_TRUE(ym);
  EXPECT_EQ(ym->plus_months(300).str(), "2026-11");
  EXPECT_EQ(ym->plus_months(2).str(), "2002-01");
  EXPECT_EQ(ym->first_day().str(), "2001-11-01");
  EXPECT_FALSE(YearMonth::parse("2001-13"));
  EXPECT_FALSE(YearMonth::parse("2001-00"));
  EXPECT_FALSE(YearMonth::parse("2001-1"));
}

}  // namespace
}  // namespace keipath
