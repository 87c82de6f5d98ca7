// The `keipath` command as a user runs it: output, exit codes, and the messages for bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "keipath/csv.hpp"
#include "keipath/us_states.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

using testing::CliRun;
using testing::contains;
using testing::keipath;

TEST(CliTest, CarryDA16TIsKeiWithEveryLimitValueAndCitation) {
  const CliRun r = keipath("kei --model \"Suzuki Carry\" --chassis DA16T --date 2026-11-22");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "Verdict: KEI")) << r.out;
  EXPECT_TRUE(contains(r.out, "length 3,395 mm ≤ 3,400 mm limit in force since 1998-10-01")) << r.out;
  EXPECT_TRUE(contains(r.out, "width 1,475 mm ≤ 1,480 mm limit in force since 1998-10-01")) << r.out;
  EXPECT_TRUE(contains(r.out, "engine displacement 658 cc ≤ 660 cc limit in force since 1990-01-01"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "jp.kei.max_length_mm = 3,400 mm since 1998-10-01")) << r.out;
  EXPECT_TRUE(contains(r.out, "ref: Enforcement Regulation Appended Table 1")) << r.out;
  EXPECT_TRUE(contains(r.out, "scenario baseline")) << r.out;
}

TEST(CliTest, OverLengthVehicleIsToldWhichLimitFailsAndByHowMuch) {
  const CliRun r = keipath(
      "kei --body car --length-mm 3450 --width-mm 1475 --height-mm 1600 --engine four_stroke "
      "--displacement-cc 658 "
      "--date 2026-11-22");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "Verdict: NOT KEI (length over by 50 mm)")) << r.out;
  EXPECT_TRUE(contains(
      r.out, "FAIL    length 3,450 mm exceeds the 3,400 mm limit in force since 1998-10-01 by 50 mm"))
      << r.out;
}

TEST(CliTest, JsonCarriesVerdictCitationsAndProvenance) {
  const CliRun r = keipath("kei --model \"Suzuki Carry\" --chassis DA16T --date 1996-06-01 --json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "not_kei");
  EXPECT_EQ(j["findings"][0]["check"], "length");
  EXPECT_EQ(j["findings"][0]["excess"], 95);
  EXPECT_EQ(j["reasons"][1]["citation"]["parameter"], "jp.kei.max_length_mm");
  EXPECT_EQ(j["reasons"][1]["citation"]["in_force_since"], "1990-01-01");
  EXPECT_EQ(j["vehicle"]["chassis"], "DA16T");
  EXPECT_EQ(j["provenance"]["scenario"], "baseline");
  EXPECT_EQ(j["provenance"]["rule_base_hash"], testing::bundled().content_hash());
}

TEST(CliTest, CatalogListsSearchesAndExports) {
  const CliRun text = keipath("catalog --search jimny");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_TRUE(contains(text.out, "7 vehicles")) << text.out;
  const CliRun csv = keipath("catalog --search \"hijet truck\" --csv");
  EXPECT_EQ(csv.exit_code, 0);
  EXPECT_TRUE(csv.out.starts_with("make,model,chassis,body,length_mm")) << csv.out;
  EXPECT_TRUE(contains(csv.out, "Daihatsu,Hijet Truck,S500P/S510P,truck,3395,1475,1780")) << csv.out;
  const CliRun json = keipath("catalog --json");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(json.out)["vehicles"].size(),
            testing::bundled().catalog().entries().size());
}

struct BadUsage {
  const char* name;
  const char* args;
  const char* message;
};

void PrintTo(const BadUsage& c, std::ostream* os) {
  *os << c.name;
}

class CliBadInputTest : public ::testing::TestWithParam<BadUsage> {};

TEST_P(CliBadInputTest, ExitsTwoWithAMessageNamingTheProblem) {
  const CliRun r = keipath(GetParam().args);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.out, GetParam().message)) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, CliBadInputTest,
    ::testing::Values(
        BadUsage{"negative_length", "kei --body car --length-mm -5",
                 "keipath: --length-mm: -5 is not a length in mm"},
        BadUsage{"not_a_number", "kei --body car --width-mm abc",
                 "keipath: --width-mm: 'abc' is not a whole number"},
        BadUsage{"missing_body", "kei --length-mm 3395", "keipath: vehicle.body: missing"},
        BadUsage{"bad_date", "kei --model Sakura --date 2026-02-30",
                 "keipath: --date: '2026-02-30' is not a calendar date"},
        BadUsage{"ambiguous_model", "kei --model \"Suzuki Carry\"",
                 "keipath: --chassis: 'Suzuki Carry' matches 11 catalog vehicles; give the chassis"},
        BadUsage{"unknown_model", "kei --model Hilux", "no catalog vehicle matches 'Hilux'"},
        BadUsage{"built_outside_production", "kei --model \"Suzuki Carry\" --chassis DA16T --built 2001-01",
                 "--built: 2001-01 is outside the production of Suzuki Carry DA16T (2013-08 to present)"},
        BadUsage{"no_vehicle", "kei", "say which vehicle"},
        BadUsage{"unknown_option", "kei --colour red", "--colour"},
        BadUsage{"no_subcommand", "", "A subcommand is required"},
        BadUsage{"missing_scenario", "kei --model Sakura --scenario /nonexistent.toml",
                 "cannot open scenario file"},
        BadUsage{"json_and_csv", "catalog --json --csv", "choose one"},
        BadUsage{"states_unknown_state", "states --body truck --built 1995-01 --state ZZ",
                 "keipath: --state: 'ZZ' is not a state code; use one of AK AL"},
        BadUsage{"states_bad_road_class",
                 "states --body truck --state NC --road-speed 45 --road-class freeway",
                 "keipath: --road-class: road class 'freeway' is not one of interstate, limited_access"},
        BadUsage{"states_road_speed_out_of_range", "states --body truck --state NC --road-speed 120",
                 "keipath: --road-speed: 120 is out of range (at least 5, at most 85)"},
        BadUsage{"states_road_class_without_speed", "states --body truck --road-class local",
                 "--road-class needs --road-speed"},
        BadUsage{"states_bad_entry", "states --body truck --entered-as boat",
                 "keipath: --entered-as: entry 'boat' is not one of road, off_road, lsv"},
        BadUsage{"states_bad_registered_on", "states --body truck --registered-on 2024-13-01",
                 "keipath: --registered-on: "},
        BadUsage{"states_registered_after_date",
                 "states --body car --built 1995-01 --date 2025-01-01 --registered-on 2025-06-01",
                 "--registered-on: 2025-06-01 is after the date asked about (2025-01-01)"},
        BadUsage{"states_future_build", "states --body truck --built 2031-01",
                 "--built: 2031-01 is in the future"},
        BadUsage{"states_changes_bad_state", "states --changes --state QQ",
                 "--state: 'QQ' is not a state code"},
        BadUsage{"check_without_state", "check --model Sakura", "--state is required"},
        BadUsage{"check_bad_state", "check --model Sakura --state QQ",
                 "keipath: --state: 'QQ' is not a state code"},
        BadUsage{"check_bad_registered_on", "check --model Sakura --state OH --registered-on 2026-13-01",
                 "keipath: --registered-on: "},
        BadUsage{"serve_web_without_page", "serve --port 0 --web /nonexistent",
                 "keipath: --web: /nonexistent has no index.html"},
        BadUsage{"serve_bad_cache", "serve --port 0 --cache-mb -1",
                 "keipath: --cache-mb: -1 is out of range"},
        BadUsage{"check_bad_price", "check --model Sakura --state OH --price-jpy -3",
                 "keipath: --price-jpy: -3 is out of range"},
        BadUsage{"check_economy_without_cycle",
                 "check --model Sakura --built 2024-01 --state OH --km-per-l 20",
                 "keipath: --km-per-l: needs cycle"},
        BadUsage{"cost_bad_freight", "cost --model Sakura --built 2024-01 --price-jpy 900000 --freight air",
                 "keipath: --freight: 'air' is not roro or container"},
        BadUsage{"cost_bad_compare",
                 "cost --model Sakura --built 2024-01 --price-jpy 900000 --years 5 --compare tank",
                 "keipath: --compare: 'tank' is not a reference vehicle"},
        BadUsage{"safety_bad_partner", "safety --model Sakura --partner tank --draws 2 --samples 1000",
                 "keipath: --partner: 'tank' is not a crash partner"}),
    [](const ::testing::TestParamInfo<BadUsage>& info) { return std::string(info.param.name); });

TEST(CliTest, MalformedRuleFileGivesFileLineAndExitTwo) {
  testing::ScratchDir dir;
  testing::copy_bundled_data(dir);
  dir.write("data/law/jp/broken.toml",
            "[jp.broken]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\n"
            "values = [\n  { from = 2001-01-01, value = 2, ref = \"r\" },\n"
            "  { from = 2000-01-01, value = 1, ref = \"r\" },\n]\n");
  const CliRun r = keipath("kei --model Sakura --data " + (dir.path() / "data").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(
      contains(r.out,
               "data/law/jp/broken.toml:7: jp.broken: dates not strictly increasing: 2000-01-01 comes "
               "after 2001-01-01 (line 6)"))
      << r.out;
}

// The issue's acceptance command: all 51 answers with conditions, statutes and confidence, then the counts
// by status with the date of the data.
TEST(CliStatesTest, AllJurisdictionsForA1999ActyWithCountsAndDataDate) {
  const CliRun r = keipath("states --vehicle \"Honda Acty Truck\" --built 1999-06 --date 2026-11-22");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "Honda Acty Truck HA6/HA7 (truck, built 1999-06) on 2026-11-22")) << r.out;
  for (const auto& j : us_jurisdictions()) {
    std::string row_start = "\n";  // built in steps: GCC 12's -Wrestrict misfires on "\n" + string
    row_start.append(j.code).append("  ");
    EXPECT_TRUE(contains(r.out, row_start)) << j.code << " missing";
  }
  EXPECT_TRUE(contains(r.out, "roads ≤55 mph; no limited-access; no divided highways")) << r.out;  // LA
  EXPECT_TRUE(contains(r.out, "La. R.S. 32:299.2")) << r.out;
  EXPECT_TRUE(contains(r.out, "Counts on 2026-11-22: unrestricted ")) << r.out;
  EXPECT_TRUE(contains(r.out, "prohibited 7 ·")) << r.out;
  EXPECT_TRUE(contains(r.out, "Confidence: high ")) << r.out;
  // Connecticut's answer rests on no statute, regulation or agency statement: unknown, and said so.
  EXPECT_TRUE(contains(r.out, "\nCT  unknown ")) << r.out;
  EXPECT_TRUE(contains(r.out, "On secondary sources only (no statute, regulation or agency statement found)"))
      << r.out;
  const auto j = nlohmann::json::parse(
      keipath("states --vehicle \"Honda Acty Truck\" --built 1999-06 --date 2026-11-22 --json").out);
  int confidence_total = 0;
  for (const auto& [level, n] : j["confidence_counts"].items()) confidence_total += n.get<int>();
  EXPECT_EQ(confidence_total, 51);
  const auto secondary = j["secondary_only"].get<std::vector<std::string>>();
  for (const char* code : {"CT", "MD", "NJ", "NM", "NV", "VT"})
    EXPECT_NE(std::find(secondary.begin(), secondary.end(), code), secondary.end()) << code;
  for (const char* code : {"TX", "GA", "ME"})
    EXPECT_EQ(std::find(secondary.begin(), secondary.end(), code), secondary.end()) << code;
  EXPECT_TRUE(contains(r.out, "State data checked 2026-06-30 to 2026-12-03")) << r.out;
}

TEST(CliStatesTest, ColoradoAnswersDifferentlyAcrossNewYear2028) {
  const std::string ask =
      "states --vehicle \"Honda Acty Truck\" --built 1999-06 --top-speed-kmh 110 --state CO --date ";
  const CliRun before = keipath(ask + "2027-12-31");
  const CliRun after = keipath(ask + "2028-01-01");
  EXPECT_EQ(before.exit_code, 0) << before.out;
  EXPECT_TRUE(contains(before.out, "Colorado (CO) on 2027-12-31: off_road_only")) << before.out;
  EXPECT_TRUE(contains(after.out, "Colorado (CO) on 2028-01-01: restricted")) << after.out;
  EXPECT_TRUE(contains(after.out, "roads: roads ≤55 mph; no limited-access; may cross")) << after.out;
  EXPECT_TRUE(contains(after.out, "ref: HB25-1281")) << after.out;
}

TEST(CliStatesTest, RoadCheckForOneState) {
  const CliRun r = keipath(
      "states --body truck --built 1995-01 --length-mm 3195 --width-mm 1395 --height-mm 1760 "
      "--displacement-cc 657 --engine four_stroke --state NC --road-speed 60 --road-class highway");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "this road: no")) << r.out;
  EXPECT_TRUE(contains(r.out, "roads posted above 55 mph are closed to it (it may cross at an intersection)"))
      << r.out;
}

TEST(CliStatesTest, JsonHas51AnswersCountsAndProvenance) {
  const CliRun r = keipath("states --body car --built 1995-01 --date 2026-11-22 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["answers"].size(), 51u);
  int total = 0;
  for (const auto& [status, n] : j["counts"].items()) total += n.get<int>();
  EXPECT_EQ(total, 51);
  EXPECT_EQ(j["data_checked"]["newest"], "2026-12-03");
  EXPECT_TRUE(j["provenance"].contains("rule_base_hash"));
  const auto& tx = j["answers"][43];
  EXPECT_EQ(tx["state"], "TX");
  EXPECT_EQ(tx["status"], "unrestricted");
  EXPECT_EQ(tx["rule"]["from"], "2025-09-01");
  EXPECT_FALSE(tx["rule"]["sources"].empty());
}

TEST(CliStatesTest, CsvHasAHeaderAndOneRowPerJurisdiction) {
  const CliRun r = keipath("states --body van --built 1995-01 --date 2026-11-22 --csv --road-speed 45");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto table = parse_csv(r.out, "stdout");  // every row must have the header's field count
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->rows.size(), 51u);
  EXPECT_EQ(table->header[0], "state");
  const int allowed = table->column("road_allowed");
  ASSERT_GE(allowed, 0);
  EXPECT_EQ(table->rows[0].fields[static_cast<size_t>(allowed)], "no");       // AK: not titled (2 AAC 92.020)
  EXPECT_EQ(table->rows[4].fields[static_cast<size_t>(allowed)], "unknown");  // CA: on its emissions test
}

TEST(CliStatesTest, ChangesListNewestFirst) {
  const CliRun r = keipath("states --changes");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const size_t co = r.out.find("2028-01-01     CO");
  const size_t tx = r.out.find("2025-09-01     TX");
  ASSERT_NE(co, std::string::npos) << r.out;
  ASSERT_NE(tx, std::string::npos) << r.out;
  EXPECT_LT(co, tx);
  EXPECT_TRUE(contains(r.out, "off_road_only → restricted")) << r.out;
  const CliRun ri = keipath("states --changes --state ri --csv");
  EXPECT_EQ(ri.exit_code, 0) << ri.out;
  // The 2024 law replaced the DMV's refusal for trucks and vans, and nothing recorded for cars: two lines.
  EXPECT_TRUE(contains(ri.out, "2024-07-01,effective,RI,\"truck,van\",prohibited,prohibited,law,high"))
      << ri.out;
  EXPECT_TRUE(contains(ri.out, "2024-07-01,effective,RI,car,,prohibited,law,high")) << ri.out;
}

// The issue's acceptance examples: a 1999 Sambar truck bought for 410,000 yen, and a 2024 Nissan Sakura.
TEST(CliImportTest, SambarMayEnterNowUnderThe25YearExemption) {
  const CliRun r = keipath("import --model \"Sambar Truck\" --chassis TT1 --built 1999-06 --date 2026-11-22");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "Earliest entry for road use: 2024-06-01 by fmvss_25_year (open now)"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "form: NHTSA HS-7, Box 1")) << r.out;
  EXPECT_TRUE(contains(r.out, "registered_importer  not_available")) << r.out;
}

// The month a build month turns 25 (49 U.S.C. 30112(b)(9), to the month): the Acty HA6/HA7 began 1999-05, so
// 2024-05 lists its first build month and 2024-04 does not (its predecessor HA3/HA4 ended 1999-04).
TEST(CliImportTest, EligibleInListsTheGenerationsAndBuildMonthsThatTurn25ThatMonth) {
  const CliRun may = keipath("import --eligible-in 2024-05");
  ASSERT_EQ(may.exit_code, 0) << may.out;
  EXPECT_TRUE(contains(may.out, "Honda Acty Truck HA6/HA7                 built 1999-05")) << may.out;
  EXPECT_TRUE(contains(may.out, "from 2024-05-01 (fmvss_25_year)")) << may.out;
  EXPECT_FALSE(contains(may.out, "Acty Truck HA3/HA4")) << may.out;
  const CliRun april = keipath("import --eligible-in 2024-04");
  ASSERT_EQ(april.exit_code, 0) << april.out;
  EXPECT_FALSE(contains(april.out, "Acty Truck HA6/HA7")) << april.out;
  EXPECT_TRUE(contains(april.out, "Honda Acty Truck HA3/HA4                 built 1999-04")) << april.out;
  const CliRun json = keipath("import --eligible-in 2027-01 --json");
  ASSERT_EQ(json.exit_code, 0) << json.out;
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["answer"], "eligible_in");
  EXPECT_EQ(doc["month"], "2027-01");
  ASSERT_FALSE(doc["generations"].empty());
  for (const auto& g : doc["generations"]) {
    EXPECT_EQ(g["first_built"], "2002-01") << g.dump();
    EXPECT_EQ(g["first_day"], "2027-01-01") << g.dump();
  }
  EXPECT_EQ(keipath("import --eligible-in 2027-13").exit_code, 2);
  EXPECT_TRUE(contains(keipath("import --eligible-in 2027-13").out, "--eligible-in:"));
  const CliRun csv = keipath("import --eligible-in 2027-01 --csv");
  EXPECT_EQ(csv.exit_code, 2);
  EXPECT_TRUE(contains(csv.out, "--eligible-in: --csv is not offered (use --json)")) << csv.out;
  const CliRun both = keipath("import --eligible-in 2027-01 --model Carry");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_TRUE(contains(both.out, "--eligible-in: it lists the whole catalog; give no vehicle with it"))
      << both.out;
}

// Without a build month, a catalog generation's range over its production: the Acty HA6/HA7 (1999-05 to
// 2009-11) from 2024-05-01 to 2034-11-01; the Sambar KS3/KS4 (1990-03 to 1999) whatever the month.
TEST(CliImportTest, WithoutABuildMonthTheAnswerGivesTheRangeOverProduction) {
  const CliRun acty = keipath("import --model \"Acty Truck\" --chassis HA6 --date 2026-12-02");
  ASSERT_EQ(acty.exit_code, 0) << acty.out;
  EXPECT_TRUE(contains(acty.out,
                       "Over its production (1999-05 to 2009-11): road entry from 2024-05-01 (built "
                       "1999-05) to 2034-11-01 (built 2009-11)"))
      << acty.out;
  const CliRun sambar = keipath("import --model \"Sambar Truck\" --chassis KS3 --date 2026-12-02");
  EXPECT_TRUE(contains(sambar.out,
                       "eligible whatever the month: every build month may enter for road use on "
                       "2026-12-02"))
      << sambar.out;
  const auto doc = nlohmann::json::parse(
      keipath("import --model \"Acty Truck\" --chassis HA6 --date 2026-12-02 --json").out);
  EXPECT_EQ(doc["production"]["first_eligible"], "2024-05-01");
  EXPECT_EQ(doc["production"]["last_eligible"], "2034-11-01");
  EXPECT_EQ(doc["production"]["all_eligible"], false);
  const auto built = nlohmann::json::parse(
      keipath("import --model \"Acty Truck\" --chassis HA6 --built 2001-01 --date 2026-12-02 --json").out);
  EXPECT_TRUE(built["production"].is_null());
}

// `keipath coverage` on a fixed date is a fixture: a change to the catalog or the rules that changes what
// keipath can answer changes this file, and shows in review. Regenerate it with
//   build/release/keipath coverage --date 2026-12-02 | head -n -2 > tests/cli/coverage_2026-12-02.txt
TEST(CliCoverageTest, CoverageOnAFixedDateIsTheFixture) {
  const CliRun r = keipath("coverage --date 2026-12-02");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(std::string(KEIPATH_CASES_DIR) + "/../cli/coverage_2026-12-02.txt");
  ASSERT_TRUE(in) << "no fixture";
  const std::string fixture((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string got = r.out.substr(0, r.out.rfind("\n\nrule base ") + 1);  // without the provenance line
  EXPECT_EQ(got, fixture) << "coverage changed: regenerate tests/cli/coverage_2026-12-02.txt (see above)";
  EXPECT_TRUE(contains(
      r.out, "Honda Acty Truck HA6/HA7                 1999-05  kei      ~length_mm ~width_mm ~height_mm"))
      << r.out;
  const CliRun bad = keipath("coverage --date 2026-13-01");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(contains(bad.out, "--date")) << bad.out;
  const auto doc = nlohmann::json::parse(keipath("coverage --date 2026-12-02 --json").out);
  EXPECT_EQ(doc["answer"], "coverage");
  EXPECT_EQ(doc["jurisdictions"].size(), 51u);
  EXPECT_EQ(doc["catalog"].size(), testing::bundled().catalog().entries().size());
}

TEST(CliImportTest, CsvHasOneRowPerPathway) {
  const CliRun r = keipath("import --model Sakura --built 2024-04 --date 2026-11-22 --csv");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto table = parse_csv(r.out, "stdout");
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->rows.size(), 7u);
  EXPECT_EQ(table->rows[0].fields[0], "fmvss_25_year");
  EXPECT_EQ(table->rows[5].fields[0], "part555_exemption");
  EXPECT_EQ(table->rows[0].fields[2], "2049-04-01");
}

TEST(CliImportTest, SakuraIsNotEligibleUntil2049OrUnderAScenarioClass) {
  const CliRun r = keipath("import --model Sakura --built 2024-04 --date 2026-11-22 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["earliest_road_entry"]["date"], "2049-04-01");
  EXPECT_EQ(j["pathways"][0]["status"], "not_yet");
  EXPECT_EQ(j["pathways"][5]["id"], "part555_exemption");
  EXPECT_EQ(j["pathways"][5]["status"], "not_available");  // no maker holds an exemption
  EXPECT_EQ(j["pathways"][6]["id"], "small_vehicle_class");
  EXPECT_EQ(j["pathways"][6]["status"], "off");
  const CliRun s = keipath(
      "import --model Sakura --built 2024-04 --gross-mass-kg 1290 --date 2026-11-22 --json --scenario " +
      std::string(KEIPATH_DATA_DIR) + "/scenarios/us_small_vehicle_class.toml");
  ASSERT_EQ(s.exit_code, 0) << s.out;
  const auto k = nlohmann::json::parse(s.out);
  EXPECT_EQ(k["earliest_road_entry"]["date"], "2027-07-01");
  EXPECT_EQ(k["earliest_road_entry"]["pathway"], "small_vehicle_class");
  EXPECT_EQ(k["provenance"]["scenario"], "us-small-vehicle-class");
}

TEST(CliCostTest, SambarLandedCostTableAddsUpWithDutyWindows) {
  const CliRun r = keipath(
      "cost --model \"Sambar Truck\" --chassis TT1 --built 1999-06 --date 2026-11-22 --price-jpy 410000 "
      "--duty-windows");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "TOTAL landed $6,364.33")) << r.out;
  EXPECT_TRUE(contains(r.out, "2026-02-24   2026-07-23   25 % (+10 % unsettled)")) << r.out;
  EXPECT_TRUE(contains(r.out, "2025-09-16   2026-02-23   25 %")) << r.out;
  const CliRun csv = keipath(
      "cost --model \"Sambar Truck\" --chassis TT1 --built 1999-06 --date 2026-11-22 --price-jpy 410000 "
      "--csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.out;
  auto table = parse_csv(csv.out, "stdout");
  ASSERT_TRUE(table) << table.error().message;
  long long cents = 0;
  for (const CsvRow& row : table->rows) {
    if (row.fields[0] != "total" && row.fields[5] == "yes")
      cents += std::llround(std::stod(row.fields[4]) * 100);
  }
  EXPECT_EQ(cents, 636433);
  EXPECT_EQ(table->rows.back().fields[4], "6364.33");
}

TEST(CliCostTest, SambarFiveYearCostNextToACompactCar) {
  const CliRun r = keipath(
      "cost --model \"Sambar Truck\" --chassis TT1 --built 1999-06 --date 2026-11-22 --price-jpy 410000 "
      "--years 5 "
      "--km-per-l 15.6 --cycle 10-15 --compare compact_sedan --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto& vehicles = j["ownership"]["vehicles"];
  ASSERT_EQ(vehicles.size(), 2u);
  EXPECT_EQ(vehicles[0]["id"], "kei");
  EXPECT_EQ(vehicles[1]["id"], "compact_sedan");
  EXPECT_EQ(vehicles[0]["lines"][0]["usd_cents"], j["total_usd_cents"]);  // bought at the landed cost
  long long sum = 0;
  for (const auto& l : vehicles[0]["lines"]) sum += l["usd_cents"].get<long long>();
  EXPECT_EQ(sum, vehicles[0]["total_usd_cents"].get<long long>());
  EXPECT_LT(vehicles[0]["total_usd_cents"].get<long long>(), vehicles[1]["total_usd_cents"].get<long long>());
}

TEST(CliCostTest, SakuraCostWarnsThatItIsHypothetical) {
  const CliRun r =
      keipath("cost --model Sakura --built 2024-04 --date 2026-11-22 --price-jpy 2000000 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NE(j["admissibility"].get<std::string>().find("earliest road entry is 2049-04-01"),
            std::string::npos);
  EXPECT_EQ(j["duties"]["settled_percent"], 15);
  EXPECT_EQ(j["duties"]["heading"], "8703.80.0000");
}

TEST(CliCheckTest, OneAnswerForATruckInOhioInAboutTenLines) {
  // A 2014 Carry: kei, too young for the 25-year exemption until 2039-03-01; off-road only in Ohio until
  // then, and from that day Ohio's kei law (roads of 35 mph or less that a local ordinance opens).
  const CliRun r = keipath(
      "check --model Carry --chassis DA16T --built 2014-03 --state OH --date 2026-11-22 --price-jpy 400000");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "Kei vehicle: KEI under Japanese law on 2026-11-22; KEI when built")) << r.out;
  EXPECT_TRUE(contains(r.out, "US entry for road use: from 2039-03-01 (March 2039), by the FMVSS 25-year"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "Ohio on 2026-11-22 (entered as off_road): off-road use only")) << r.out;
  EXPECT_TRUE(contains(r.out,
                       "Ohio from 2039-03-01 (entered as road): may be registered and driven on some "
                       "roads only: roads ≤35 mph"))
      << r.out;
  EXPECT_TRUE(contains(r.out,
                       "Landed cost at USLAX for ¥400,000 (the price given, entered 2039-03-01, the "
                       "first day it may enter for road use): $"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "Duties on 2039-03-01: 25 % under 8704.31.0120")) << r.out;
  const auto lines = std::count(r.out.begin(), r.out.end(), '\n');
  EXPECT_GE(lines, 8);
  EXPECT_LE(lines, 13);
  // --explain adds the reasons with their citations.
  const CliRun e = keipath(
      "check --model Carry --chassis DA16T --built 2014-03 --state OH --date 2026-11-22 --price-jpy 400000 "
      "--explain");
  ASSERT_EQ(e.exit_code, 0) << e.out;
  EXPECT_TRUE(contains(e.out, "ref: 49 U.S.C. 30112(b)(9)")) << e.out;
  EXPECT_TRUE(contains(e.out, "Ohio (OH) on 2039-03-01:")) << e.out;
  EXPECT_GT(e.out.size(), r.out.size() * 3);
}

TEST(CliCheckTest, FiveYearCostWhenTheFuelEconomyIsKnown) {
  const CliRun r = keipath("check --model Sakura --built 2024-01 --state CA --date 2026-11-22");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "(the catalog's typical price, entered 2049-01-01")) << r.out;
  EXPECT_TRUE(contains(r.out, "5-year cost (75,000 miles): $")) << r.out;
  EXPECT_TRUE(contains(r.out, "the cheapest new US reference")) << r.out;
}

TEST(CliTest, DemoReportsKeiVerdictsEntryStatesAndLandedCost) {
  const CliRun r = keipath("demo --date 2026-11-22");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "US road entry from")) << r.out;
  EXPECT_TRUE(contains(r.out, "2038-08-01")) << r.out;  // Carry DA16T, first built 2013-08
  EXPECT_TRUE(contains(r.out, "A 1999 Honda Acty in the 50 states and DC on 2026-11-22")) << r.out;
  EXPECT_TRUE(contains(r.out, "landed at USLAX on 2026-11-22: $6,364.33")) << r.out;
}

// The issue's acceptance command: own-occupant and partner risk against the fleet and a Ford F-150, relative
// to a compact car, with intervals and the source of each parameter.
TEST(CliSafetyTest, CarryAgainstTheFleetAndAnF150RelativeToACompactCar) {
  const CliRun r =
      keipath("safety --model \"Suzuki Carry\" --chassis DA16T --date 2026-11-22 --draws 20 --samples 50000");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "Against today's US light-vehicle fleet")) << r.out;
  EXPECT_TRUE(contains(r.out, "Against a Ford F-150 (2021+) only")) << r.out;
  EXPECT_TRUE(contains(r.out, "vs Compact car (Honda Civic)")) << r.out;
  EXPECT_TRUE(contains(r.out, "crash.closing_speed_median_kmh = 45.8 km/h")) << r.out;
  EXPECT_TRUE(contains(r.out, "seed 1")) << r.out;
  const CliRun j = keipath(
      "safety --model \"Suzuki Carry\" --chassis DA16T --date 2026-11-22 --draws 20 --samples 50000 --json "
      "--threads 1");
  ASSERT_EQ(j.exit_code, 0) << j.out;
  const auto out = nlohmann::json::parse(j.out);
  const auto& all = out["against_fleet"]["all"]["own_fatal"];
  EXPECT_LE(all["lo"].get<double>(), all["mean"].get<double>());
  EXPECT_GE(all["hi"].get<double>(), all["mean"].get<double>());
  EXPECT_GT(out["against_partner"]["risk"]["all"]["own_fatal"]["mean"].get<double>(),
            all["mean"].get<double>());
  EXPECT_EQ(out["relative_to"][0]["reference"], "compact_car");
  EXPECT_GT(out["relative_to"][0]["own_fatal_ratio"]["mean"].get<double>(), 1.0);
  EXPECT_EQ(out["provenance"]["seed"], 1);
  EXPECT_GE(out["sources"].size(), 16u);
  // The same seed gives the same answer whatever the thread count.
  const CliRun j2 = keipath(
      "safety --model \"Suzuki Carry\" --chassis DA16T --date 2026-11-22 --draws 20 --samples 50000 --json "
      "--threads 2");
  EXPECT_EQ(nlohmann::json::parse(j2.out)["against_fleet"], out["against_fleet"]);
}

TEST(CliSafetyTest, AFleetWithMoreKeiVehiclesLowersTheRiskToAKei) {
  const std::string ask =
      "safety --model \"Suzuki Carry\" --chassis DA16T --date 2026-11-22 --draws 5 --samples 50000 --json";
  const CliRun today = keipath(ask);
  const CliRun more_kei =
      keipath(ask + " --fleet " + std::string(KEIPATH_DATA_DIR) + "/scenarios/fleet_with_kei.csv");
  ASSERT_EQ(today.exit_code, 0) << today.out;
  ASSERT_EQ(more_kei.exit_code, 0) << more_kei.out;
  const auto a = nlohmann::json::parse(today.out);
  const auto b = nlohmann::json::parse(more_kei.out);
  EXPECT_LT(b["against_fleet"]["all"]["own_fatal"]["mean"].get<double>(),
            a["against_fleet"]["all"]["own_fatal"]["mean"].get<double>());
  const CliRun bad = keipath(ask + " --fleet /nonexistent.csv");
  EXPECT_EQ(bad.exit_code, 2);
  // --json asks for JSON, errors included.
  EXPECT_TRUE(contains(bad.out, R"("error":"--fleet: cannot read /nonexistent.csv")")) << bad.out;
}

TEST(CliSafetyTest, RiskTableCoversMassesAndConfigurations) {
  const CliRun r = keipath("safety --table --date 2026-11-22");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto table = parse_csv(r.out, "stdout");
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->rows.size(), 25u * 25u * 5u);
  EXPECT_EQ(table->header[3], "own_fatal");
}

TEST(CliTest, HelpExitsZero) {
  const CliRun r = keipath("kei --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "--length-mm")) << r.out;
}

}  // namespace
}  // namespace keipath
