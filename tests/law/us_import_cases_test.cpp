// Runs tests/cases/us/import.toml: every federal entry pathway case and every duty case, checking the status,
// the earliest day, the checks that fail, the settled and unsettled rates, and the parameter value that
// decides each case.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <map>

#include "case_support.hpp"
#include "keipath/us_duties.hpp"
#include "keipath/us_import.hpp"

namespace keipath {
namespace {

const std::string kFile = std::string(KEIPATH_CASES_DIR) + "/us/import.toml";

// The bundled rule base, or one with a scenario from data/scenarios/ applied (loaded once each).
const RuleBase& base_with(const std::string& scenario) {
  if (scenario.empty()) return testing::bundled();
  static std::map<std::string, std::unique_ptr<const RuleBase>> loaded;
  auto& slot = loaded[scenario];
  if (!slot) {
    auto b = RuleBase::load(RuleBaseOptions{
        KEIPATH_DATA_DIR, std::filesystem::path(KEIPATH_DATA_DIR) / "scenarios" / scenario, Date::today()});
    if (!b) {
      ADD_FAILURE() << b.error().message;
      std::abort();
    }
    slot = std::move(*b);
  }
  return *slot;
}

// "parameter@YYYY-MM-DD" is cited by one of the reasons with that start day.
void expect_decided_by(const std::vector<Reason>& reasons, const std::string& decided_by) {
  if (decided_by.empty()) return;
  const auto at = decided_by.find('@');
  const std::string param = decided_by.substr(0, at);
  const Date since = *Date::parse(decided_by.substr(at + 1));
  for (const Reason& r : reasons) {
    if (r.citation && r.citation->parameter == param) {
      EXPECT_EQ(r.citation->in_force_since, since) << param;
      EXPECT_FALSE(r.citation->ref.empty());
      return;
    }
  }
  ADD_FAILURE() << "no reason cites " << param;
}

struct PathwayCase {
  std::string name;
  int line = 0;
  std::string pathway, scenario;
  Date date;
  Vehicle vehicle;
  std::string status;
  std::optional<Date> earliest;
  std::vector<std::string> failed, missing;
  std::string decided_by;
};

struct DutyCase {
  std::string name;
  int line = 0;
  std::string heading;
  YearMonth built;
  Date entry;
  double settled = 0, unsettled = 0;
  std::map<std::string, std::string> lines;
  std::string decided_by;
};

std::vector<std::string> strings(const toml::table& t, const char* key) {
  std::vector<std::string> out;
  if (const auto* arr = t[key].as_array())
    for (const toml::node& n : *arr) out.push_back(*n.value<std::string>());
  return out;
}

std::vector<PathwayCase> load_pathways() {
  toml::table doc = toml::parse_file(kFile);
  std::vector<PathwayCase> out;
  for (const toml::node& node : *doc["pathway"].as_array()) {
    const toml::table& t = *node.as_table();
    PathwayCase c;
    c.name = t["name"].value_or(std::string("?"));
    c.line = static_cast<int>(t.source().begin.line);
    c.pathway = t["pathway"].value_or(std::string());
    c.scenario = t["scenario"].value_or(std::string());
    c.date = testing::toml_date(*t.get("date"));
    c.vehicle = testing::case_vehicle(t, kFile, c.line);
    c.status = t["status"].value_or(std::string());
    if (const toml::node* e = t.get("earliest")) c.earliest = testing::toml_date(*e);
    c.failed = strings(t, "failed");
    c.missing = strings(t, "missing");
    c.decided_by = t["decided_by"].value_or(std::string());
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<DutyCase> load_duties() {
  toml::table doc = toml::parse_file(kFile);
  std::vector<DutyCase> out;
  for (const toml::node& node : *doc["duty"].as_array()) {
    const toml::table& t = *node.as_table();
    DutyCase c;
    c.name = t["name"].value_or(std::string("?"));
    c.line = static_cast<int>(t.source().begin.line);
    c.heading = t["heading"].value_or(std::string());
    c.built = *YearMonth::parse(t["built"].value_or(std::string()));
    c.entry = testing::toml_date(*t.get("entry"));
    c.settled = t["settled"].value_or(0.0);
    c.unsettled = t["unsettled"].value_or(0.0);
    if (const auto* l = t["lines"].as_table())
      for (const auto& [k, v] : *l) c.lines[std::string(k.str())] = *v.value<std::string>();
    c.decided_by = t["decided_by"].value_or(std::string());
    out.push_back(std::move(c));
  }
  return out;
}

void PrintTo(const PathwayCase& c, std::ostream* os) {
  *os << c.name;
}
void PrintTo(const DutyCase& c, std::ostream* os) {
  *os << c.name;
}

class PathwayCaseTest : public ::testing::TestWithParam<PathwayCase> {};

TEST_P(PathwayCaseTest, MatchesTheLaw) {
  const PathwayCase& c = GetParam();
  SCOPED_TRACE(fmt::format("tests/cases/us/import.toml:{}: {}", c.line, c.name));
  const ImportDetermination d = base_with(c.scenario).import_pathways().explain(c.vehicle, c.date);
  const auto it =
      std::find_if(d.pathways.begin(), d.pathways.end(), [&](const Pathway& p) { return p.id == c.pathway; });
  ASSERT_NE(it, d.pathways.end()) << c.pathway;
  const Pathway& p = *it;
  std::string trace;
  for (const Reason& r : p.reasons)
    trace += fmt::format("\n  {} {}: {}", to_string(r.outcome), r.check, r.text);
  SCOPED_TRACE(trace);
  EXPECT_EQ(to_string(p.status), c.status);
  if (c.earliest) {
    EXPECT_EQ(p.earliest, c.earliest);
  }
  std::vector<std::string> failed;
  for (const Reason& r : p.reasons)
    if (r.outcome == Outcome::fail) failed.push_back(r.check);
  if (!c.failed.empty()) {
    EXPECT_EQ(failed, c.failed);
  }
  EXPECT_EQ(p.missing_fields, c.missing);
  expect_decided_by(p.reasons, c.decided_by);
}

INSTANTIATE_TEST_SUITE_P(Cases, PathwayCaseTest, ::testing::ValuesIn(load_pathways()),
                         [](const ::testing::TestParamInfo<PathwayCase>& info) {
                           return fmt::format("line{}", info.param.line);
                         });

class DutyCaseTest : public ::testing::TestWithParam<DutyCase> {};

TEST_P(DutyCaseTest, MatchesTheLaw) {
  const DutyCase& c = GetParam();
  SCOPED_TRACE(fmt::format("tests/cases/us/import.toml:{}: {}", c.line, c.name));
  const DutyRule& rule = testing::bundled().duties();
  const TariffHeading* h = rule.headings().find(c.heading);
  ASSERT_NE(h, nullptr) << c.heading;
  const Money value = Money::from_cents(1'000'000);  // $10,000.00: amounts are rate x 100 dollars
  const DutyDetermination d = rule.assess(*h, c.built, c.entry, value);
  std::string trace;
  std::vector<Reason> reasons;
  for (const DutyLine& l : d.lines) {
    trace += fmt::format("\n  {} {} {}%: {}", l.id, to_string(l.status), l.rate_percent, l.reason.text);
    reasons.push_back(l.reason);
  }
  SCOPED_TRACE(trace);
  EXPECT_NEAR(d.settled_percent, c.settled, 1e-9);
  EXPECT_NEAR(d.unsettled_percent, c.unsettled, 1e-9);
  EXPECT_EQ(d.settled.cents, std::llround(c.settled * 10'000));  // exact cents
  for (const auto& [id, status] : c.lines) {
    const auto it =
        std::find_if(d.lines.begin(), d.lines.end(), [&](const DutyLine& l) { return l.id == id; });
    ASSERT_NE(it, d.lines.end()) << "no line " << id;
    EXPECT_EQ(to_string(it->status), status) << id;
  }
  expect_decided_by(reasons, c.decided_by);
}

INSTANTIATE_TEST_SUITE_P(Cases, DutyCaseTest, ::testing::ValuesIn(load_duties()),
                         [](const ::testing::TestParamInfo<DutyCase>& info) {
                           return fmt::format("line{}", info.param.line);
                         });

}  // namespace
}  // namespace keipath
