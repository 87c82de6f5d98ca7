// Scenarios: dated overrides layered over the baseline, and their load errors.
#include "keipath/scenario.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace keipath {
namespace {

using testing::date;

constexpr const char* kBase = R"([law.len_mm]
unit = "mm"
description = "length"
checked = 2026-11-22
values = [
  { from = 1990-01-01, value = 3300, ref = "a" },
  { from = 2000-01-01, value = 3400, ref = "b" },
  { from = 2040-01-01, value = 3500, ref = "c" },
]
[law.on]
unit = "bool"
description = "switch"
checked = 2026-11-22
values = [ { from = 1990-01-01, value = false, ref = "off" } ]
)";

ParamStore base_store() {
  ParamStore store;
  EXPECT_TRUE(store.add_toml(kBase, "base.toml"));
  return store;
}

TEST(ScenarioTest, OverrideWithUntilResumesTheBaseline) {
  auto scenario = Scenario::parse(R"([scenario]
name = "longer"
description = "d"
[[override]]
parameter = "law.len_mm"
from = 2027-04-01
until = 2030-04-01
value = 3600
ref = "reform"
)",
                                  "s.toml");
  ASSERT_TRUE(scenario) << scenario.error().message;
  ParamStore store = base_store();
  ASSERT_TRUE(store.apply(*scenario));
  const Parameter* p = store.find("law.len_mm");
  EXPECT_EQ(p->at(date("2027-03-31"))->value, 3400);
  EXPECT_EQ(p->at(date("2027-04-01"))->value, 3600);
  EXPECT_EQ(p->at(date("2027-04-01"))->origin, "longer");
  EXPECT_EQ(p->at(date("2030-03-31"))->value, 3600);
  EXPECT_EQ(p->at(date("2030-04-01"))->value, 3400) << "baseline resumes on `until`";
  EXPECT_EQ(p->at(date("2030-04-01"))->origin, "");
  EXPECT_EQ(p->at(date("2040-01-01"))->value, 3500) << "later baseline changes survive";
  EXPECT_EQ(store.scenarios(), std::vector<std::string>{"longer"});
}

TEST(ScenarioTest, OpenEndedOverrideReplacesLaterValuesAndSwitchesStructuralRules) {
  auto scenario = Scenario::parse(R"([scenario]
name = "on"
description = "d"
[[override]]
parameter = "law.on"
from = 2028-01-01
value = true
ref = "reform"
[[override]]
parameter = "law.len_mm"
from = 2030-01-01
value = 3600
ref = "reform"
)",
                                  "s.toml");
  ASSERT_TRUE(scenario) << scenario.error().message;
  ParamStore store = base_store();
  ASSERT_TRUE(store.apply(*scenario));
  EXPECT_EQ(store.find("law.on")->at(date("2027-12-31"))->value, 0.0);
  EXPECT_EQ(store.find("law.on")->at(date("2028-01-01"))->value, 1.0);
  EXPECT_EQ(store.find("law.len_mm")->at(date("2045-01-01"))->value, 3600);
}

struct BadScenario {
  const char* name;
  const char* text;
  const char* expected;
};

void PrintTo(const BadScenario& c, std::ostream* os) {
  *os << c.name;
}

class ScenarioErrorTest : public ::testing::TestWithParam<BadScenario> {};

TEST_P(ScenarioErrorTest, ReportsFileLineAndProblem) {
  ParamStore store = base_store();
  auto scenario = Scenario::parse(GetParam().text, "s.toml");
  std::string message;
  if (!scenario) {
    message = scenario.error().message;
  } else {
    auto applied = store.apply(*scenario);
    ASSERT_FALSE(applied) << "should not apply";
    message = applied.error().message;
    EXPECT_EQ(store.find("law.len_mm")->values.size(), 3u) << "a failed scenario changes nothing";
  }
  EXPECT_NE(message.find(GetParam().expected), std::string::npos)
      << "got: " << message << "\nexpected to contain: " << GetParam().expected;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ScenarioErrorTest,
    ::testing::Values(
        BadScenario{
            "unknown_parameter",
            "[scenario]\nname = \"n\"\ndescription = \"d\"\n[[override]]\nparameter = \"law.lenght_mm\"\n"
            "from = 2027-01-01\nvalue = 1\nref = \"r\"\n",
            "s.toml:4: override of unknown parameter 'law.lenght_mm'"},
        BadScenario{
            "bool_for_number",
            "[scenario]\nname = \"n\"\ndescription = \"d\"\n[[override]]\nparameter = \"law.len_mm\"\n"
            "from = 2027-01-01\nvalue = true\nref = \"r\"\n",
            "s.toml:4: law.len_mm has unit mm, so the override value must be a number"},
        BadScenario{
            "until_before_from",
            "[scenario]\nname = \"n\"\ndescription = \"d\"\n[[override]]\nparameter = \"law.len_mm\"\n"
            "from = 2027-01-01\nuntil = 2026-01-01\nvalue = 1\nref = \"r\"\n",
            "s.toml:7: [[override]]: until 2026-01-01 is not after from 2027-01-01"},
        BadScenario{
            "no_ref",
            "[scenario]\nname = \"n\"\ndescription = \"d\"\n[[override]]\nparameter = \"law.len_mm\"\n"
            "from = 2027-01-01\nvalue = 1\n",
            "s.toml:4: [[override]]: missing 'ref'"},
        BadScenario{
            "unknown_key",
            "[scenario]\nname = \"n\"\ndescription = \"d\"\n[[override]]\nparameter = \"law.len_mm\"\n"
            "from = 2027-01-01\nvalue = 1\nref = \"r\"\nstart = 2027-01-01\n",
            "s.toml:9: [[override]]: unknown key 'start'"},
        BadScenario{"no_head", "[[override]]\nparameter = \"law.len_mm\"\n",
                    "s.toml:1: missing the [scenario] table"},
        BadScenario{
            "until_before_first_baseline_value",
            "[scenario]\nname = \"n\"\ndescription = \"d\"\n[[override]]\nparameter = \"law.len_mm\"\n"
            "from = 1980-01-01\nuntil = 1985-01-01\nvalue = 1\nref = \"r\"\n",
            "s.toml:4: override of law.len_mm ends 1985-01-01 (until), before the parameter's first value"}),
    [](const ::testing::TestParamInfo<BadScenario>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace keipath
