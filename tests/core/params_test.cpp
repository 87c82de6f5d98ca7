// The parameter store: look-up by date, and every load-time error with its file:line.
#include "keipath/params.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace keipath {
namespace {

using testing::date;

constexpr const char* kGood = R"(# a comment
[test.limit_mm]
unit = "mm"
description = "A test limit"
checked = 2026-11-22
values = [
  { from = 1990-01-01, value = 3300, ref = "first" },
  { from = 1998-10-01, value = 3400, ref = "second", confidence = "high" },
  { from = 2010-01-01, abolished = true, ref = "gone" },
]

[test.flag]
unit = "bool"
description = "A switch"
checked = 2026-11-22
binding = false
values = [ { from = 2000-01-01, value = true, ref = "on" } ]
)";

TEST(ParamStoreTest, LooksUpTheValueInForceOnADate) {
  ParamStore store;
  ASSERT_TRUE(store.add_toml(kGood, "good.toml"));
  const Parameter* p = store.find("test.limit_mm");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->at(date("1989-12-31")), nullptr) << "no value before the first";
  EXPECT_EQ(p->at(date("1990-01-01"))->value, 3300);
  EXPECT_EQ(p->at(date("1998-09-30"))->value, 3300) << "day before a change";
  EXPECT_EQ(p->at(date("1998-10-01"))->value, 3400) << "day of a change";
  EXPECT_EQ(p->at(date("1998-10-01"))->ref, "second");
  EXPECT_EQ(p->at(date("1998-10-01"))->confidence, Confidence::high);
  EXPECT_EQ(p->at(date("1998-10-01"))->where.line, 8);
  EXPECT_TRUE(p->at(date("2030-01-01"))->abolished) << "the last value carries forward";
  EXPECT_TRUE(p->binding);
  const Parameter* flag = store.find("test.flag");
  ASSERT_NE(flag, nullptr);
  EXPECT_EQ(flag->at(date("2001-01-01"))->value, 1.0);
  EXPECT_FALSE(flag->binding);
  EXPECT_EQ(store.find("test.missing"), nullptr);
}

TEST(ParamStoreTest, RequireChecksNameAndUnit) {
  ParamStore store;
  ASSERT_TRUE(store.add_toml(kGood, "good.toml"));
  EXPECT_TRUE(store.require("test.limit_mm", "mm"));
  auto missing = store.require("test.nope", "mm");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "the rule base has no parameter 'test.nope'");
  auto wrong = store.require("test.limit_mm", "cc");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message, "good.toml:2: test.limit_mm has unit mm, but the rule reads it as cc");
}

struct BadFile {
  const char* name;
  const char* text;
  const char* expected;  // the whole message, or a part of it that names file:line and the problem
};

void PrintTo(const BadFile& c, std::ostream* os) {
  *os << c.name;
}

class ParamLoadErrorTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(ParamLoadErrorTest, ReportsFileLineAndProblem) {
  ParamStore store;
  auto added = store.add_toml(GetParam().text, "law.toml");
  ASSERT_FALSE(added) << "should not load";
  EXPECT_NE(added.error().message.find(GetParam().expected), std::string::npos)
      << "got: " << added.error().message << "\nexpected to contain: " << GetParam().expected;
  EXPECT_TRUE(store.parameters().empty()) << "a failed load adds nothing";
}

const char* kHead = "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\n";

INSTANTIATE_TEST_SUITE_P(
    Errors, ParamLoadErrorTest,
    ::testing::Values(
        BadFile{"unknown_param_key",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvlaues = []\n",
                "law.toml:5: p.x: unknown key 'vlaues'"},
        BadFile{"unknown_value_key",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1990-01-01, value = 1, ref = \"r\", cite = \"c\" },\n]\n",
                "law.toml:6: p.x: unknown key 'cite'"},
        BadFile{"no_ref",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1990-01-01, value = 1 },\n]\n",
                "law.toml:6: p.x: value from 1990-01-01: has no ref"},
        BadFile{"empty_ref",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1990-01-01, value = 1, ref = \" \" },\n]\n",
                "law.toml:6: p.x: value from 1990-01-01: 'ref' is empty"},
        BadFile{"dates_out_of_order",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1998-10-01, value = 2, ref = \"r\" },\n"
                "  { from = 1990-01-01, value = 1, ref = \"r\" },\n]\n",
                "law.toml:7: p.x: dates not strictly increasing: 1990-01-01 comes after 1998-10-01 (line 6)"},
        BadFile{"same_date_twice",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1990-01-01, value = 2, ref = \"r\" },\n"
                "  { from = 1990-01-01, value = 1, ref = \"r\" },\n]\n",
                "law.toml:7: p.x: two values take effect on 1990-01-01 (lines 6 and 7)"},
        BadFile{"malformed_date", "[p.x]\nunit = \"mm\"\nchecked = 2026-13-01\n", "law.toml:3:"},
        BadFile{"date_as_string",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = \"1990-01-01\", value = 1, ref = \"r\" },\n]\n",
                "law.toml:6: p.x: 'from' must be a date such as 2026-11-22 (unquoted), not a string"},
        BadFile{"wrong_type_for_unit",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1990-01-01, value = \"3400\", ref = \"r\" },\n]\n",
                "law.toml:6: p.x: value from 1990-01-01: unit is mm, so the value must be a number, not a "
                "string"},
        BadFile{"number_for_bool",
                "[p.x]\nunit = \"bool\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1990-01-01, value = 1, ref = \"r\" },\n]\n",
                "law.toml:6: p.x: value from 1990-01-01: unit is bool, so the value must be true or false"},
        BadFile{"unknown_unit",
                "[p.x]\nunit = \"millimetres\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = []\n",
                "law.toml:2: p.x: unit 'millimetres' is not a known unit"},
        BadFile{"missing_checked", "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nvalues = []\n",
                "law.toml:1: p.x: missing 'checked'"},
        BadFile{"empty_values",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = []\n",
                "law.toml:1: p.x: 'values' is empty"},
        BadFile{"value_and_abolished",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1990-01-01, value = 1, ref = \"r\" },\n"
                "  { from = 1991-01-01, value = 1, abolished = true, ref = \"r\" },\n]\n",
                "law.toml:7: p.x: value from 1991-01-01: has both 'value' and 'abolished'"},
        BadFile{"abolished_twice",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1990-01-01, abolished = true, ref = \"r\" },\n"
                "  { from = 1991-01-01, abolished = true, ref = \"r\" },\n]\n",
                "law.toml:7: p.x: value from 1991-01-01 abolishes what was already abolished on 1990-01-01"},
        BadFile{"bad_confidence",
                "[p.x]\nunit = \"mm\"\ndescription = \"d\"\nchecked = 2026-11-22\nvalues = [\n"
                "  { from = 1990-01-01, value = 1, ref = \"r\", confidence = \"sure\" },\n]\n",
                "law.toml:6: p.x: value from 1990-01-01: confidence 'sure' is not one of high, medium, low"},
        BadFile{"stray_value_in_namespace", "[p]\nx = 3\n",
                "law.toml:2: 'p.x' is an integer, but only parameter tables"},
        BadFile{"syntax_error", "[p.x\nunit = \"mm\"\n", "law.toml:1:"}),
    [](const ::testing::TestParamInfo<BadFile>& info) { return std::string(info.param.name); });

TEST(ParamStoreTest, DuplicateParameterAcrossFilesNamesBothPlaces) {
  ParamStore store;
  ASSERT_TRUE(store.add_toml(kGood, "a.toml"));
  auto again = store.add_toml(kGood, "b.toml");
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("b.toml:2: test.limit_mm is already defined at a.toml:2"),
            std::string::npos)
      << again.error().message;
  EXPECT_EQ(store.parameters().size(), 2u) << "the failed file adds nothing";
}

TEST(ParamStoreTest, ReportsEveryProblemNotJustTheFirst) {
  ParamStore store;
  auto added =
      store.add_toml(std::string(kHead) +
                         "values = [\n  { from = 1990-01-01, value = 1 },\n  { from = 1980-01-01, value = 2, "
                         "ref = \"r\" },\n]\n",
                     "law.toml");
  ASSERT_FALSE(added);
  EXPECT_NE(added.error().message.find("law.toml:6: p.x: value from 1990-01-01: has no ref"),
            std::string::npos);
  EXPECT_NE(added.error().message.find("law.toml:7: p.x: dates not strictly increasing"), std::string::npos);
}

TEST(ParamStoreTest, LoadDirectoryNamesFilesRelativeToTheLabelRoot) {
  testing::ScratchDir dir;
  dir.write("data/law/jp/good.toml", kGood);
  dir.write("data/law/us/bad.toml", std::string(kHead) + "values = [ { from = 1990-01-01, value = 1 } ]\n");
  auto store = ParamStore::load_directory(dir.path() / "data" / "law", dir.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("data/law/us/bad.toml:5: p.x: value from 1990-01-01: has no ref"),
            std::string::npos)
      << store.error().message;
  auto missing = ParamStore::load_directory(dir.path() / "nowhere");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("not a directory"), std::string::npos);
}

}  // namespace
}  // namespace keipath
