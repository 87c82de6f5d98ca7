// Policy scenarios against the baseline: the nested logit and the road-share arithmetic, the law the kei
// segments read from the rule base (the states' answers, the federal pathways), paired differences on common
// random numbers, the Part 555 cap, an EV-only class, a shorter import exemption, the tornado, scenario
// files with ranges, and `keipath simulate SCENARIO --baseline` as a user runs it.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_support.hpp"
#include "fleet/internal.hpp"
#include "keipath/fleet.hpp"
#include "keipath/rule_base.hpp"
#include "keipath/scenario.hpp"
#include "test_support.hpp"

namespace keipath::fleet {
namespace {

using testing::contains;
using testing::keipath;
using testing::read_text;
using testing::ScratchDir;

const std::string kScenarios = std::string(KEIPATH_DATA_DIR) + "/scenarios/";

// A rule base with a bundled scenario (or none) and its fleet model, loaded once per scenario.
struct Loaded {
  std::unique_ptr<const RuleBase> base;
  std::unique_ptr<FleetModel> model;
};
const Loaded& loaded(const std::string& scenario) {
  static std::map<std::string, Loaded> cache;
  auto it = cache.find(scenario);
  if (it != cache.end()) return it->second;
  RuleBaseOptions o{KEIPATH_DATA_DIR, std::nullopt, Date::today()};
  if (!scenario.empty()) o.scenario_file = kScenarios + scenario + ".toml";
  auto base = RuleBase::load(o);
  if (!base) {
    ADD_FAILURE() << base.error().message;
    std::abort();
  }
  auto tables = FleetTables::load(KEIPATH_DATA_DIR);
  if (!tables) {
    ADD_FAILURE() << tables.error().message;
    std::abort();
  }
  auto model = FleetModel::bind((*base)->params(), (*base)->crash(), (*base)->state_roads(),
                                (*base)->catalog(), std::move(*tables));
  if (!model) {
    ADD_FAILURE() << model.error().message;
    std::abort();
  }
  Loaded l{std::move(*base), std::make_unique<FleetModel>(std::move(*model))};
  return cache.emplace(scenario, std::move(l)).first->second;
}
const FleetModel& fleet(const std::string& scenario) {
  return *loaded(scenario).model;
}

const PairedRun& paired(const std::string& scenario, int draws = 24, bool by_state = false) {
  static std::map<std::tuple<std::string, int, bool>, PairedRun> cache;
  const auto key = std::tuple{scenario, draws, by_state};
  auto it = cache.find(key);
  if (it == cache.end()) {
    RunOptions o;
    o.draws = draws;
    o.seed = 5;
    o.threads = 2;
    o.by_state = by_state;
    auto run = run_paired(fleet(scenario), fleet(""), o);
    EXPECT_TRUE(run.has_value()) << run.error().message;
    it = cache.emplace(key, std::move(*run)).first;
  }
  return it->second;
}

double at(const FleetRun& run, int year, int metric, int draw) {
  return run.national[(static_cast<size_t>(year - run.first_year) * kMetrics + static_cast<size_t>(metric)) *
                          static_cast<size_t>(run.draws) +
                      static_cast<size_t>(draw)];
}
double state_at(const FleetRun& run, size_t region, int year, int metric, int draw) {
  const size_t years = static_cast<size_t>(run.years());
  return run.states[((region * years + static_cast<size_t>(year - run.first_year)) * kStateMetrics +
                     static_cast<size_t>(metric)) *
                        static_cast<size_t>(run.draws) +
                    static_cast<size_t>(draw)];
}

// The nested logit: the targets are met, the shares are shares, a dissimilarity of 1 takes from every
// segment in proportion, a lower one takes more from the kei segment's own nest.
TEST(KeiDemandTest, NestedLogitMeetsTheTargetsAndTakesFromTheOwnNestFirst) {
  const double car = 0.2;  // about the base year's cars (small + midsize)
  const NestShares none = solve_nests(car, 0, 0, 0.6);
  EXPECT_DOUBLE_EQ(none.car, car);
  EXPECT_DOUBLE_EQ(none.kei_in_car, 0);
  for (const double lambda : {0.3, 0.6, 1.0})
    for (const auto& [tc, tt] :
         {std::pair{0.02, 0.01}, std::pair{0.1, 0.0}, std::pair{0.0, 0.05}, std::pair{0.15, 0.3}}) {
      const NestShares n = solve_nests(car, tc, tt, lambda);
      const std::string where = fmt::format("lambda {} targets {} {}", lambda, tc, tt);
      EXPECT_NEAR(n.car + n.truck, 1, 1e-12) << where;
      EXPECT_NEAR(n.car * n.kei_in_car, tc, 1e-10) << where;
      EXPECT_NEAR(n.truck * n.kei_in_truck, tt, 1e-10) << where;
      EXPECT_GE(n.kei_in_car, 0) << where;
      EXPECT_LT(n.kei_in_car, 1) << where;
      if (lambda == 1.0) {
        // Plain logit: every other segment keeps its share times (1 - the kei total).
        EXPECT_NEAR(n.car * (1 - n.kei_in_car), car * (1 - tc - tt), 1e-9) << where;
      }
    }
  // A kei car alone: with lambda 0.3 the cars give up more of its share than with lambda 1.
  const double tight =
      car - solve_nests(car, 0.05, 0, 0.3).car * (1 - solve_nests(car, 0.05, 0, 0.3).kei_in_car);
  const double loose =
      car - solve_nests(car, 0.05, 0, 1.0).car * (1 - solve_nests(car, 0.05, 0, 1.0).kei_in_car);
  EXPECT_GT(tight, loose);
  EXPECT_LE(tight, 0.05 + 1e-12) << "the cars cannot lose more than the kei car takes";
}

// The share of a state's travel a road rule leaves: all, none, and in between, rising with the cap.
TEST(KeiDemandTest, RoadShareFollowsStatusCapAndClosedRoads) {
  const RoadAccessTable& t = fleet("").tables().road_access;
  const AccessDraw d;
  EXPECT_DOUBLE_EQ(road_share(t, d, 0.3, RoadStatus::unrestricted, {}), 1);
  EXPECT_DOUBLE_EQ(road_share(t, d, 0.3, RoadStatus::prohibited, {}), 0);
  EXPECT_DOUBLE_EQ(road_share(t, d, 0.3, RoadStatus::off_road_only, {}), 0);
  double last = 0;
  for (const int cap : {10, 25, 30, 35, 45, 55, 65, 70, 85}) {
    RoadLimits l;
    l.max_posted_mph = cap;
    const double s = road_share(t, d, 0.3, RoadStatus::restricted, l);
    EXPECT_GE(s, last) << cap;
    last = s;
  }
  EXPECT_NEAR(last, 1, 1e-12) << "every road is posted at most 85 mph, the highest US limit";
  RoadLimits no_interstate;
  no_interstate.no_interstate = true;
  EXPECT_LT(road_share(t, d, 0.3, RoadStatus::restricted, no_interstate), 1);
  RoadLimits ordinance;
  ordinance.local_ordinance = true;
  EXPECT_NEAR(road_share(t, d, 0.3, RoadStatus::restricted, ordinance), d.local_ordinance, 1e-12);
  RoadLimits at45;
  at45.max_posted_mph = 45;
  EXPECT_NEAR(road_share(t, d, 0.3, RoadStatus::unknown, {}),
              d.unknown_allows * road_share(t, d, 0.3, RoadStatus::restricted, at45), 1e-12);
  // A rural state's travel is on faster roads: a 45 mph cap leaves it less.
  EXPECT_LT(road_share(t, d, 0.7, RoadStatus::restricted, at45),
            road_share(t, d, 0.1, RoadStatus::restricted, at45));
}

// The law the fleet reads is the rule base's: the pathway years, and each state's answer the one
// `keipath states` gives for the same vehicle (no copy of the states' rules in the fleet model).
TEST(KeiLawTest, PathwayYearsAndStateAnswersComeFromTheRuleBase) {
  for (const auto& y : fleet("").law_years()) EXPECT_EQ(y.pathway, "none") << y.year;
  EXPECT_FALSE(fleet("").kei_pathway_open());
  const FleetModel& m = fleet("kei_class_2027_state_rules");
  ASSERT_TRUE(m.kei_pathway_open());
  const auto& law = m.law_years();
  EXPECT_EQ(law[2026 - 2024].pathway, "none");
  EXPECT_EQ(law[2027 - 2024].pathway, "small_class");
  // The states' answers for the representative kei truck, asked directly.
  const RuleBase& base = *loaded("kei_class_2027_state_rules").base;
  auto carry = base.catalog().search("Suzuki Carry DA16T");
  ASSERT_EQ(carry.size(), 1u);
  StateQuestion q;
  q.vehicle = carry.front()->vehicle;
  q.vehicle.built = YearMonth(2035, 1);
  q.vehicle.top_speed_kmh = static_cast<int>(std::lround(55 * 1.609344));
  q.entry = UsEntry::small_class;
  q.kei_model = true;
  q.date =
      Date(std::chrono::year_month_day{std::chrono::year{2035}, std::chrono::month{7}, std::chrono::day{1}});
  std::array<int, kRoadStatusCount> direct{};
  for (const auto& a : base.state_roads().answer_all(q))
    ++direct[static_cast<size_t>(a.status == RoadStatus::unknown && a.if_in_class ? *a.if_in_class
                                                                                  : a.status)];
  EXPECT_EQ(law[2035 - 2024].truck_status, direct);
  EXPECT_GT(direct[static_cast<size_t>(RoadStatus::prohibited)], 0) << "some states ban kei trucks today";
  // Every state adopting a 45 mph rule: 51 restricted.
  EXPECT_EQ(fleet("kei_class_2027_45mph")
                .law_years()[2035 - 2024]
                .car_status[static_cast<size_t>(RoadStatus::restricted)],
            51);
  // The shorter exemption reaches the import age; Part 555 titles kei vehicles as any car.
  EXPECT_EQ(fleet("import_15_years").law_years()[2027 - 2024].import_age, 15);
  EXPECT_EQ(fleet("import_15_years").law_years()[2026 - 2024].import_age, 25);
  EXPECT_EQ(
      fleet("kei_part555").law_years()[2030 - 2024].car_status[static_cast<size_t>(RoadStatus::unrestricted)],
      51);
}

// The state's answer for a vehicle of the class when the scenario has the states adopt it: restricted to
// the roads posted at most the cap, titled and registered, with the scenario cited.
TEST(KeiLawTest, StatesAnswerForTheClassAsTheScenarioSays) {
  const RuleBase& base = *loaded("kei_class_2027_45mph").base;
  StateQuestion q;
  q.vehicle = base.catalog().search("Suzuki Alto HA37S").front()->vehicle;
  q.vehicle.built = YearMonth(2028, 1);
  q.entry = UsEntry::small_class;
  q.date =
      Date(std::chrono::year_month_day{std::chrono::year{2028}, std::chrono::month{3}, std::chrono::day{1}});
  auto a = base.state_roads().answer(q, "TX");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->status, RoadStatus::restricted);
  EXPECT_EQ(a->limits.max_posted_mph, 45);
  EXPECT_EQ(a->title, Answer::yes);
  bool cited = false;
  for (const auto& r : a->reasons)
    if (r.citation && r.citation->parameter == "us.small_class.state_adoption") cited = true;
  EXPECT_TRUE(cited);
  // The day before the class: nothing could have entered under it.
  q.date = Date(
      std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{31}});
  auto before = base.state_roads().answer(q, "TX");
  ASSERT_TRUE(before.has_value());
  EXPECT_NE(before->status, RoadStatus::restricted);
}

// Paired draws: the difference is scenario - baseline draw by draw, nothing changes before kei vehicles
// are on sale, and the difference's band is narrower than either run's.
TEST(PairedRunTest, DifferenceIsPairedAndZeroBeforeTheFirstSale) {
  const PairedRun& p = paired("kei_class_2027");
  for (int draw = 0; draw < p.difference.draws; ++draw) {
    for (const int m : {kStock, kSales, kCo2, kDeaths, kKeiSales, kSpendingPerHousehold}) {
      // The lead time is at least 1.5 years from 2027-01-01: no sale before mid-2028.
      for (int year = 2024; year <= 2028; ++year)
        EXPECT_NEAR(at(p.difference, year, m, draw), 0, 1e-8 * std::abs(at(p.baseline, year, m, draw)) + 1e-6)
            << year << " metric " << m << " draw " << draw;
      const double d = at(p.difference, 2040, m, draw);
      const double s = at(p.scenario, 2040, m, draw), b = at(p.baseline, 2040, m, draw);
      EXPECT_NEAR(d, s - b, 1e-4 * std::max(1.0, std::abs(s))) << "metric " << m << " draw " << draw;
    }
    EXPECT_GT(at(p.difference, 2035, kKeiSales, draw), 0) << draw;
    EXPECT_EQ(at(p.baseline, 2035, kKeiSales, draw), 0) << "the baseline has no new kei vehicles";
    // The deaths split: kei occupants + their partners + the rest is every death.
    EXPECT_NEAR(at(p.scenario, 2040, kDeathsKeiOccupants, draw) +
                    at(p.scenario, 2040, kDeathsKeiPartners, draw) +
                    at(p.scenario, 2040, kDeathsNotInvolvingKei, draw),
                at(p.scenario, 2040, kDeaths, draw), 0.05);
  }
  const Band d = national_band(p.difference, 2050 - 2024, kCo2),
             s = national_band(p.scenario, 2050 - 2024, kCo2);
  EXPECT_LT(d.p95 - d.p05, 0.5 * (s.p95 - s.p05)) << "common random numbers narrow the difference's band";
  // The baseline against itself differs by nothing.
  RunOptions o;
  o.draws = 3;
  o.seed = 5;
  auto same = run_paired(fleet(""), fleet(""), o);
  ASSERT_TRUE(same.has_value());
  for (float v : same->difference.national) EXPECT_EQ(v, 0.0f);
}

// With the states projected (they always are where kei vehicles are sold), the nation is their sum, and a
// state that prohibits kei trucks and cars sells none.
TEST(PairedRunTest, StatesSumToTheNationAndABanSellsNothing) {
  const PairedRun& p = paired("kei_class_2027_state_rules", 6, true);
  const auto& regions = fleet("").tables().regions;
  for (const int year : {2030, 2040, 2050})
    for (const int m : {kStock, kSales, kKeiSales, kKeiStock, kDeaths, kCo2}) {
      double sum = 0;
      for (size_t r = 0; r < regions.size(); ++r) sum += state_at(p.scenario, r, year, m, 0);
      EXPECT_NEAR(sum, at(p.scenario, year, m, 0), 1e-4 * std::abs(at(p.scenario, year, m, 0)) + 1e-3)
          << year << " metric " << m;
    }
  // A state whose rules prohibit both (the rule base's answer for 2040).
  const RuleBase& base = *loaded("kei_class_2027_state_rules").base;
  size_t banned = regions.size();
  for (size_t r = 0; r < regions.size() && banned == regions.size(); ++r) {
    bool all = true;
    for (const char* row : {"Suzuki Carry DA16T", "Suzuki Alto HA37S"}) {
      StateQuestion q;
      q.vehicle = base.catalog().search(row).front()->vehicle;
      q.vehicle.built = YearMonth(2040, 1);
      q.vehicle.top_speed_kmh = 89;
      q.entry = UsEntry::small_class;
      q.kei_model = true;
      q.date = Date(
          std::chrono::year_month_day{std::chrono::year{2040}, std::chrono::month{7}, std::chrono::day{1}});
      auto a = base.state_roads().answer(q, regions[r].code);
      all = all && a && (a->status == RoadStatus::prohibited || a->status == RoadStatus::off_road_only);
    }
    if (all) banned = r;
  }
  if (banned == regions.size()) GTEST_SKIP() << "no state bans both kei cars and trucks in the rule base";
  for (int draw = 0; draw < p.scenario.draws; ++draw)
    EXPECT_EQ(state_at(p.scenario, banned, 2040, kKeiSales, draw), 0) << regions[banned].code;
}

// Part 555: kei sales never pass the makers times 2,500 a year.
TEST(PairedRunTest, Part555SalesStayUnderTheVolumeCap) {
  const PairedRun& p = paired("kei_part555");
  for (int draw = 0; draw < p.scenario.draws; ++draw)
    for (int year = 2027; year <= 2050; ++year)
      EXPECT_LE(at(p.scenario, year, kKeiSales, draw), 6 * 2500 + 1e-3);
  EXPECT_GT(at(p.scenario, 2035, kKeiSales, 0), 0);
  EXPECT_LE(at(p.scenario, 2035, kKeiSales, 0), 3 * 2500 + 1e-3) << "draw 0: three makers";
}

// An EV-only class never adds gasoline; a shorter exemption brings more used imports and no new kei sales.
TEST(PairedRunTest, EvOnlyClassAndShorterExemption) {
  const PairedRun& ev = paired("kei_class_2027_ev_only");
  for (int draw = 0; draw < ev.difference.draws; ++draw)
    for (const int year : {2030, 2040, 2050})
      EXPECT_LE(at(ev.difference, year, kGasoline, draw), 1e-3) << draw;
  const PairedRun& imports = paired("import_15_years");
  for (int draw = 0; draw < imports.difference.draws; ++draw) {
    EXPECT_NEAR(at(imports.difference, 2026, kImports, draw), 0, 1e-6);
    EXPECT_GT(at(imports.difference, 2027, kImports, draw), at(imports.baseline, 2027, kImports, draw))
        << "at 15 years more of Japan's stock is eligible than at 25";
    EXPECT_EQ(at(imports.difference, 2035, kKeiSales, draw), 0);
  }
}

// The tornado: one parameter at a time at the ends of its range; the point difference is draw 0's, and the
// kei class's reference share moves kei sales most.
TEST(TornadoTest, SwingsEachParameterAndRanksBySwing) {
  auto rows = tornado(fleet("kei_class_2027"), fleet(""), 5, {2035, 2050}, 2);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  const TornadoRow* first = nullptr;
  for (const auto& r : *rows)
    if (r.metric == "kei_sales" && r.year == 2035) {
      if (first == nullptr) first = &r;
      EXPECT_LE(r.swing(), first->swing()) << "sorted by swing";
    }
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->parameter, "fleet.kei.reference_share");
  EXPECT_NEAR(first->at_point, at(paired("kei_class_2027").difference, 2035, kKeiSales, 0),
              1e-3 * first->at_point);
  EXPECT_LT(first->at_low, first->at_point);
  EXPECT_GT(first->at_high, first->at_point);
  bool road_table = false;
  for (const auto& r : *rows) road_table = road_table || r.parameter == "fleet.road_access_table";
  EXPECT_TRUE(road_table) << "the road table's shares are swung too";
}

// A scenario override may carry a range and a distribution, checked like the rule base's values.
TEST(ScenarioRangeTest, OverridesCarryRangesAndBadOnesAreNamed) {
  auto ok = Scenario::parse(R"([scenario]
name = "r"
description = "d"
[[override]]
parameter = "fleet.kei.reference_share"
from = 2027-01-01
value = 0.02
low = 0.01
high = 0.04
distribution = "log_uniform"
confidence = "low"
ref = "test"
)",
                            "r.toml");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_TRUE(ok->overrides[0].log_uniform);
  EXPECT_EQ(ok->overrides[0].low, 0.01);
  const std::string head =
      "[scenario]\nname = \"r\"\ndescription = \"d\"\n[[override]]\n"
      "parameter = \"fleet.kei.reference_share\"\nfrom = 2027-01-01\nref = \"t\"\n";
  for (const auto& [body, message] :
       {std::pair{"value = 0.5\nlow = 0.1\nhigh = 0.2\n",
                  "r.toml:4: [[override]]: the range [0.1, 0.2] does not contain the value 0.5"},
        std::pair{"value = 0.5\nlow = 0.1\n", "r.toml:4: [[override]]: an uncertainty range needs both"},
        std::pair{"value = 0.5\ndistribution = \"normal\"\nlow = 0.1\nhigh = 0.9\n",
                  "r.toml:9: [[override]]: 'distribution' must be"},
        std::pair{"value = 0.5\nlow = 0\nhigh = 0.9\ndistribution = \"log_uniform\"\n",
                  "log_uniform range needs low > 0"},
        std::pair{"value = 0.5\nconfidence = \"sure\"\n", "confidence 'sure'"}}) {
    auto bad = Scenario::parse(head + body, "r.toml");
    ASSERT_FALSE(bad.has_value()) << body;
    EXPECT_TRUE(contains(bad.error().message, message)) << bad.error().message;
  }
  ParamValue v;
  v.value = 0.04;
  v.low = 0.01;
  v.high = 0.16;
  EXPECT_DOUBLE_EQ(v.drawn(0), 0.01);
  EXPECT_NEAR(v.drawn(0.5), 0.085, 1e-12);
  v.log_uniform = true;
  EXPECT_NEAR(v.drawn(0.5), 0.04, 1e-12) << "the geometric middle";
  EXPECT_NEAR(v.drawn(1), 0.16, 1e-12);
}

// `keipath simulate SCENARIO --baseline` as a user runs it.
TEST(SimulateBaselineCliTest, WritesDifferenceTablesChartsAndTornado) {
  ScratchDir dir;
  const auto out = dir.path() / "sim";
  const auto r =
      keipath("simulate " + kScenarios +
              "kei_class_2027.toml --baseline --draws 12 --seed 3 --quiet --by state --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "Scenario us-kei-class-2027 against baseline")) << r.out;
  EXPECT_TRUE(contains(r.out, "12 paired draws, seed 3")) << r.out;
  EXPECT_TRUE(contains(r.out, "kei_sales")) << r.out;
  EXPECT_TRUE(contains(r.out, "What moves the differences most")) << r.out;
  const std::string csv = read_text(out / "difference_national.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "year,region,metric,unit,p05,p50,p95,point");
  EXPECT_TRUE(contains(csv, "\n2035,US,kei_sales,vehicles,")) << csv.substr(0, 300);
  EXPECT_TRUE(contains(read_text(out / "difference_by_state.csv"), "\n2050,TX,kei_sales,vehicles,"));
  const std::string tornado_csv = read_text(out / "tornado.csv");
  EXPECT_TRUE(contains(tornado_csv, "kei_sales,2035,fleet.kei.reference_share,"))
      << tornado_csv.substr(0, 300);
  const auto json = nlohmann::json::parse(read_text(out / "difference.json"));
  EXPECT_EQ(json["kind"], "fleet_difference");
  EXPECT_EQ(json["baseline"], "baseline");
  EXPECT_EQ(json["law"][2027 - 2024]["pathway"], "small_class");
  EXPECT_FALSE(json["tornado"].empty());
  const std::string svg = read_text(out / "chart_difference_kei_sales.svg");
  EXPECT_TRUE(contains(svg, "Change in: New kei-vehicle sales")) << svg.substr(0, 300);
  EXPECT_TRUE(contains(svg, "12 paired draws"));
  EXPECT_TRUE(std::filesystem::exists(out / "fleet_national.csv")) << "the scenario's own tables too";

  const auto j = keipath("simulate " + kScenarios +
                         "kei_part555.toml --baseline --draws 3 --last-year 2035 --quiet --json --out " +
                         (dir.path() / "j").string());
  ASSERT_EQ(j.exit_code, 0) << j.out;
  EXPECT_EQ(nlohmann::json::parse(j.out),
            nlohmann::json::parse(read_text(dir.path() / "j" / "difference.json")));
}

// A scenario is compared with the baseline by default; --alone runs it by itself.
TEST(SimulateBaselineCliTest, AScenarioIsComparedByDefaultUnlessAlone) {
  ScratchDir dir;
  auto r = keipath("simulate " + kScenarios +
                   "kei_class_2027_45mph.toml --draws 3 --last-year 2036 --quiet --out " +
                   (dir.path() / "a").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "against baseline")) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "a" / "difference_national.csv"));
  r = keipath("simulate " + kScenarios +
              "kei_class_2027_45mph.toml --alone --draws 3 --last-year 2036 --quiet --out " +
              (dir.path() / "b").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "US light-vehicle fleet")) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "b" / "difference_national.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "b" / "fleet_national.csv"));
  r = keipath("simulate " + kScenarios + "kei_class_2027.toml --alone --baseline --draws 2 --quiet --out " +
              (dir.path() / "c").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.out, "--alone")) << r.out;
}

TEST(SimulateBaselineCliTest, BaselineWithoutAScenarioOrWithABadOneExitsTwo) {
  ScratchDir dir;
  auto r = keipath("simulate --baseline --draws 2 --quiet --out " + (dir.path() / "a").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.out, "--baseline")) << r.out;
  r = keipath("simulate " + kScenarios +
              "kei_class_2027.toml --baseline no_such_baseline.toml --draws 2 --quiet --out " +
              (dir.path() / "b").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.out, "no_such_baseline.toml")) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "b" / "difference.json"));
}

// Under mpirun the paired run splits like the single one and writes the same difference tables.
TEST(SimulateBaselineCliTest, MpirunWritesTheSameDifferenceAsOneProcess) {
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "no mpirun (libopenmpi-dev, openmpi-bin)";
  ScratchDir dir;
  const auto one = dir.path() / "one", many = dir.path() / "many";
  const std::string args =
      "simulate " + kScenarios +
      "kei_class_2027.toml --baseline --draws 9 --seed 2 --last-year 2040 --threads 1 --quiet";
  auto r = keipath(args + " --out " + one.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const testing::CliRun run = testing::shell(
      std::string("ASAN_OPTIONS=detect_leaks=0 mpirun --oversubscribe --allow-run-as-root -np 2 ") +
      KEIPATH_BINARY + " " + args + " --out " + many.string() + " 2>&1");
  if (contains(run.out, "built without MPI")) GTEST_SKIP() << run.out;
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_TRUE(contains(run.out, "2 MPI ranks")) << run.out;
  for (const char* f : {"difference_national.csv", "difference.json", "tornado.csv", "fleet_national.csv"})
    EXPECT_EQ(read_text(many / f), read_text(one / f)) << f;
}

}  // namespace
}  // namespace keipath::fleet
