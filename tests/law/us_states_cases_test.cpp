// Runs every case in tests/cases/us/states.toml through the state road-use rule and the road check, and
// checks the status, the answers to titled / registered / driven, the speed cap, class membership, the fields
// that would settle an unknown, and the rule (by its ref and start day) that decides it.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <map>
#include <memory>

#include "case_support.hpp"
#include "keipath/rule_base.hpp"
#include "keipath/us_states.hpp"

namespace keipath {
namespace {

struct RoadCase {
  Road road;
  std::string allowed;
};

struct StateCase {
  std::string name;
  int line = 0;
  std::string state;
  StateQuestion question;
  std::string status, title, registration, road_use;
  std::optional<int> max_posted_mph;
  std::optional<bool> in_class;
  std::vector<std::string> missing;
  std::string decided_by;  // "ref text@YYYY-MM-DD"
  // A bundled scenario (data/scenarios/NAME.toml) the case is asked under, and the scenario parameter whose
  // value decides it: "parameter@YYYY-MM-DD" (the day that value took effect), cited by a reason.
  std::string scenario, decided_by_parameter;
  std::vector<RoadCase> roads;
};

// The bundled rule base, or it under a bundled scenario (loaded once each).
const RuleBase& rule_base(const std::string& scenario) {
  if (scenario.empty()) return testing::bundled();
  static std::map<std::string, std::unique_ptr<const RuleBase>> loaded;
  auto& base = loaded[scenario];
  if (!base) {
    auto b = RuleBase::load(RuleBaseOptions{
        KEIPATH_DATA_DIR, std::string(KEIPATH_DATA_DIR) + "/scenarios/" + scenario + ".toml", Date::today()});
    if (!b) {
      ADD_FAILURE() << b.error().message;
      std::abort();
    }
    base = std::move(*b);
  }
  return *base;
}

std::vector<StateCase> load_cases() {
  const std::string file = std::string(KEIPATH_CASES_DIR) + "/us/states.toml";
  toml::table doc = toml::parse_file(file);
  std::vector<StateCase> cases;
  for (const toml::node& node : *doc["case"].as_array()) {
    const toml::table& t = *node.as_table();
    StateCase c;
    c.name = t["name"].value_or(std::string("?"));
    c.line = static_cast<int>(t.source().begin.line);
    c.state = t["state"].value_or(std::string());
    StateQuestion& q = c.question;
    q.date = testing::toml_date(*t.get("date"));
    q.vehicle = testing::case_vehicle(t, file, c.line, &q.kei_model);
    if (auto e = t["entered_as"].value<std::string>()) q.entry = *parse_us_entry(*e);
    if (const toml::node* r = t.get("registered_on")) q.registered_on = testing::toml_date(*r);
    if (auto g = t["governor_mph"].value<int>()) q.governor_mph = *g;
    c.status = t["status"].value_or(std::string());
    c.title = t["title"].value_or(std::string());
    c.registration = t["registration"].value_or(std::string());
    c.road_use = t["road_use"].value_or(std::string());
    if (auto m = t["max_posted_mph"].value<int>()) c.max_posted_mph = *m;
    if (auto b = t["in_class"].value<bool>()) c.in_class = *b;
    if (const auto* arr = t["missing"].as_array()) {
      for (const toml::node& n : *arr) c.missing.push_back(*n.value<std::string>());
    }
    c.decided_by = t["decided_by"].value_or(std::string());
    c.scenario = t["scenario"].value_or(std::string());
    c.decided_by_parameter = t["decided_by_parameter"].value_or(std::string());
    if (const auto* arr = t["roads"].as_array()) {
      for (const toml::node& n : *arr) {
        const toml::table& r = *n.as_table();
        RoadCase rc;
        rc.road.posted_mph = r["mph"].value_or(0);
        rc.road.road_class = *parse_road_class(r["class"].value_or(std::string()));
        rc.allowed = r["allowed"].value_or(std::string());
        c.roads.push_back(rc);
      }
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

void PrintTo(const StateCase& c, std::ostream* os) {
  *os << c.name;
}

class StateCaseTest : public ::testing::TestWithParam<StateCase> {};

TEST_P(StateCaseTest, MatchesTheLaw) {
  const StateCase& c = GetParam();
  SCOPED_TRACE(fmt::format("tests/cases/us/states.toml:{}: {}", c.line, c.name));
  // A vehicle may be built up to the case's day (a scenario's cases are in the future).
  const auto valid = validate_vehicle(c.question.vehicle, std::max(Date::today(), c.question.date));
  ASSERT_TRUE(valid) << valid.error().message;
  auto answer = rule_base(c.scenario).state_roads().answer(c.question, c.state);
  ASSERT_TRUE(answer) << answer.error().message;
  const StateAnswer& a = *answer;
  std::string trace;
  for (const Reason& r : a.reasons) trace += fmt::format("\n  {}: {}", to_string(r.outcome), r.text);
  SCOPED_TRACE(trace);

  EXPECT_EQ(to_string(a.status), c.status);
  if (!c.title.empty()) {
    EXPECT_EQ(to_string(a.title), c.title);
  }
  if (!c.registration.empty()) {
    EXPECT_EQ(to_string(a.registration), c.registration);
  }
  if (!c.road_use.empty()) {
    EXPECT_EQ(to_string(a.road_use), c.road_use);
  }
  if (c.max_posted_mph) {
    EXPECT_EQ(a.limits.max_posted_mph, c.max_posted_mph);
  }
  if (c.in_class) {
    EXPECT_EQ(a.in_class, c.in_class);
  }
  EXPECT_EQ(a.missing_fields, c.missing);
  if (!c.decided_by.empty()) {
    const auto at = c.decided_by.find('@');
    ASSERT_NE(a.rule, nullptr) << "no rule decided it";
    EXPECT_NE(a.rule->ref.find(c.decided_by.substr(0, at)), std::string::npos) << a.rule->ref;
    EXPECT_EQ(a.rule->from, *Date::parse(c.decided_by.substr(at + 1)));
    EXPECT_FALSE(a.rule->sources.empty());
  }
  if (!c.decided_by_parameter.empty()) {
    const auto at = c.decided_by_parameter.find('@');
    const std::string name = c.decided_by_parameter.substr(0, at);
    bool cited = false;
    for (const Reason& r : a.reasons)
      if (r.citation && r.citation->parameter == name) {
        cited = true;
        EXPECT_EQ(r.citation->in_force_since, *Date::parse(c.decided_by_parameter.substr(at + 1))) << name;
        EXPECT_EQ(r.citation->origin, rule_base(c.scenario).scenario_name()) << "the scenario set it";
      }
    EXPECT_TRUE(cited) << "no reason cites " << name;
  }
  for (const RoadCase& r : c.roads) {
    const RoadVerdict v = StateRoadRule::check_road(a, r.road);
    EXPECT_EQ(to_string(v.allowed), r.allowed)
        << r.road.posted_mph << " mph " << to_string(r.road.road_class) << ": " << v.reasons.back().text;
  }
  // Every answer explains itself: at least how it entered and which rule (or none) applied.
  EXPECT_GE(a.reasons.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Cases, StateCaseTest, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<StateCase>& info) {
                           return fmt::format("line{}", info.param.line);
                         });

}  // namespace
}  // namespace keipath
