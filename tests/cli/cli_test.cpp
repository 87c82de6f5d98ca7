// The `keipath` command as a user runs it: output, exit codes, and the messages for bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace keipath {
namespace {

struct CliRun {
  int exit_code;
  std::string out;  // stdout and stderr together
};

CliRun keipath(const std::string& args) {
  const std::string command = std::string(KEIPATH_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  CliRun r{-1, ""};
  std::array<char, 4096> buffer{};
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) r.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

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
  EXPECT_TRUE(contains(text.out, "4 vehicles")) << text.out;
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
                 "keipath: vehicle.length_mm: -5 is not a length in mm"},
        BadUsage{"not_a_number", "kei --body car --width-mm abc",
                 "keipath: vehicle.width_mm: 'abc' is not a whole number"},
        BadUsage{"missing_body", "kei --length-mm 3395", "keipath: vehicle.body: missing"},
        BadUsage{"bad_date", "kei --model Sakura --date 2026-02-30",
                 "keipath: --date: '2026-02-30' is not a calendar date"},
        BadUsage{"ambiguous_model", "kei --model \"Suzuki Carry\"",
                 "matches 3 catalog vehicles; add --chassis"},
        BadUsage{"unknown_model", "kei --model Hilux", "no catalog vehicle matches 'Hilux'"},
        BadUsage{
            "built_outside_production", "kei --model \"Suzuki Carry\" --chassis DA16T --built 2001-01",
            "vehicle.built: 2001-01 is outside the production of Suzuki Carry DA16T (2013-08 to present)"},
        BadUsage{"no_vehicle", "kei", "say which vehicle"},
        BadUsage{"unknown_option", "kei --colour red", "--colour"},
        BadUsage{"no_subcommand", "", "A subcommand is required"},
        BadUsage{"missing_scenario", "kei --model Sakura --scenario /nonexistent.toml",
                 "cannot open scenario file"},
        BadUsage{"json_and_csv", "catalog --json --csv", "choose one"}),
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

TEST(CliTest, HelpExitsZero) {
  const CliRun r = keipath("kei --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "--length-mm")) << r.out;
}

}  // namespace
}  // namespace keipath
