// The state rule files' loader (every malformed file names file:line and what is wrong), the whole-country
// view, the list of changes, and the road check's corner cases.
#include "keipath/us_states.hpp"

#include <gtest/gtest.h>

#include <set>

#include "test_support.hpp"

namespace keipath {
namespace {

// A valid file for Nebraska; tests replace one piece of it.
const std::string kHead = R"([jurisdiction]
code = "NE"
name = "Nebraska"
checked = 2026-11-22
summary = "test"
)";

std::string rule(const std::string& extra, const std::string& kinds = R"(["truck", "van", "car"])",
                 const std::string& status = "restricted") {
  return "\n[[rule]]\nkinds = " + kinds + "\nfrom = 2020-01-01\nstatus = \"" + status +
         "\"\nbasis = \"law\"\ntitle = \"yes\"\nregistration = \"yes\"\nconditions = \"c\"\nref = \"Neb. "
         "Rev. "
         "Stat. 1\"\nsources = [\"https://example.org\"]\nconfidence = \"high\"\nchecked = 2026-11-22\n" +
         extra;
}

Result<Jurisdiction> parse(const std::string& text, const std::string& label = "states/NE.toml") {
  return StateLaw::parse(text, label);
}

void expect_error(const Result<Jurisdiction>& r, const std::string& part) {
  ASSERT_FALSE(r) << "should be rejected: " << part;
  EXPECT_NE(r.error().message.find(part), std::string::npos) << r.error().message;
}

TEST(StateLawTest, AValidFileLoads) {
  auto j = parse(kHead + rule("max_posted_mph = 45\nno_interstate = true\n"));
  ASSERT_TRUE(j) << j.error().message;
  EXPECT_EQ(j->code, "NE");
  ASSERT_EQ(j->rules.size(), 1u);
  EXPECT_EQ(j->rules[0].limits.max_posted_mph, 45);
  EXPECT_TRUE(j->rules[0].limits.no_interstate);
  EXPECT_EQ(j->rules[0].where.line, 7);
}

TEST(StateLawTest, UnknownStateCodeIsAnErrorWithItsLine) {
  std::string text = kHead + rule("");
  text.replace(text.find("\"NE\""), 4, "\"XX\"");
  expect_error(parse(text), "states/NE.toml:2: jurisdiction: 'XX' is not a state code");
}

TEST(StateLawTest, CodeMustMatchTheFileNameAndTheName) {
  expect_error(parse(kHead + rule(""), "states/NV.toml"), "code 'NE' does not match the file name 'NV'");
  std::string text = kHead + rule("");
  text.replace(text.find("Nebraska"), 8, "Nebrasca");
  expect_error(parse(text), "name 'Nebrasca' should be 'Nebraska'");
}

TEST(StateLawTest, StatusMustBeOneOfFive) {
  expect_error(parse(kHead + rule("", R"(["truck", "van", "car"])", "legal")),
               "states/NE.toml:10: rule 1: status 'legal' is not one of unrestricted, restricted, "
               "off_road_only, prohibited, unknown");
}

TEST(StateLawTest, ASpeedCapOnAProhibitedRuleIsAnError) {
  expect_error(parse(kHead + rule("max_posted_mph = 35\n", R"(["truck", "van", "car"])", "prohibited")),
               "states/NE.toml:19: rule 1: 'max_posted_mph' is a road limit, but the status is prohibited");
  expect_error(parse(kHead + rule("no_interstate = true\n", R"(["truck", "van", "car"])", "unrestricted")),
               "'no_interstate' is a road limit, but the status is unrestricted");
}

// A prohibition rests on a statute, regulation or agency statement (issue 10): "prohibited" on secondary
// sources alone does not load; "unknown" on them does, and "prohibited" with a basis of policy does.
TEST(StateLawTest, AProhibitionWithoutABasisIsAnError) {
  std::string text = kHead + rule("", R"(["truck", "van", "car"])", "prohibited");
  text.replace(text.find("basis = \"law\""), 13, "basis = \"none\"");
  expect_error(parse(text), "states/NE.toml:");
  expect_error(parse(text), "rule 1: status 'prohibited' needs a basis of law or policy");
  std::string unknown = kHead + rule("", R"(["truck", "van", "car"])", "unknown");
  unknown.replace(unknown.find("basis = \"law\""), 13, "basis = \"none\"");
  EXPECT_TRUE(parse(unknown));
  std::string policy = kHead + rule("", R"(["truck", "van", "car"])", "prohibited");
  policy.replace(policy.find("basis = \"law\""), 13, "basis = \"policy\"");
  EXPECT_TRUE(parse(policy));
}

TEST(StateLawTest, SpeedCapMustBeAPlausibleWholeNumber) {
  expect_error(parse(kHead + rule("max_posted_mph = 3\n")), "'max_posted_mph' must be a whole number of mph");
  expect_error(parse(kHead + rule("max_posted_mph = \"55\"\n")), "'max_posted_mph' must be a whole number");
}

TEST(StateLawTest, MissingCitationAndConfidenceAreErrors) {
  std::string text = kHead + rule("");
  text.erase(text.find("ref = "), text.find("sources") - text.find("ref = "));
  expect_error(parse(text), "rule 1: missing 'ref'");
  text = kHead + rule("");
  text.replace(text.find("\"high\""), 6, "\"sure\"");
  expect_error(parse(text), "rule 1: confidence 'sure' is not one of high, medium, low");
  text = kHead + rule("");
  text.replace(text.find("[\"https://example.org\"]"), 23, "[]");
  expect_error(parse(text), "rule 1: 'sources' is empty");
}

TEST(StateLawTest, UnknownKeysAndKindsAreNamed) {
  expect_error(parse(kHead + rule("speed = 4\n")), "rule 1: unknown key 'speed'");
  expect_error(parse(kHead + rule("", R"(["truck", "van", "car", "bus"])")), "kind 'bus' is not one of");
  expect_error(parse(kHead + rule("", R"(["truck", "truck", "van", "car"])")),
               "kind 'truck' is listed twice");
}

TEST(StateLawTest, EveryFileCoversTrucksVansAndCars) {
  expect_error(parse(kHead + rule("", R"(["truck", "van"])")), "no rule covers kind 'car'");
  expect_error(parse(kHead), "no [[rule]] tables");
}

TEST(StateLawTest, RulesForAKindMustBeInDateOrder) {
  std::string second = rule("");
  second.replace(second.find("2020-01-01"), 10, "2019-01-01");
  expect_error(
      parse(kHead + rule("") + second),
      "states/NE.toml:20: rule for truck from 2019-01-01 does not come after the rule from 2020-01-01 "
      "(line 7)");
}

TEST(StateLawTest, DefinitionsAndGrandfathersAreChecked) {
  expect_error(parse(kHead + rule("\n[rule.definition]\nname = \"mini\"\n")), "definition: has no bound");
  expect_error(parse(kHead + rule("\n[rule.definition]\nname = \"mini\"\nmax_width_in = -4\n")),
               "'max_width_in' = -4 is out of range");
  expect_error(
      parse(kHead + rule("\n[rule.definition]\nname = \"m\"\nmax_width_in = 60\nbodies = [\"boat\"]\n")),
      "body 'boat' is not a vehicle body");
  expect_error(parse(kHead + rule("\n[rule.grandfather]\nstatus = \"restricted\"\nconditions = \"c\"\n")),
               "grandfather: missing 'registered_before'");
  expect_error(parse(kHead + rule("\n[rule.grandfather]\nregistered_before = 2024-06-01\nstatus = "
                                  "\"prohibited\"\nmax_posted_mph = 35\nconditions = \"c\"\n")),
               "grandfather: 'max_posted_mph' is a road limit, but the status is prohibited");
}

TEST(StateLawTest, SyntaxErrorsGiveLineAndColumn) {
  expect_error(parse(kHead + "[[rule]\n"), "states/NE.toml:6:");
}

TEST(StateLawTest, AssembleNeedsAll51OnceEach) {
  auto j = parse(kHead + rule(""));
  ASSERT_TRUE(j);
  auto law = StateLaw::assemble({*j});
  ASSERT_FALSE(law);
  EXPECT_NE(law.error().message.find("state rules missing for 50 of 51 jurisdictions: AK, AL"),
            std::string::npos)
      << law.error().message;
  auto twice = StateLaw::assemble({*j, *j});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("NE is also given in states/NE.toml"), std::string::npos);
}

TEST(StateLawTest, BundledDataCoversAll51WithCheckedDates) {
  const StateLaw& law = testing::bundled().state_law();
  ASSERT_EQ(law.jurisdictions().size(), 51u);
  EXPECT_EQ(law.newest_check(), testing::date("2026-12-03"));
  EXPECT_LE(law.oldest_check(), law.newest_check());
  for (const Jurisdiction& j : law.jurisdictions()) {
    for (StateKind k : {StateKind::truck, StateKind::van, StateKind::car}) {
      EXPECT_NE(j.first_rule(k), nullptr) << j.code << " " << to_string(k);
    }
  }
}

TEST(StateLawTest, ChangesAreNewestFirstAndExcludeUndatedRules) {
  const auto changes = testing::bundled().state_law().changes();
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.front().code, "CO");
  EXPECT_EQ(changes.front().date, testing::date("2028-01-01"));
  EXPECT_EQ(changes.front().before, RoadStatus::off_road_only);
  for (size_t i = 1; i < changes.size(); ++i) EXPECT_GE(changes[i - 1].date, changes[i].date);
  for (const StateChange& c : changes) EXPECT_NE(c.from_kind, FromKind::in_force_by) << c.code;
}

StateQuestion acty_1999(const char* date) {
  StateQuestion q;
  auto e = testing::bundled().catalog().lookup("Honda Acty Truck", "", YearMonth(1999, 6));
  EXPECT_TRUE(e);
  q.vehicle = (*e)->vehicle;
  q.vehicle.built = YearMonth(1999, 6);
  q.kei_model = true;
  q.date = testing::date(date);
  return q;
}

TEST(StateRoadRuleTest, WholeCountryAnswers51AndCountsAddUp) {
  const auto answers = testing::bundled().state_roads().answer_all(acty_1999("2026-11-22"));
  ASSERT_EQ(answers.size(), 51u);
  std::set<std::string> codes;
  for (const StateAnswer& a : answers) codes.insert(a.code);
  EXPECT_EQ(codes.size(), 51u);
  const StatusCounts counts = StateRoadRule::count(answers);
  int total = 0;
  for (int n : counts) total += n;
  EXPECT_EQ(total, 51);
  // Each resting on a statute or an agency's statement: AK (2 AAC 92.020, as its DMV quotes it, since
  // 2026-12-03), GA, IL, ME, NY, OR, RI (CT, MD, NJ, NM, NV and VT, prohibited on secondary sources alone
  // until 2026-12-02, are unknown).
  EXPECT_EQ(counts[static_cast<size_t>(RoadStatus::prohibited)], 7);
  EXPECT_EQ(counts[static_cast<size_t>(RoadStatus::off_road_only)], 3);  // CO, IA, PA
}

TEST(StateRoadRuleTest, ColoradoDiffersAcrossNewYear2028) {
  auto before = testing::bundled().state_roads().answer(acty_1999("2027-12-31"), "co");
  auto after = testing::bundled().state_roads().answer(acty_1999("2028-01-01"), "CO");
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->status, RoadStatus::off_road_only);
  // The HA6's top speed is the assumed 100-120 km/h (62-75 mph): all of it meets Colorado's 50 mph minimum.
  EXPECT_EQ(after->status, RoadStatus::restricted);
  EXPECT_TRUE(after->missing_fields.empty());
  // Without the assumption (a vehicle whose top speed is not known at all) the minimum cannot be checked.
  StateQuestion q = acty_1999("2028-01-01");
  q.vehicle.top_speed_kmh.reset();
  q.vehicle.assumed.clear();
  auto unknown = testing::bundled().state_roads().answer(q, "CO");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, RoadStatus::unknown);
  EXPECT_EQ(unknown->if_in_class, RoadStatus::restricted);
  EXPECT_EQ(unknown->missing_fields, std::vector<std::string>{"top_speed_kmh"});
}

// validate_vehicle requires a body, but a library caller may ask without one.
TEST(StateRoadRuleTest, BodyUnknownIsAnsweredOnlyWhereTheKindsShareARule) {
  StateQuestion q;
  q.vehicle.built = YearMonth(1995, 1);
  q.date = testing::date("2026-11-22");
  auto ga = testing::bundled().state_roads().answer(q, "GA");
  ASSERT_TRUE(ga);
  EXPECT_EQ(ga->status, RoadStatus::prohibited);
  EXPECT_TRUE(ga->missing_fields.empty());
  auto nc = testing::bundled().state_roads().answer(q, "NC");
  ASSERT_TRUE(nc);
  EXPECT_EQ(nc->status, RoadStatus::unknown);
  EXPECT_EQ(nc->missing_fields, std::vector<std::string>{"body"});
}

TEST(StateRoadRuleTest, UnknownStateCodeNamesTheValidOnes) {
  auto a = testing::bundled().state_roads().answer(acty_1999("2026-11-22"), "ZZ");
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("'ZZ' is not a state code; use one of AK AL"), std::string::npos);
}

TEST(StateRoadRuleTest, RoadCheckOnAnUnrestrictedStateAllowsAnyRoad) {
  auto a = testing::bundled().state_roads().answer(acty_1999("2026-11-22"), "TX");
  ASSERT_TRUE(a);
  const RoadVerdict v = StateRoadRule::check_road(*a, Road{75, RoadClass::interstate});
  EXPECT_EQ(v.allowed, Answer::yes);
  EXPECT_TRUE(v.conditions.empty());
}

TEST(StateRoadRuleTest, LocalOrdinanceIsAConditionNotARefusal) {
  StateQuestion q = acty_1999("2026-11-22");
  q.vehicle.curb_mass_kg = 700;
  auto a = testing::bundled().state_roads().answer(q, "MN");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->status, RoadStatus::restricted);
  const RoadVerdict v = StateRoadRule::check_road(*a, Road{45, RoadClass::local});
  EXPECT_EQ(v.allowed, Answer::yes);
  ASSERT_EQ(v.conditions.size(), 1u);
  EXPECT_NE(v.conditions[0].find("ordinance"), std::string::npos);
}

}  // namespace
}  // namespace keipath
