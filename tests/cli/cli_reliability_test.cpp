// Issue 9's reproducers as a user meets them on the command line: each was a wrong answer with exit 0, a
// confusing message or an undefined-behaviour path, and each test failed before its fix.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/cli_support.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

using testing::CliRun;
using testing::contains;
using testing::keipath;

const std::string kSambar = "cost --model 'Sambar Truck' --chassis TT1 --built 1999-06 --price-jpy 410000";

TEST(CliReliabilityTest, AMarketDefaultNotInForceIsAnErrorNamingTheParameterAndTheOption) {
  // The exchange-rate series begins in 1990 and the other market defaults in 2025: before the fix the
  // exchange rate became 0 and the total overflowed.
  const CliRun r = keipath(kSambar + " --date 1988-02-29");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.out,
                       "keipath: --jpy-per-usd: no default exchange rate: market.fx.jpy_per_usd has "
                       "no value in force on 1988-02-29"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "--set: broker: no default: market.us.broker_entry_usd")) << r.out;
  EXPECT_FALSE(contains(r.out, "-$")) << r.out;
  // Given every default it lacked, the same question is answered.
  const CliRun given =
      keipath(kSambar +
              " --date 1988-02-29 --jpy-per-usd 150 --set auction_fee=20000 --set jp_inland=30000 "
              "--set export_customs=20000 --set agent_commission=50000 --set insurance=60 "
              "--set broker=300 --set isf=50 --set terminal=250");
  EXPECT_EQ(given.exit_code, 0) << given.out;
  EXPECT_TRUE(contains(given.out, "Exchange rate: ¥150 per $ (given)")) << given.out;
}

TEST(CliReliabilityTest, UnderJsonAnErrorIsJsonNamingTheOption) {
  const CliRun r = keipath(kSambar + " --date 1988-02-29 --json");
  EXPECT_EQ(r.exit_code, 2);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["option"], "--jpy-per-usd");
  EXPECT_TRUE(contains(j["error"].get<std::string>(), "market.fx.jpy_per_usd"));
  EXPECT_GT(j["problems"].size(), 1u);
  const CliRun bad_field = keipath("kei --body car --length-mm 99999 --json");
  EXPECT_EQ(nlohmann::json::parse(bad_field.out)["option"], "--length-mm") << bad_field.out;
  const CliRun usage = keipath("kei --colour red --json");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(usage.out)["option"], "--colour") << usage.out;
}

TEST(CliReliabilityTest, ARuleFileValueOfNanOrHugeFailsToLoadNamingFileAndLine) {
  for (const auto& [file, from, to, where] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"law/jp/kei_class.toml", "value = 2800,", "value = nan,", "data/law/jp/kei_class.toml:20:"},
           {"law/us/federal/fmvss_import.toml", "value = 25,", "value = 1e300,",
            "data/law/us/federal/fmvss_import.toml:12:"}}) {
    testing::ScratchDir dir;
    testing::copy_bundled_data(dir);
    const auto path = dir.path() / "data" / file;
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    std::string s = text.str();
    ASSERT_NE(s.find(from), std::string::npos) << file;
    s.replace(s.find(from), from.size(), to);
    std::ofstream(path) << s;
    const CliRun r =
        keipath("import --model Sakura --built 2024-04 --data " + (dir.path() / "data").string());
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_TRUE(contains(r.out, where)) << r.out;
    EXPECT_TRUE(contains(r.out, "is out of range") || contains(r.out, "is not a number")) << r.out;
  }
}

TEST(CliReliabilityTest, UsageErrorsCarryThePrefixAndEmptyValuesAreErrors) {
  const CliRun unknown = keipath("kei --bogus");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.out, "keipath: The following argument was not expected: --bogus"))
      << unknown.out;
  const CliRun empty = keipath("kei --model Sakura --date ''");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_TRUE(contains(empty.out, "keipath: --date: empty value")) << empty.out;
  const CliRun zero = keipath(kSambar + " --date 2026-11-22 --years 5 --km-per-l 0 --cycle 10-15");
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_TRUE(contains(zero.out, "--km-per-l: 0 is out of range (more than 0")) << zero.out;
}

TEST(CliReliabilityTest, TheSameScenarioAtTwoPathsHasOneHashAndARelativePathIsFoundInTheDataFolder) {
  testing::ScratchDir dir;
  std::stringstream text;
  text << std::ifstream(std::string(KEIPATH_DATA_DIR) + "/scenarios/us_small_vehicle_class.toml").rdbuf();
  const auto copy = dir.write("elsewhere/class.toml", text.str());
  auto hash = [](const std::string& out) {
    std::smatch m;
    return std::regex_search(out, m, std::regex("rule base ([0-9a-f]{16})")) ? m[1].str() : std::string("?");
  };
  const CliRun bundled = keipath("kei --model Sakura --scenario " + std::string(KEIPATH_DATA_DIR) +
                                 "/scenarios/us_small_vehicle_class.toml");
  const CliRun copied = keipath("kei --model Sakura --scenario " + copy.string());
  const CliRun relative = keipath("kei --model Sakura --data " + std::string(KEIPATH_DATA_DIR) +
                                  " --scenario scenarios/us_small_vehicle_class.toml");
  ASSERT_EQ(bundled.exit_code, 0) << bundled.out;
  ASSERT_EQ(relative.exit_code, 0) << relative.out;
  EXPECT_EQ(hash(bundled.out), hash(copied.out));
  EXPECT_EQ(hash(bundled.out), hash(relative.out));
  EXPECT_NE(hash(bundled.out), hash(keipath("kei --model Sakura").out));
}

TEST(CliReliabilityTest, OhioSaysRoadUseIsOnlyWhereAnOrdinanceOpensTheRoad) {
  const CliRun r = keipath(
      "states --vehicle 'Honda Acty Truck' --built 1999-06 --state OH --date 2026-11-22 --length-mm 3395 "
      "--curb-mass-kg 700 --road-speed 45 --road-class highway");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(
      contains(r.out, "driven on public roads: yes, only on roads a county, city or town opens by ordinance"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "Not on a US or state highway posted 45 mph: roads posted above 35 mph"))
      << r.out;
  EXPECT_FALSE(contains(r.out, "Not a highway road")) << r.out;
}

TEST(CliReliabilityTest, ABuildMonthNoGenerationCoversDoesNotSuggestBuiltAgain) {
  const CliRun r = keipath("kei --model 'Suzuki Carry' --built 1979-01");  // the ST30 began 1979-03
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(
      r.out, "--built: none of the 11 catalog vehicles matching 'Suzuki Carry' was built in 1979-01"))
      << r.out;
  EXPECT_FALSE(contains(r.out, "(or --built)")) << r.out;
}

TEST(CliReliabilityTest, UnderTheSmallVehicleClassStatesSayNoStateLawAddressesItYet) {
  const std::string scenario =
      " --scenario " + std::string(KEIPATH_DATA_DIR) + "/scenarios/us_small_vehicle_class.toml";
  const CliRun by_class =
      keipath("states --body car --built 2024-04 --date 2028-01-01 --entered-as small_class" + scenario);
  ASSERT_EQ(by_class.exit_code, 0) << by_class.out;
  EXPECT_TRUE(contains(by_class.out, "unknown 51")) << by_class.out;
  const CliRun one = keipath(
      "states --body car --built 2024-04 --date 2028-01-01 --entered-as small_class --state CA" + scenario);
  EXPECT_TRUE(contains(one.out, "California has no law yet on how such a vehicle is titled")) << one.out;
  const CliRun no_class =
      keipath("states --body car --built 2024-04 --date 2026-11-22 --entered-as small_class --state CA");
  EXPECT_TRUE(contains(no_class.out, "No US small-vehicle class exists on 2026-11-22")) << no_class.out;
  const CliRun old_truck =
      keipath("states --vehicle 'Honda Acty Truck' --built 1999-06 --date 2028-01-01 --state CO" + scenario);
  EXPECT_TRUE(contains(old_truck.out, "for one certified to the class, ask with --entered-as small_class"))
      << old_truck.out;
}

TEST(CliReliabilityTest, TheDemoTableKeepsItsColumns) {
  const CliRun r = keipath("demo --date 2026-11-22");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);  // title
  std::getline(lines, line);  // blank
  std::getline(lines, line);  // header
  const size_t entry_column = line.find("US road entry from");
  ASSERT_NE(entry_column, std::string::npos);
  int rows = 0;
  while (std::getline(lines, line) && !line.empty()) {
    ++rows;
    // The last column starts where the header says, on every row (no cell pushes it right).
    EXPECT_TRUE(
        std::regex_search(line.substr(entry_column), std::regex("^([0-9]{4}-[0-9]{2}-[0-9]{2}|none)$")))
        << line;
  }
  EXPECT_GT(rows, 10);
}

}  // namespace
}  // namespace keipath
