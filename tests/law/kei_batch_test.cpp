// Batch mode runs the same rule as explain mode: for vehicles judged on dates in every era (including the
// boundary days), the verdicts and failed limits must agree row for row.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

#include "keipath/kei_class.hpp"
#include "keipath/rule_base.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

struct Rows {
  std::vector<int32_t> judged_on;
  std::vector<int16_t> length, width, height, displacement, payload;
  std::vector<int8_t> seats;
  std::vector<uint8_t> engine, goods;
  std::vector<float> power;
  std::vector<Vehicle> vehicles;

  KeiColumns columns() const {
    return KeiColumns{judged_on, length, width, height, displacement, payload, seats, engine, power, goods};
  }
};

Rows generate(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // Days around every revision, plus any day from 1945 to 2030.
  const std::vector<const char*> boundaries = {"1949-07-08", "1950-07-26", "1951-08-16", "1955-04-01",
                                               "1960-07-01", "1976-01-01", "1990-01-01", "1998-10-01"};
  Rows r;
  for (size_t i = 0; i < n; ++i) {
    Date d = pick(0, 3) == 0
                 ? testing::date(boundaries[static_cast<size_t>(pick(0, 7))]).plus_days(pick(-1, 0))
                 : Date::from_days(pick(testing::date("1945-01-01").days_since_epoch(),
                                        testing::date("2030-12-31").days_since_epoch()));
    Vehicle v;
    v.body = static_cast<Body>(pick(0, 4));
    auto maybe = [&](int lo, int hi) -> std::optional<int> {
      if (pick(0, 19) == 0) return std::nullopt;
      return pick(lo, hi);
    };
    v.length_mm = maybe(2700, 3500);
    v.width_mm = maybe(950, 1550);
    v.height_mm = maybe(1100, 2100);
    const int engine = pick(0, 3);
    if (engine < 3) v.engine = static_cast<EngineKind>(engine);
    if (v.engine != EngineKind::electric) v.displacement_cc = maybe(90, 700);
    if (pick(0, 3) > 0) v.power_kw = pick(1, 600) / 10.0;
    v.seats = maybe(1, 6);
    v.payload_kg = maybe(100, 500);
    r.judged_on.push_back(d.days_since_epoch());
    r.length.push_back(static_cast<int16_t>(v.length_mm.value_or(-1)));
    r.width.push_back(static_cast<int16_t>(v.width_mm.value_or(-1)));
    r.height.push_back(static_cast<int16_t>(v.height_mm.value_or(-1)));
    r.displacement.push_back(static_cast<int16_t>(v.displacement_cc.value_or(-1)));
    r.payload.push_back(static_cast<int16_t>(v.payload_kg.value_or(-1)));
    r.seats.push_back(static_cast<int8_t>(v.seats.value_or(-1)));
    r.engine.push_back(v.engine ? static_cast<uint8_t>(*v.engine) : kEngineUnknown);
    r.power.push_back(v.power_kw ? static_cast<float>(*v.power_kw) : -1.0f);
    r.goods.push_back(is_goods_body(*v.body) ? 1 : 0);
    r.vehicles.push_back(v);
  }
  return r;
}

// Classifies the rows in batch mode and checks each against explain mode.
void expect_batch_matches_explain(const KeiClassRule& rule, const Rows& rows) {
  std::vector<KeiVerdict> verdict(rows.vehicles.size());
  std::vector<uint8_t> failed(rows.vehicles.size());
  ASSERT_TRUE(rule.classify(rows.columns(), KeiBatchOutput{verdict, failed}));
  std::map<KeiVerdict, int> seen;
  for (size_t i = 0; i < rows.vehicles.size(); ++i) {
    const Date d = Date::from_days(rows.judged_on[i]);
    const KeiDetermination e = rule.explain(rows.vehicles[i], d);
    ASSERT_EQ(verdict[i], e.verdict) << "row " << i << " on " << d.str();
    uint8_t expected_failed = 0;
    for (const KeiFinding& f : e.findings) {
      if (f.outcome == Outcome::fail)
        expected_failed |= static_cast<uint8_t>(1u << static_cast<unsigned>(f.check));
    }
    ASSERT_EQ(failed[i], expected_failed) << "row " << i << " on " << d.str();
    ++seen[verdict[i]];
  }
  // The generated rows exercise every verdict, so the comparison above means something.
  EXPECT_GT(seen[KeiVerdict::kei], 100);
  EXPECT_GT(seen[KeiVerdict::not_kei], 100);
  EXPECT_GT(seen[KeiVerdict::unknown], 100);
}

TEST(KeiBatchTest, AgreesWithExplainModeRowForRow) {
  // 20,003 rows: not a multiple of the lane width, so the padded last group is exercised too.
  expect_batch_matches_explain(testing::bundled().kei_class(), generate(20003, 7));
}

TEST(KeiBatchTest, AgreesWithExplainModeWhenAScenarioAddsManyEras) {
  // Twenty dated overrides make more eras than fit in registers, so batch mode takes its gather path.
  std::string text = "[scenario]\nname = \"many-eras\"\ndescription = \"d\"\n";
  for (int year = 1950; year < 2030; year += 4) {
    text += fmt::format(
        "[[override]]\nparameter = \"jp.kei.max_length_mm\"\nfrom = {}-03-01\nuntil = {}-03-01\n"
        "value = {}\nref = \"test\"\n",
        year, year + 2, 2900 + (year - 1950) * 7);
  }
  testing::ScratchDir dir;
  auto base = RuleBase::load(RuleBaseOptions{KEIPATH_DATA_DIR, dir.write("many.toml", text), Date::today()});
  ASSERT_TRUE(base) << base.error().message;
  expect_batch_matches_explain((*base)->kei_class(), generate(20000, 11));
}

TEST(KeiBatchTest, RejectsColumnsOfDifferentLengths) {
  Rows rows = generate(10, 1);
  rows.width.pop_back();
  std::vector<KeiVerdict> verdict(10);
  std::vector<uint8_t> failed(10);
  auto result = testing::bundled().kei_class().classify(rows.columns(), KeiBatchOutput{verdict, failed});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "kei batch: column width_mm has 9 rows, judged_on has 10");
}

}  // namespace
}  // namespace keipath
