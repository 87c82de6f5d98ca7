// The crash model: physics identities, the risk curves' published points, Evans's mass-ratio exponent and
// IIHS's ranking reproduced from simulation, reproducible sampling, and the partner file's checks.
#include "keipath/crash.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <cmath>
#include <cstdio>
#include <numeric>

#include "test_support.hpp"

namespace keipath {
namespace {

const Date kDate = *Date::parse("2026-11-22");

TEST(CrashPhysicsTest, DeltaVConservesMomentumAndSplitsByInverseMass) {
  const DeltaV dv = delta_v(850, 2210, 100, 0.1);
  EXPECT_NEAR(850 * dv.first_kmh, 2210 * dv.second_kmh, 1e-9);  // momentum
  EXPECT_NEAR(dv.first_kmh / dv.second_kmh, 2210.0 / 850.0, 1e-12);
  EXPECT_NEAR(dv.first_kmh + dv.second_kmh, 110, 1e-9);  // (1 + e) x closing speed
  const DeltaV plastic = delta_v(1000, 1000, 60, 0);
  EXPECT_NEAR(plastic.first_kmh, 30, 1e-12);  // equal masses stop dead
}

TEST(CrashPhysicsTest, WorkedExampleCarryAgainstF150) {
  // safety_fleet.md §6: 850 kg and 2,130 kg with one 80 kg occupant each, head-on at 100 km/h, e = 0.1:
  // Carry about 79 km/h, F-150 about 31 km/h.
  const DeltaV dv = delta_v(930, 2210, 100, 0.1);
  EXPECT_NEAR(dv.first_kmh, 77.4, 0.1);
  EXPECT_NEAR(dv.second_kmh, 32.6, 0.1);
}

TEST(CrashRiskTest, MalliarisFatalityCurvePoints) {
  const CrashModel m = testing::bundled().crash().model(kDate, 0, 1);
  const double mph = 1.609344;
  // Model One, frontal: 1 / (1 + exp(9.032 - 0.198 x 30)) = 4.34 % at 30 mph.
  EXPECT_NEAR(m.fatal.probability(30 * mph, ForceDirection::front), 0.04342, 1e-4);
  // A side impact has e^1.462 = 4.3 times the odds at the same delta-V.
  const double p = m.fatal.probability(30 * mph, ForceDirection::front);
  const double q = m.fatal.probability(30 * mph, ForceDirection::side);
  EXPECT_NEAR((q / (1 - q)) / (p / (1 - p)), std::exp(1.462), 1e-9);
  EXPECT_LT(m.fatal.probability(30 * mph, ForceDirection::rear), p);
}

TEST(CrashValidationTest, SimulatedDriverFatalityRatioFollowsEvansExponent) {
  const toml::table cases = toml::parse_file(std::string(KEIPATH_CASES_DIR) + "/safety/validation.toml");
  const toml::table& evans = *cases["evans"].as_table();
  const double light = evans["lighter_curb_kg"].value_or(0.0);
  std::vector<double> x, y;
  for (const toml::node& n : *evans["mass_ratios"].as_array()) {
    const double mu = *n.value<double>();
    const auto cell =
        testing::bundled().crash().expected(light, light * mu, CrashRule::Configuration::frontal, kDate);
    x.push_back(std::log(mu));
    y.push_back(std::log(cell.own_fatal / cell.partner_fatal));
  }
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  const double u = sxy / sxx;
  RecordProperty("evans_exponent", fmt::format("{:.3f}", u));
  std::printf("simulated Evans exponent u = %.3f (published 2.7-4.3)\n", u);
  EXPECT_GE(u, evans["exponent_low"].value_or(0.0)) << "fitted exponent " << u;
  EXPECT_LE(u, evans["exponent_high"].value_or(0.0)) << "fitted exponent " << u;
  EXPECT_NEAR(y.front(), 0, 1e-9);  // equal masses, equal risk
}

TEST(CrashValidationTest, ReferenceVehiclesRankAsPublishedDeathRates) {
  const CrashRule& rule = testing::bundled().crash();
  SimulationOptions o;
  o.draws = 1;
  o.samples = 200'000;
  const auto fleet = rule.partners().fleet();
  std::vector<double> masses = {770};
  for (const char* id : {"compact_car", "average_new", "ford_f150"}) {
    const CrashPartner* p = rule.partners().find(id);
    ASSERT_NE(p, nullptr) << id;
    masses.push_back((p->mass_min_kg + p->mass_max_kg) / 2);
  }
  double own_before = 1, partner_before = 0;
  for (double mass : masses) {
    const RiskSummary s = rule.simulate(mass, false, fleet, kDate, o);
    const double own = s.own_fatal_params[kCrashKinds].mean;
    const double partner = s.partner_fatal_params[kCrashKinds].mean;
    EXPECT_LT(own, own_before) << mass << " kg: own-occupant risk should fall with mass";
    EXPECT_GT(partner, partner_before) << mass << " kg: risk to the other driver should rise with mass";
    own_before = own;
    partner_before = partner;
  }
}

TEST(CrashSimulationTest, SameSeedSameAnswerOnAnyNumberOfThreads) {
  const CrashRule& rule = testing::bundled().crash();
  SimulationOptions o;
  o.draws = 8;
  o.samples = 150'000;  // not a multiple of the chunk or the lane width
  o.seed = 42;
  const auto fleet = rule.partners().fleet();
  const RiskSummary one = rule.simulate(770, true, fleet, kDate, o);
  o.threads = 2;
  const RiskSummary two = rule.simulate(770, true, fleet, kDate, o);
  EXPECT_EQ(one.own_fatal_by_draw, two.own_fatal_by_draw);
  EXPECT_EQ(one.partner_fatal_by_draw, two.partner_fatal_by_draw);
  o.seed = 43;
  const RiskSummary other = rule.simulate(770, true, fleet, kDate, o);
  EXPECT_NE(one.own_fatal_by_draw[0], other.own_fatal_by_draw[0]);
  // Different random numbers, same answer within the sampling error.
  const Interval& s = one.own_fatal_sampling[kCrashKinds];
  EXPECT_NEAR(other.own_fatal_by_draw[0], one.own_fatal_by_draw[0], 3 * (s.hi - s.lo));
}

TEST(CrashSimulationTest, SamplingAgreesWithQuadratureAgainstOnePartner) {
  // A single partner of fixed mass, frontal crashes only: the sampled mean must match the quadrature.
  CrashPartner p;
  p.id = "fixed";
  p.mass_min_kg = p.mass_max_kg = 1500;
  CrashModel m = testing::bundled().crash().model(kDate, 0, 1);
  m.share_frontal = 1;
  m.share_side = m.share_rear = 0;
  CrashSums sums;
  sample_collisions(m, make_sampler({&p}), 800, false, 7, 0, 2'000'000, sums);
  const double sampled = sums.own_fatal[kFrontal] / static_cast<double>(sums.n[kFrontal]);
  const auto cell = testing::bundled().crash().expected(800, 1500, CrashRule::Configuration::frontal, kDate);
  EXPECT_EQ(sums.n[kFrontal], 2'000'000);
  EXPECT_NEAR(sampled, cell.own_fatal, 0.01 * cell.own_fatal);
}

TEST(CrashPartnersTest, SharesMustAddUpAndMassesBeLightVehicles) {
  auto bad = CrashPartners::parse(
      "id,name,role,share,curb_mass_min_kg,curb_mass_max_kg,source,confidence,note\n"
      "a,A,segment,0.5,1000,1200,s,high,\n"
      "b,B,segment,0.4,1200,900,s,high,\n"
      "c,C,truck,,1000,1100,s,high,\n",
      "partners.csv");
  ASSERT_FALSE(bad);
  const std::string& m = bad.error().message;
  EXPECT_NE(m.find("partners.csv:3: curb mass range 1200-900 kg"), std::string::npos) << m;
  EXPECT_NE(m.find("partners.csv:4: role 'truck' is not segment or reference"), std::string::npos) << m;
  EXPECT_NE(m.find("segment shares add up to 0.9, not 1"), std::string::npos) << m;
}

TEST(CrashParamsTest, AnUncertaintyRangeMustContainTheValue) {
  ParamStore store;
  auto r = store.add_toml(
      "[p.x]\nunit = \"ratio\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
      "  { from = 2000-01-01, value = 0.5, low = 0.6, high = 0.9, ref = \"r\" },\n]\n",
      "m.toml");
  ASSERT_FALSE(r);
  EXPECT_NE(
      r.error().message.find("m.toml:6: p.x: value from 2000-01-01: the range [0.6, 0.9] does not contain"),
      std::string::npos)
      << r.error().message;
  auto half = store.add_toml(
      "[p.y]\nunit = \"ratio\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
      "  { from = 2000-01-01, value = 0.5, low = 0.1, ref = \"r\" },\n]\n",
      "m.toml");
  ASSERT_FALSE(half);
  EXPECT_NE(half.error().message.find("needs both 'low' and 'high'"), std::string::npos);
}

TEST(CrashParamsTest, DrawsStayInsideTheRangesAndDrawZeroIsThePoint) {
  const CrashRule& rule = testing::bundled().crash();
  const CrashModel point = rule.model(kDate, 0, 9);
  EXPECT_EQ(point.restitution, 0.1);
  EXPECT_EQ(point.speed_median_kmh, 45.8);
  for (int d = 1; d < 50; ++d) {
    const CrashModel m = rule.model(kDate, d, 9);
    EXPECT_GE(m.restitution, 0.0);
    EXPECT_LE(m.restitution, 0.2);
    EXPECT_GE(m.speed_median_kmh, 35);
    EXPECT_LE(m.speed_median_kmh, 60);
    EXPECT_GE(m.kei_odds_ratio, 1.0);
    EXPECT_LE(m.kei_odds_ratio, 1.5);
    EXPECT_EQ(m.fatal.intercept, point.fatal.intercept);  // no range: not drawn
  }
  EXPECT_EQ(rule.model(kDate, 5, 9).restitution, rule.model(kDate, 5, 9).restitution);  // reproducible
}

}  // namespace
}  // namespace keipath
