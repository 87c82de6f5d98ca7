// Loading the whole rule base: the bundled data, scenarios, and the errors a broken data folder gives.
#include "keipath/rule_base.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace keipath {
namespace {

using testing::date;
using testing::ScratchDir;

TEST(RuleBaseTest, BundledDataLoadsWithAStableHash) {
  const RuleBase& base = testing::bundled();
  EXPECT_EQ(base.scenario_name(), "baseline");
  EXPECT_EQ(base.content_hash().size(), 16u);
  auto again = RuleBase::load(RuleBaseOptions{KEIPATH_DATA_DIR, std::nullopt, Date::today()});
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->content_hash(), base.content_hash());
  for (const Parameter& p : base.params().parameters()) {
    EXPECT_FALSE(p.description.empty()) << p.name;
    for (const ParamValue& v : p.values) EXPECT_FALSE(v.ref.empty()) << p.name;
  }
}

TEST(RuleBaseTest, ScenarioChangesTheAnswerAndTheProvenance) {
  ScratchDir dir;
  const auto scenario = dir.write("longer.toml", R"([scenario]
name = "longer"
description = "3.6 m kei from 2027-04-01"
[[override]]
parameter = "jp.kei.max_length_mm"
from = 2027-04-01
value = 3600
ref = "hypothetical"
)");
  auto base = RuleBase::load(RuleBaseOptions{KEIPATH_DATA_DIR, scenario, Date::today()});
  ASSERT_TRUE(base) << base.error().message;
  EXPECT_EQ((*base)->scenario_name(), "longer");
  EXPECT_NE((*base)->content_hash(), testing::bundled().content_hash());
  Vehicle v;
  v.body = Body::car;
  v.length_mm = 3550;
  v.width_mm = 1475;
  v.height_mm = 1600;
  v.engine = EngineKind::four_stroke;
  v.displacement_cc = 658;
  EXPECT_EQ((*base)->kei_class().explain(v, date("2027-03-31")).verdict, KeiVerdict::not_kei);
  const KeiDetermination d = (*base)->kei_class().explain(v, date("2027-04-01"));
  EXPECT_EQ(d.verdict, KeiVerdict::kei);
  EXPECT_EQ(d.reasons[1].citation->origin, "longer");
}

TEST(RuleBaseTest, MalformedRuleFileStopsTheLoadWithFileAndLine) {
  ScratchDir dir;
  testing::copy_bundled_data(dir);
  dir.write("data/law/jp/extra.toml",
            "[jp.extra.limit]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\n"
            "values = [ { from = 2000-01-01, value = 1 } ]\n");
  auto base = RuleBase::load(RuleBaseOptions{dir.path() / "data", std::nullopt, Date::today()});
  ASSERT_FALSE(base);
  EXPECT_EQ(
      base.error().message,
      "data/law/jp/extra.toml:5: jp.extra.limit: value from 2000-01-01: has no ref (every value needs its "
      "citation)");
}

TEST(RuleBaseTest, MissingParameterIsALoadTimeError) {
  ScratchDir dir;
  testing::copy_bundled_data(dir);
  std::filesystem::remove(dir.path() / "data/law/jp/kei_class.toml");
  dir.write("data/law/jp/other.toml",
            "[jp.other]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\n"
            "values = [ { from = 2000-01-01, value = 1, ref = \"r\" } ]\n");
  auto base = RuleBase::load(RuleBaseOptions{dir.path() / "data", std::nullopt, Date::today()});
  ASSERT_FALSE(base);
  EXPECT_NE(
      base.error().message.find("kei class rule: the rule base has no parameter 'jp.kei.class_in_effect'"),
      std::string::npos)
      << base.error().message;
}

// The catalog's assumed figures read their parameters at load: without one, the load fails naming it (no
// catalog row silently loses its assumed figure).
TEST(RuleBaseTest, AMissingAssumedFigureParameterIsALoadTimeError) {
  ScratchDir dir;
  testing::copy_bundled_data(dir);
  std::filesystem::remove(dir.path() / "data/models/assumed_figures.toml");
  auto base = RuleBase::load(RuleBaseOptions{dir.path() / "data", std::nullopt, Date::today()});
  ASSERT_FALSE(base);
  EXPECT_NE(base.error().message.find("vehicle.assumed.kei_goods_top_speed_kmh"), std::string::npos)
      << base.error().message;
}

TEST(RuleBaseTest, MissingCatalogOrEmptyLawFolderIsReported) {
  ScratchDir dir;
  testing::copy_bundled_data(dir);
  std::filesystem::remove(dir.path() / "data/vehicles/kei_catalog.csv");
  auto no_catalog = RuleBase::load(RuleBaseOptions{dir.path() / "data", std::nullopt, Date::today()});
  ASSERT_FALSE(no_catalog);
  EXPECT_NE(no_catalog.error().message.find("kei_catalog.csv: cannot open the catalog"), std::string::npos)
      << no_catalog.error().message;

  ScratchDir empty;
  std::filesystem::create_directories(empty.path() / "data/law");
  auto no_law = RuleBase::load(RuleBaseOptions{empty.path() / "data", std::nullopt, Date::today()});
  ASSERT_FALSE(no_law);
  EXPECT_NE(no_law.error().message.find("no parameters found"), std::string::npos) << no_law.error().message;
}

TEST(RuleBaseTest, MalformedCatalogRowIsReportedWithFileLineAndField) {
  ScratchDir dir;
  testing::copy_bundled_data(dir);
  const size_t rows = testing::bundled().catalog().entries().size();
  std::ofstream(dir.path() / "data/vehicles/kei_catalog.csv", std::ios::app)
      << "Test,Broken,X1,bus,3395,1475,1765,,,,four_stroke,658,37,770,,2,350,ice,4WD,right,,2013-08,,,,"
         "https://example.org,medium,2026-11-22,\n";
  auto base = RuleBase::load(RuleBaseOptions{dir.path() / "data", std::nullopt, Date::today()});
  ASSERT_FALSE(base);
  const std::string where = "data/vehicles/kei_catalog.csv:" + std::to_string(rows + 2);
  EXPECT_NE(base.error().message.find(where + ": vehicle.body: 'bus' is not one of"), std::string::npos)
      << base.error().message;
}

}  // namespace
}  // namespace keipath
