// Runs every case in tests/cases/jp/kei_class.toml through the kei-class rule in explain mode, and checks the
// verdict, which limits fail and by how much, which cannot be checked, and the citation that decides it.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <map>

#include "case_support.hpp"
#include "keipath/answers.hpp"
#include "keipath/kei_class.hpp"
#include "keipath/rule_base.hpp"

namespace keipath {
namespace {

struct KeiCase {
  std::string name;
  int line = 0;
  Date date;
  Vehicle vehicle;
  std::string verdict;
  std::map<std::string, double> failed;
  std::vector<std::string> unknown, notes, missing;
  std::string decided_by;  // "parameter@YYYY-MM-DD"
};

std::vector<KeiCase> load_cases() {
  const std::string file = std::string(KEIPATH_CASES_DIR) + "/jp/kei_class.toml";
  toml::table doc = toml::parse_file(file);
  std::vector<KeiCase> cases;
  for (const toml::node& node : *doc["case"].as_array()) {
    const toml::table& t = *node.as_table();
    KeiCase c;
    c.name = t["name"].value_or(std::string("?"));
    c.line = static_cast<int>(t.source().begin.line);
    c.date = testing::toml_date(*t.get("date"));
    c.vehicle = testing::case_vehicle(t, file, c.line);
    c.verdict = t["verdict"].value_or(std::string());
    if (const auto* f = t["failed"].as_table()) {
      for (const auto& [key, value] : *f) c.failed[std::string(key.str())] = *value.value<double>();
    }
    for (auto [key, list] :
         {std::pair{"unknown", &c.unknown}, {"notes", &c.notes}, {"missing", &c.missing}}) {
      if (const auto* arr = t[key].as_array()) {
        for (const toml::node& n : *arr) list->push_back(*n.value<std::string>());
      }
    }
    c.decided_by = t["decided_by"].value_or(std::string());
    cases.push_back(std::move(c));
  }
  return cases;
}

void PrintTo(const KeiCase& c, std::ostream* os) {
  *os << c.name;
}

class KeiCaseTest : public ::testing::TestWithParam<KeiCase> {};

TEST_P(KeiCaseTest, MatchesTheLaw) {
  const KeiCase& c = GetParam();
  SCOPED_TRACE(fmt::format("tests/cases/jp/kei_class.toml:{}: {}", c.line, c.name));
  ASSERT_TRUE(validate_vehicle(c.vehicle, Date::today()));
  const KeiDetermination d = testing::bundled().kei_class().explain(c.vehicle, c.date);
  EXPECT_EQ(to_string(d.verdict), c.verdict);

  std::map<std::string, double> failed;
  std::vector<std::string> unknown, notes;
  for (const KeiFinding& f : d.findings) {
    const std::string check(to_string(f.check));
    if (f.outcome == Outcome::fail) failed[check] = *f.excess;
    if (f.outcome == Outcome::unknown && f.binding) unknown.push_back(check);
    if (f.outcome == Outcome::note) notes.push_back(check);
  }
  ASSERT_EQ(failed.size(), c.failed.size()) << "failed checks differ";
  for (const auto& [check, excess] : c.failed) {
    ASSERT_TRUE(failed.count(check)) << check << " should fail";
    EXPECT_NEAR(failed[check], excess, 1e-6) << check << " excess";
  }
  EXPECT_EQ(unknown, c.unknown);
  EXPECT_EQ(notes, c.notes);
  EXPECT_EQ(d.missing_fields, c.missing);

  if (!c.decided_by.empty()) {
    const auto at = c.decided_by.find('@');
    const std::string param = c.decided_by.substr(0, at);
    const Date since = *Date::parse(c.decided_by.substr(at + 1));
    bool cited = false;
    for (const Reason& r : d.reasons) {
      if (r.citation && r.citation->parameter == param) {
        EXPECT_EQ(r.citation->in_force_since, since) << "the value in force on the case's date";
        EXPECT_FALSE(r.citation->ref.empty());
        cited = true;
      }
    }
    EXPECT_TRUE(cited) << "no reason cites " << param;
  }
  // Every determination explains itself: one reason per check plus the class's existence.
  EXPECT_EQ(d.reasons.size(), d.class_in_effect ? 1u + kKeiCheckCount : 1u);
}

INSTANTIATE_TEST_SUITE_P(Cases, KeiCaseTest, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<KeiCase>& info) {
                           return fmt::format("line{}", info.param.line);
                         });

TEST(KeiClassTest, OverLengthReasonSaysByHowMuchAndCites) {
  Vehicle v;
  v.body = Body::car;
  v.length_mm = 3450;
  v.width_mm = 1475;
  v.height_mm = 1600;
  v.engine = EngineKind::four_stroke;
  v.displacement_cc = 658;
  const KeiDetermination d = testing::bundled().kei_class().explain(v, testing::date("2026-11-22"));
  ASSERT_EQ(d.verdict, KeiVerdict::not_kei);
  const Reason& length = d.reasons[1];
  EXPECT_EQ(length.outcome, Outcome::fail);
  EXPECT_EQ(length.text, "length 3,450 mm exceeds the 3,400 mm limit in force since 1998-10-01 by 50 mm");
  ASSERT_TRUE(length.citation);
  EXPECT_EQ(length.citation->parameter, "jp.kei.max_length_mm");
  EXPECT_EQ(length.citation->value, 3400);
  EXPECT_NE(length.citation->ref.find("1998"), std::string::npos);
  EXPECT_EQ(length.citation->checked, testing::date("2026-11-22"));
}

TEST(KeiClassTest, BindingFailsOnAMissingOrMistypedParameter) {
  ParamStore store;
  ASSERT_TRUE(store.add_toml(R"([jp.kei.class_in_effect]
unit = "bool"
description = "d"
checked = 2026-11-22
values = [ { from = 1949-07-08, value = true, ref = "r" } ]
[jp.kei.max_length_mm]
unit = "cc"
description = "d"
checked = 2026-11-22
values = [ { from = 1949-07-08, value = 1, ref = "r" } ]
)",
                             "kei.toml"));
  auto rule = KeiClassRule::bind(store);
  ASSERT_FALSE(rule);
  EXPECT_NE(rule.error().message.find(
                "kei class rule: kei.toml:6: jp.kei.max_length_mm has unit cc, but the rule reads it as mm"),
            std::string::npos)
      << rule.error().message;
  EXPECT_NE(rule.error().message.find("kei class rule: the rule base has no parameter 'jp.kei.max_width_mm'"),
            std::string::npos);
}

}  // namespace
}  // namespace keipath

namespace keipath {

// Issue 10's bar: no catalog truck or van built 1990-2002 gets an unknown kei verdict for want of a
// dimension, in any month of its production in those years (where no source gave a dimension, the row holds
// the kei limit of the month it went on sale, marked assumed).
TEST(KeiClassTest, NoCatalogTruckOrVanBuilt1990To2002LacksADimension) {
  const RuleBase& base = testing::bundled();
  int months = 0;
  for (const CatalogEntry& e : base.catalog().entries()) {
    if (!e.vehicle.body || !is_goods_body(*e.vehicle.body)) continue;
    for (YearMonth m(1990, 1); m <= YearMonth(2002, 12); m = m.plus_months(1)) {
      if (!e.produced_in(m)) continue;
      ++months;
      const KeiDetermination d = base.kei_class().explain(e.vehicle, m.first_day());
      for (const std::string& f : d.missing_fields)
        EXPECT_TRUE(f != "length_mm" && f != "width_mm" && f != "height_mm")
            << e.vehicle.display_name() << " built " << m.str() << " lacks " << f;
    }
  }
  EXPECT_GT(months, 1000);  // about thirty generations, a year or more each
}

// An assumed figure is the kei limit of the month the generation went on sale, says so, and gives way to the
// user's own figure.
TEST(KeiClassTest, AssumedDimensionsAreTheLaunchMonthsLimitsAndGiveWayToAGivenFigure) {
  const RuleBase& base = testing::bundled();
  auto ha3 = base.catalog().lookup("Honda Acty Truck", "HA3");
  ASSERT_TRUE(ha3) << ha3.error().message;
  const Vehicle& v = (*ha3)->vehicle;
  EXPECT_EQ(v.length_mm, 3300);  // the 1990-01 limit: the HA3 went on sale 1990-03
  EXPECT_EQ(v.width_mm, 1400);
  EXPECT_EQ(v.height_mm, 2000);
  ASSERT_EQ(v.assumed.size(), 5u);  // and a 660 cc kei truck's generic top speed and curb mass
  EXPECT_EQ(v.assumed[0].field, "length_mm");
  EXPECT_EQ(v.assumed[0].high, 3300);
  EXPECT_FALSE(v.assumed[0].low);
  EXPECT_EQ(v.assumed[3].field, "top_speed_kmh");
  EXPECT_EQ(v.top_speed_kmh, 100);
  EXPECT_EQ(v.assumed[3].low, 100);
  EXPECT_EQ(v.assumed[3].high, 120);
  EXPECT_EQ(v.assumed[4].field, "curb_mass_kg");
  EXPECT_EQ(v.curb_mass_kg, 700);
  EXPECT_EQ(assumed_summary(v),
            "length_mm at most 3300, width_mm at most 1400, height_mm at most 2000, "
            "top_speed_kmh 100 (100 to 120), curb_mass_kg 700 (650 to 830)");
  EXPECT_NE(v.assumed[0].why.find("jp.kei.max_length_mm since 1990-01-01"), std::string::npos)
      << v.assumed[0].why;
  EXPECT_TRUE(is_assumed(v, "width_mm"));
  auto ha8 = base.catalog().lookup("Honda Acty Truck", "HA8");  // maker's dimensions: only the top speed
  ASSERT_TRUE(ha8);
  ASSERT_EQ((*ha8)->vehicle.assumed.size(), 1u);
  EXPECT_EQ((*ha8)->vehicle.assumed[0].field, "top_speed_kmh");
  auto sakura = base.catalog().lookup("Nissan Sakura", "");  // an EV with its maker's figures: nothing
  ASSERT_TRUE(sakura);
  EXPECT_TRUE((*sakura)->vehicle.assumed.empty());
  answers::VehicleRequest given{"Honda Acty Truck", "HA3", "", {{"built", "1995-06"}, {"length_mm", "3295"}}};
  auto chosen = answers::choose_vehicle(given, base, testing::date("2026-12-03"));
  ASSERT_TRUE(chosen) << chosen.error().message;
  EXPECT_EQ(chosen->vehicle.length_mm, 3295);
  EXPECT_FALSE(is_assumed(chosen->vehicle, "length_mm"));
  EXPECT_TRUE(is_assumed(chosen->vehicle, "height_mm"));
  EXPECT_EQ(answers::vehicle_json(chosen->vehicle)["assumed"].size(), 4u);
}

}  // namespace keipath
