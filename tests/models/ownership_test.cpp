// Ownership cost: Japanese test-cycle figures become on-road consumption with the cited ratios, every
// vehicle's lines add up to its total exactly, and the reference vehicles load with their sources.
#include "keipath/ownership.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"

namespace keipath {
namespace {

TEST(OwnershipTest, ReadsCatalogFuelEconomyText) {
  CatalogEconomy a =
      parse_catalog_economy("WLTC 15.8 km/L (Extra CVT, 2021+); JC08 19.6 km/L (2014 std 5MT)");
  EXPECT_EQ(a.km_per_l, 15.8);
  EXPECT_EQ(a.cycle, TestCycle::wltc);
  CatalogEconomy b = parse_catalog_economy("10-15 mode 17.6 km/L (4WD)");
  EXPECT_EQ(b.km_per_l, 17.6);
  EXPECT_EQ(b.cycle, TestCycle::ten_fifteen);
  CatalogEconomy c = parse_catalog_economy("EV: WLTC range 245 km; 29.6 kWh battery; ~121 Wh/km (derived)");
  EXPECT_EQ(c.wh_per_km, 121);
  CatalogEconomy d = parse_catalog_economy("18.7 km/L (cycle not stated; 4WD 5MT)");
  EXPECT_FALSE(d.cycle);  // a figure without its cycle cannot be adjusted
  CatalogEconomy e = parse_catalog_economy("WLTC 19.4-23.3 km/L (range across grades)");
  EXPECT_EQ(e.km_per_l, 19.4);
}

TEST(OwnershipTest, OnRoadConsumptionUsesTheCitedRatioOfTheCycle) {
  const OwnershipModel& m = testing::bundled().ownership();
  auto wltc = m.from_japanese_cycle(20, TestCycle::wltc, testing::date("2026-11-22"));
  ASSERT_TRUE(wltc);
  // 20 km/L x 0.81 = 16.2 km/L on the road = 38.11 mpg.
  EXPECT_NEAR(1.0 / wltc->per_mile, 20 * 0.81 * 3.785411784 / 1.609344, 1e-9);
  EXPECT_NE(wltc->basis.find("market.fuel.wltc_on_road_ratio"), std::string::npos);
  auto jc08 = m.from_japanese_cycle(20, TestCycle::jc08, testing::date("2026-11-22"));
  ASSERT_TRUE(jc08);
  EXPECT_GT(jc08->per_mile, wltc->per_mile);  // the JC08 gap is wider
  auto ev = m.from_japanese_ev(121, testing::date("2026-11-22"));
  ASSERT_TRUE(ev);
  EXPECT_TRUE(ev->electric);
  EXPECT_NEAR(ev->per_mile, 0.121 * 1.609344 / 0.81, 1e-9);
  EXPECT_FALSE(m.from_japanese_cycle(-3, TestCycle::wltc, testing::date("2026-11-22")));
}

TEST(OwnershipTest, LinesAddUpAndNewVehiclesDepreciateAtTheCitedRate) {
  const OwnershipModel& m = testing::bundled().ownership();
  ASSERT_EQ(m.references().size(), 5u);
  const ReferenceVehicle& sedan = m.references()[1];
  EXPECT_EQ(sedan.id, "compact_sedan");
  OwnershipTerms t;
  t.start = testing::date("2026-11-22");
  t.years = 5;
  auto c = m.cost(m.reference(sedan), t, /*kei=*/false);
  ASSERT_TRUE(c) << c.error().message;
  Money sum;
  for (const OwnershipLine& l : c->lines) sum += l.amount;
  EXPECT_EQ(sum, c->total);
  EXPECT_EQ(c->miles, 75000);
  // Value left: $23,385 x (1 - 55.7 %) = $10,359.555 (0.443 is not exact in binary: rounds to .55).
  EXPECT_EQ(c->lines[1].amount.cents, -1035955);
  // Gasoline: 75,000 mi / 33.7 mpg x $2.92 (2026 EIA forecast) = $6,498.52.
  EXPECT_EQ(c->lines[2].amount.cents, 649852);
  EXPECT_EQ(c->lines[3].amount.cents, 228500 * 5);  // full coverage
}

TEST(OwnershipTest, KeiOverridesApplyToTheKeiOnly) {
  const OwnershipModel& m = testing::bundled().ownership();
  OwnedVehicle kei;
  kei.id = "kei";
  kei.name = "test kei";
  kei.purchase = Money::from_cents(700000);
  kei.energy = OwnershipModel::from_us_mpg(35, "given");
  kei.cover = InsuranceCover::minimum;
  kei.new_vehicle = false;
  OwnershipTerms t;
  t.start = testing::date("2026-11-22");
  t.years = 3;
  t.miles_per_year = 5000;
  t.insurance_per_year = Money::from_cents(40000);
  t.depreciation_percent_per_year = 10;
  t.registration_per_year = Money::from_cents(5000);
  auto c = m.cost(kei, t, /*kei=*/true);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->miles, 15000);
  EXPECT_EQ(c->lines[1].amount.cents, -510300);  // 7,000 x 0.9^3
  EXPECT_EQ(c->lines[3].amount.cents, 120000);
  EXPECT_EQ(c->lines.back().id, "registration");
  EXPECT_EQ(c->lines.back().amount.cents, 15000);
  Money sum;
  for (const OwnershipLine& l : c->lines) sum += l.amount;
  EXPECT_EQ(sum, c->total);
  EXPECT_EQ(c->per_mile().cents, std::llround(static_cast<double>(c->total.cents) / 15000));
  t.years = 0;
  EXPECT_NE(m.cost(kei, t, true).error().message.find("years: 0 is out of range"), std::string::npos);
}

TEST(OwnershipTest, MalformedReferenceFileNamesRowAndField) {
  auto bad = OwnershipModel::parse_references(
      "id,name,segment,price_usd,price_basis,mpg,kwh_per_mile,insurance,source,confidence,checked,note\n"
      "x,X,car,abc,b,30,,full,s,high,2026-11-22,\n"
      "y,Y,car,100,b,,,full,s,sure,2026-13-01,\n",
      "us_reference.csv");
  ASSERT_FALSE(bad);
  const std::string& m = bad.error().message;
  EXPECT_NE(m.find("us_reference.csv:2: price_usd: 'abc' is not a price"), std::string::npos) << m;
  EXPECT_NE(m.find("us_reference.csv:3: give exactly one of mpg and kwh_per_mile"), std::string::npos) << m;
  EXPECT_NE(m.find("us_reference.csv:3: confidence 'sure'"), std::string::npos) << m;
  EXPECT_NE(m.find("us_reference.csv:3: checked: '2026-13-01' is not a date"), std::string::npos) << m;
}

}  // namespace
}  // namespace keipath
