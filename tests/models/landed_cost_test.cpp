// The landed-cost model: lines add up to the total to the cent, customs value follows the transaction-value
// rules, fees clamp, defaults can be overridden, and bad input names the field.
#include "keipath/landed_cost.hpp"

#include <gtest/gtest.h>

#include "keipath/money.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

// The example: a 1999 Subaru Sambar truck bought at auction for 410,000 yen.
LandedCostQuestion sambar(const char* entry = "2026-11-22") {
  LandedCostQuestion q;
  auto e = testing::bundled().catalog().lookup("Sambar Truck", "TT1");
  EXPECT_TRUE(e);
  q.vehicle = (*e)->vehicle;
  q.vehicle.built = YearMonth(1999, 6);
  q.entry = testing::date(entry);
  q.price_jpy = 410'000;
  return q;
}

const CostLine& line(const LandedCost& c, const std::string& id) {
  for (const CostLine& l : c.lines)
    if (l.id == id) return l;
  ADD_FAILURE() << "no line " << id;
  static CostLine none;
  return none;
}

bool has_line(const LandedCost& c, const std::string& id) {
  return std::any_of(c.lines.begin(), c.lines.end(), [&](const CostLine& l) { return l.id == id; });
}

Money sum(const LandedCost& c, bool settled_only) {
  Money s;
  for (const CostLine& l : c.lines)
    if (l.in_total || !settled_only) s += l.amount;
  return s;
}

TEST(MoneyTest, ParsesFormatsAndRoundsHalfAwayFromZero) {
  EXPECT_EQ(Money::parse("1,234.56")->cents, 123456);
  EXPECT_EQ(Money::parse("$69.95")->cents, 6995);
  EXPECT_FALSE(Money::parse("-5"));
  EXPECT_FALSE(Money::parse("abc"));
  EXPECT_EQ(Money::from_cents(123456789).str(), "$1,234,567.89");
  EXPECT_EQ(Money::from_cents(-500).str(), "-$5.00");
  EXPECT_EQ(Money::from_yen(410'000, 147).cents, 278912);  // 2,789.1156...
  EXPECT_EQ(Money::from_cents(1).percent(50).cents, 1);    // 0.5 cent rounds away from zero
  EXPECT_EQ(Money::from_cents(319727).percent(25).cents, 79932);
}

TEST(LandedCostTest, SambarLinesAddUpToTheTotalExactly) {
  auto c = testing::bundled().landed_cost().compute(sambar());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->jpy_per_usd, 156.4171);                     // the 2026-09 H.10 average, newest in the series
  EXPECT_EQ(line(*c, "purchase").amount.cents, 262120);    // 410,000 / 156.4171 = 2,621.197
  EXPECT_EQ(line(*c, "auction_fee").amount.cents, 12786);  // 20,000 / 156.4171 = 127.864
  EXPECT_EQ(c->total, sum(*c, true));
  EXPECT_EQ(c->total_high, sum(*c, false));
  // Customs value: FOB without the buying agent's commission (80,000 yen = $511.45).
  EXPECT_EQ(c->fob.cents - c->customs_value.cents, line(*c, "agent_commission").amount.cents);
  EXPECT_EQ(line(*c, "duty_mfn").amount, c->customs_value.percent(25));
  EXPECT_FALSE(has_line(*c, "duty_section_232"));  // 27 calendar years: outside 232
  EXPECT_EQ(line(*c, "mpf").amount.cents, 3358);   // 0.3464 % of $3,005 is under the FY2026 minimum
  EXPECT_EQ(line(*c, "hmf").amount, c->customs_value.percent(0.125));
  EXPECT_EQ(c->duties.heading->heading, "8704.31.0120");
  EXPECT_EQ(c->total.cents, 636433);
}

// The default exchange rate is the month's H.10 average; the newest (2026-09) stays in force after it, and
// from three months past its end (market.fx.stale_after_months) the cost warns that it is stale. A given rate
// never.
TEST(LandedCostTest, TheDefaultRateWarnsWhenItIsMoreThanThreeMonthsOld) {
  auto last_day = testing::bundled().landed_cost().compute(sambar("2026-12-31"));
  ASSERT_TRUE(last_day) << last_day.error().message;
  EXPECT_EQ(last_day->jpy_per_usd, 156.4171);
  EXPECT_EQ(last_day->fx_warning, "");
  auto stale = testing::bundled().landed_cost().compute(sambar("2027-01-01"));
  ASSERT_TRUE(stale) << stale.error().message;
  EXPECT_EQ(stale->jpy_per_usd, 156.4171);
  EXPECT_NE(
      stale->fx_warning.find("the 2026-09 average (¥156.4171 per $), more than 3 months before 2027-01-01"),
      std::string::npos)
      << stale->fx_warning;
  LandedCostQuestion given = sambar("2027-01-01");
  given.jpy_per_usd = 150;
  auto with_rate = testing::bundled().landed_cost().compute(given);
  ASSERT_TRUE(with_rate);
  EXPECT_EQ(with_rate->fx_warning, "");
  auto earlier = testing::bundled().landed_cost().compute(sambar("2025-09-15"));  // a month's own average
  ASSERT_TRUE(earlier);
  EXPECT_EQ(earlier->jpy_per_usd, 147.8629);
}

TEST(LandedCostTest, UnsettledDutiesAreOutsideTheTotalButInTheHighTotal) {
  auto c = testing::bundled().landed_cost().compute(sambar("2026-03-02"));  // Section 122 window
  ASSERT_TRUE(c) << c.error().message;
  const CostLine& s122 = line(*c, "duty_section_122");
  EXPECT_FALSE(s122.in_total);
  EXPECT_EQ(s122.amount, c->customs_value.percent(10));
  EXPECT_EQ(c->total_high - c->total, s122.amount);
}

TEST(LandedCostTest, MerchandiseProcessingFeeMinimumChangesWithTheFiscalYear) {
  auto fy25 = testing::bundled().landed_cost().compute(sambar("2025-09-30"));
  auto fy26 = testing::bundled().landed_cost().compute(sambar("2025-10-01"));
  ASSERT_TRUE(fy25 && fy26);
  EXPECT_EQ(line(*fy25, "mpf").amount.cents, 3271);
  EXPECT_EQ(line(*fy26, "mpf").amount.cents, 3358);
}

TEST(LandedCostTest, MerchandiseProcessingFeeIsCappedAtTheMaximum) {
  LandedCostQuestion q = sambar();
  q.price_jpy = 50'000'000;  // about $340,000
  auto c = testing::bundled().landed_cost().compute(q);
  ASSERT_TRUE(c);
  EXPECT_EQ(line(*c, "mpf").amount.cents, 65150);
}

TEST(LandedCostTest, ContainerAddsPackingAndItsFreight) {
  LandedCostQuestion q = sambar();
  q.mode = FreightMode::container;
  auto c = testing::bundled().landed_cost().compute(q);
  ASSERT_TRUE(c);
  EXPECT_TRUE(line(*c, "container_packing").in_customs_value);
  EXPECT_EQ(line(*c, "freight").amount.cents, 300000);
  EXPECT_EQ(c->total, sum(*c, true));
}

TEST(LandedCostTest, ConsumptionTaxIsNettedOutOfATaxInclusivePrice) {
  LandedCostQuestion q = sambar();
  q.price_jpy = 1'100'000;
  q.price_includes_consumption_tax = true;
  auto c = testing::bundled().landed_cost().compute(q);
  ASSERT_TRUE(c);
  EXPECT_EQ(*line(*c, "purchase").yen, 1'000'000);  // 10 % since 2019-10-01
}

TEST(LandedCostTest, OverridesReplaceDefaultsAndAreMarked) {
  LandedCostQuestion q = sambar();
  q.jpy_per_usd = 155;
  q.set_jpy["agent_commission"] = 100'000;
  q.set_usd["freight"] = Money::from_cents(120000);
  q.agent_commission_dutiable = true;
  q.inland_miles = 300;
  auto c = testing::bundled().landed_cost().compute(q);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->fx_basis, "given");
  EXPECT_TRUE(line(*c, "agent_commission").overridden);
  EXPECT_TRUE(line(*c, "agent_commission").in_customs_value);
  EXPECT_EQ(c->fob, c->customs_value);
  EXPECT_EQ(line(*c, "freight").amount.cents, 120000);
  EXPECT_EQ(line(*c, "inland_delivery").amount.cents, 300 * 197);
  EXPECT_EQ(c->total, sum(*c, true));
}

TEST(LandedCostTest, AnUnsettledHeadingShowsTheHigherAndListsTheOther) {
  LandedCostQuestion q = sambar();
  q.vehicle.body = Body::van;
  auto c = testing::bundled().landed_cost().compute(q);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->duties.heading->heading, "8704.31.0120");
  ASSERT_EQ(c->other_headings.size(), 1u);
  EXPECT_EQ(c->other_headings[0].heading->heading, "8703.21.0150");
  EXPECT_LT(c->other_headings[0].total, c->total);
  q.heading = "8703.21.0150";
  auto forced = testing::bundled().landed_cost().compute(q);
  ASSERT_TRUE(forced);
  EXPECT_TRUE(forced->other_headings.empty());
  EXPECT_EQ(forced->total, c->other_headings[0].total);
}

// A batch prices each row through the plan; its totals are the ones compute shows, to the cent, across
// prices from the MPF minimum to past its maximum, tax-inclusive prices, containers, overrides, dates on
// both sides of a duty change and an unsettled heading.
TEST(LandedCostTest, PlanTotalsAreComputeTotalsForEveryPrice) {
  const LandedCostModel& model = testing::bundled().landed_cost();
  std::vector<LandedCostQuestion> questions;
  for (const char* entry : {"2025-09-16", "2026-01-01", "2026-11-22", "2027-10-01", "2031-01-01"}) {
    LandedCostQuestion q = sambar(entry);
    questions.push_back(q);
    q.price_includes_consumption_tax = true;
    q.mode = FreightMode::container;
    questions.push_back(q);
    q.vehicle.body = Body::van;  // two candidate headings
    q.set_usd["insurance"] = Money::from_cents(4321);
    q.set_jpy["auction_fee"] = 12'345;
    q.inland_miles = 640;
    questions.push_back(q);
    q.vehicle.built = YearMonth(2022, 3);  // inside Section 232
    q.jpy_per_usd = 101.5;
    questions.push_back(q);
  }
  int checked = 0;
  for (const LandedCostQuestion& base : questions) {
    auto plan = model.plan(base);
    ASSERT_TRUE(plan) << plan.error().message;
    for (int64_t price : {1, 9'999, 150'000, 410'000, 1'234'567, 9'990'000, 48'000'000, 250'000'000}) {
      LandedCostQuestion q = base;
      q.price_jpy = price;
      auto c = model.compute(q);
      ASSERT_TRUE(c) << c.error().message;
      const LandedTotals t = LandedCostModel::totals(*plan, price);
      EXPECT_EQ(t.total, c->total) << base.entry.str() << " " << price;
      EXPECT_EQ(t.total_high, c->total_high) << base.entry.str() << " " << price;
      EXPECT_EQ(plan->headings[t.heading].heading, c->duties.heading);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 20 * 8);
}

TEST(LandedCostTest, PlanRefusesWhatComputeRefusesButThePrice) {
  const LandedCostModel& model = testing::bundled().landed_cost();
  LandedCostQuestion q = sambar();
  q.price_jpy = 0;  // the plan does not read it
  EXPECT_TRUE(model.plan(q));
  EXPECT_FALSE(LandedCostModel::check_price(0));
  EXPECT_FALSE(LandedCostModel::check_price(1'000'000'000'001));
  EXPECT_TRUE(LandedCostModel::check_price(1));
  q.port = "XXXXX";
  auto bad = model.plan(q);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().message.starts_with("port: 'XXXXX' is not a known port")) << bad.error().message;
  q = sambar();
  q.vehicle.built.reset();
  bad = model.plan(q);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().message.starts_with("vehicle.built:")) << bad.error().message;
}

// 19 CFR 143.21: up to a customs value of $2,500 a shipment may be entered informally, with the flat informal
// MPF ($2.62 in FY2025, $2.69 in FY2026) instead of the formal ad valorem fee and its minimum ($33.58 in
// FY2026); one cent over, formal. Before FY2025 (the informal parameters' first value) every entry is formal.
TEST(LandedCostTest, InformalEntryUpToItsLimitPaysTheInformalFee) {
  const LandedCostModel& model = testing::bundled().landed_cost();
  auto mpf_at = [&](const char* entry, int64_t price) {
    LandedCostQuestion q = sambar(entry);
    q.jpy_per_usd = 150;
    q.price_jpy = price;
    if (q.entry < testing::date("2025-01-01")) {  // before the market defaults: every line given
      for (const char* id : {"auction_fee", "jp_inland", "export_customs", "agent_commission"})
        q.set_jpy[id] = 20'000;
      for (const char* id : {"insurance", "broker", "isf", "terminal"})
        q.set_usd[id] = Money::from_cents(10000);
    }
    auto c = model.compute(q);
    EXPECT_TRUE(c) << c.error().message;
    return std::pair{c->customs_value, line(*c, "mpf")};
  };
  // The yen price whose customs value is the last at or under $2,500 (found by walking up in steps of 10
  // yen).
  int64_t price = 200'000;
  while (mpf_at("2026-11-22", price + 10).first <= Money::from_cents(250000)) price += 10;
  const auto [under_value, under] = mpf_at("2026-11-22", price);
  const auto [over_value, over] = mpf_at("2026-11-22", price + 10);
  EXPECT_LE(under_value, Money::from_cents(250000));
  EXPECT_GT(over_value, Money::from_cents(250000));
  EXPECT_EQ(under.amount, Money::from_cents(269));
  EXPECT_EQ(under.label, "merchandise processing fee (informal entry)");
  EXPECT_NE(under.basis.find("19 CFR 143.21(a)"), std::string::npos) << under.basis;
  EXPECT_EQ(over.amount, Money::from_cents(3358));  // the formal minimum
  EXPECT_EQ(over.label, "merchandise processing fee");
  EXPECT_EQ(mpf_at("2025-09-30", price).second.amount, Money::from_cents(262));  // FY2025
  EXPECT_EQ(mpf_at("2025-10-01", price).second.amount, Money::from_cents(269));  // FY2026
  // A $1,000 shipment the day before FY2025 and on its first day (every line given: before the defaults).
  const auto [early_value, early] = mpf_at("2024-09-30", 100'000);
  EXPECT_LT(early_value, Money::from_cents(250000));
  EXPECT_EQ(early.label, "merchandise processing fee");  // no informal value in force yet: formal
  EXPECT_EQ(mpf_at("2024-10-01", 100'000).second.amount, Money::from_cents(262));
}

TEST(LandedCostTest, BadInputNamesTheField) {
  const LandedCostModel& model = testing::bundled().landed_cost();
  LandedCostQuestion q = sambar();
  q.price_jpy = -5;
  EXPECT_NE(model.compute(q).error().message.find("price_jpy: -5 is not a price"), std::string::npos);
  q = sambar();
  q.port = "USXXX";
  EXPECT_NE(model.compute(q).error().message.find("port: 'USXXX' is not a known port"), std::string::npos);
  q = sambar();
  q.set_usd["tip"] = Money::from_cents(100);
  EXPECT_NE(model.compute(q).error().message.find("set: 'tip' is not a dollar cost line"), std::string::npos);
  q = sambar();
  q.vehicle.built.reset();
  EXPECT_NE(model.compute(q).error().message.find("vehicle.built: needed for the duties"), std::string::npos);
  q = sambar();
  q.jpy_per_usd = 0;
  EXPECT_NE(model.compute(q).error().message.find("jpy_per_usd: 0 is out of range for an exchange rate"),
            std::string::npos);
  q = sambar();
  q.heading = "9999.99";
  EXPECT_NE(model.compute(q).error().message.find("heading: '9999.99'"), std::string::npos);
}

}  // namespace
}  // namespace keipath
