// The fleet model: the base year against its published figures (data/fleet/checks.csv names each source),
// the stock-flow identities in every draw and year, states that add up to the nation, draws that do not
// depend on threads or on how they are split (MPI ranks), percentiles, bad tables and parameters, and
// `keipath simulate` as a user runs it.
#include "keipath/fleet.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_support.hpp"
#include "fleet/internal.hpp"
#include "test_support.hpp"

namespace keipath::fleet {
namespace {

using testing::contains;
using testing::keipath;
using testing::read_text;
using testing::ScratchDir;

const FleetModel& model() {
  static const FleetModel m = [] {
    auto tables = FleetTables::load(KEIPATH_DATA_DIR);
    if (!tables) {
      ADD_FAILURE() << tables.error().message;
      std::abort();
    }
    auto bound =
        FleetModel::bind(testing::bundled().params(), testing::bundled().crash(),
                         testing::bundled().state_roads(), testing::bundled().catalog(), std::move(*tables));
    if (!bound) {
      ADD_FAILURE() << bound.error().message;
      std::abort();
    }
    return std::move(*bound);
  }();
  return m;
}

// A run of `draws` draws, cached by its options (several tests read the same one).
const FleetRun& national_run(int draws) {
  static std::map<int, FleetRun> runs;
  auto it = runs.find(draws);
  if (it == runs.end()) {
    RunOptions o;
    o.draws = draws;
    o.seed = 7;
    o.threads = 2;
    auto run = model().run(o);
    EXPECT_TRUE(run.has_value()) << run.error().message;
    it = runs.emplace(draws, std::move(*run)).first;
  }
  return it->second;
}

float at(const FleetRun& run, int year_index, int metric, int draw) {
  return run.national[(static_cast<size_t>(year_index) * kMetrics + static_cast<size_t>(metric)) *
                          static_cast<size_t>(run.draws) +
                      static_cast<size_t>(draw)];
}

TEST(FleetTablesTest, BundledTablesHaveEverySegmentRegionAndAgeWithSources) {
  const FleetTables& t = model().tables();
  ASSERT_EQ(t.segments.size(), static_cast<size_t>(kSegments));
  EXPECT_EQ(t.regions.size(), 51u);
  int kei = 0;
  for (const Segment& s : t.segments) kei += s.kei ? 1 : 0;
  EXPECT_EQ(kei, 2) << "kei car and kei truck/van";
  double share = 0;
  for (const Region& r : t.regions) share += r.stock_share;
  EXPECT_NEAR(share, 1, 1e-9);
  ASSERT_FALSE(t.survival.empty());
  for (const auto& s : t.survival) {
    EXPECT_DOUBLE_EQ(s[0], 1);
    for (int a = 1; a < kAges; ++a) EXPECT_LE(s[static_cast<size_t>(a)], s[static_cast<size_t>(a) - 1]);
  }
  EXPECT_EQ(t.sales_history.back().year, model().base_year());
  EXPECT_GE(t.checks.size(), 10u);
  for (const auto& c : t.checks)
    EXPECT_TRUE(c.calibrated ? !c.parameter.empty() : !c.source.empty()) << c.id << " has no source";
}

// Every published figure in data/fleet/checks.csv, held to its tolerance by the point-value draw: the
// calibrated ones (fitted) and the checked ones (not fitted: a real test of the model).
TEST(FleetCalibrationTest, BaseYearAndChecksWithinTheirTolerances) {
  auto cal = model().calibration();
  ASSERT_TRUE(cal.has_value()) << cal.error().message;
  int calibrated = 0, checked = 0;
  for (const CalibrationFigure& f : cal->figures) {
    const double off = f.modelled / f.published - 1;
    EXPECT_LE(std::abs(off), f.tolerance)
        << f.id << " (" << f.what << ", " << f.year << "): model " << f.modelled << " against published "
        << f.published << " (" << f.source << ")";
    EXPECT_FALSE(f.source.empty()) << f.id;
    (f.calibrated ? calibrated : checked) += 1;
  }
  EXPECT_GE(calibrated, 5) << "stock, average age, miles, fuel and deaths";
  EXPECT_GE(checked, 5);
  // The fitted scales stay physical: real-world fuel economy near the label's, miles per vehicle near the
  // schedules'.
  for (const auto& [name, v] : cal->fitted) {
    EXPECT_GT(v, 0) << name;
    if (name == "on_road_mpg_over_label") {
      EXPECT_TRUE(v > 0.7 && v < 1.1) << v;
    }
    if (name == "miles_scale") {
      EXPECT_TRUE(v > 0.6 && v < 1.5) << v;
    }
  }
}

TEST(FleetCalibrationTest, NamedFiguresOfTheBaseYear) {
  auto cal = model().calibration();
  ASSERT_TRUE(cal.has_value()) << cal.error().message;
  auto find = [&](std::string_view id) -> const CalibrationFigure& {
    for (const auto& f : cal->figures)
      if (f.id == id) return f;
    ADD_FAILURE() << "no figure " << id;
    static const CalibrationFigure none{};
    return none;
  };
  // S&P Global Mobility, May 2025: 289 M vehicles, average age 12.8 years (fleet.toml refs).
  EXPECT_NEAR(find("stock").modelled, 289e6, 289e6 * 0.005);
  EXPECT_NEAR(find("average_age").modelled, 12.8, 0.064);
  // BEA/FRED LTOTALNSA, 2025: 16,259,200 light vehicles sold.
  EXPECT_NEAR(find("sales_2025").modelled, 16259200, 16259200 * 0.05);
  // NHTSA early estimate for 2025: 36,640 road deaths.
  EXPECT_NEAR(find("deaths_2025").modelled, 36640, 36640 * 0.10);
}

// The identities every draw and year must satisfy, recomputed from the outputs (float tables).
TEST(FleetInvariantTest, StockFlowSharesAndSumsHoldInEveryDrawAndYear) {
  const FleetRun& run = national_run(64);
  for (int d = 0; d < run.draws; ++d) {
    for (int y = 0; y < run.years(); ++y) {
      auto v = [&](int m) { return static_cast<double>(at(run, y, m, d)); };
      const std::string where = "draw " + std::to_string(d) + ", " + std::to_string(run.first_year + y);
      double segments = 0;
      for (int g = 0; g < kSegments; ++g) segments += v(kStockSegment0 + g);
      EXPECT_NEAR(segments, v(kStock), 1e-5 * v(kStock)) << where;
      EXPECT_NEAR(v(kDeathsMultiVehicle) + v(kDeathsSingleVehicle) + v(kDeathsOther), v(kDeaths),
                  1e-5 * v(kDeaths))
          << where;
      EXPECT_NEAR(v(kSpendingVehicles) + v(kSpendingEnergy), v(kSpending), 1e-5 * v(kSpending)) << where;
      for (int m = 0; m < kMetrics; ++m)
        EXPECT_GE(v(m), 0) << where << " " << metric_info(m, model().tables()).id;
      for (int m : {kBevShareSales, kBevShareStock}) EXPECT_LE(v(m), 1) << where;
      EXPECT_LE(v(kDeathsKeiOccupants), v(kDeaths)) << where;
      EXPECT_LE(v(kKeiSales), v(kSales)) << where;
      EXPECT_TRUE(v(kAverageAge) > 5 && v(kAverageAge) < 25) << where << " " << v(kAverageAge);
      if (y > 0) {
        const double before = at(run, y - 1, kStock, d);
        EXPECT_NEAR(v(kStock), before + v(kSales) + v(kImports) - v(kScrappage), 2e-5 * v(kStock)) << where;
      }
    }
  }
}

TEST(FleetInvariantTest, BrokenCellIdentityIsAnErrorNamingTheCell) {
  EXPECT_TRUE(check_stock_flow(100, 10, 1, 6, 105, "draw 3, 2031, Ohio, pickup/ice").has_value());
  auto off = check_stock_flow(100, 10, 1, 6, 106, "draw 3, 2031, Ohio, pickup/ice");
  ASSERT_FALSE(off.has_value());
  EXPECT_TRUE(contains(off.error().message, "draw 3, 2031, Ohio, pickup/ice")) << off.error().message;
  EXPECT_TRUE(contains(off.error().message, "not last year's 100")) << off.error().message;
  auto negative = check_stock_flow(100, 10, 0, -2, 112, "draw 0, 2026, US, van/bev");
  ASSERT_FALSE(negative.has_value());
  EXPECT_TRUE(contains(negative.error().message, "scrappage -2 is negative")) << negative.error().message;
}

// The deaths side: CrashRule's per-involvement risks, not new constants; a draw draws the crash model's
// uncertain parameters too.
TEST(FleetCrashTest, RiskMatrixComesFromTheCrashModelAndFollowsMass) {
  const CrashRule& crash = testing::bundled().crash();
  const Date mid = *Date::parse("2024-07-01");
  const CrashModel point = crash.model(mid, 0, 0);
  std::array<double, kSegments> mass{};
  for (size_t g = 0; g < kSegments; ++g)
    mass[g] = testing::bundled()
                  .params()
                  .find("fleet.segment." + model().tables().segments[g].id + ".curb_mass_kg")
                  ->in_force(mid)
                  ->value;
  const auto risk = own_fatal_matrix(point, mass);
  // One configuration by hand: the frontal share times CrashRule::expected, plus the other four.
  double by_hand = 0;
  using C = CrashRule::Configuration;
  for (const auto& [c, w] : std::array<std::pair<C, double>, 5>{{{C::frontal, point.share_frontal},
                                                                 {C::side_striking, point.share_side / 2},
                                                                 {C::side_struck, point.share_side / 2},
                                                                 {C::rear_striking, point.share_rear / 2},
                                                                 {C::rear_struck, point.share_rear / 2}}})
    by_hand += w * crash.expected(mass[0], mass[3], c, mid).own_fatal;
  EXPECT_NEAR(risk[0][3], by_hand, 1e-15) << "small car against pickup";
  // Heavier partners are deadlier; a lighter own vehicle is deadlier (mass order from fleet.toml).
  for (size_t g = 0; g < kSegments; ++g)
    for (size_t h = 0; h < kSegments; ++h)
      if (mass[h] > mass[g] + 50) {
        EXPECT_GT(risk[g][h], risk[g][g]) << g << " vs " << h;
        EXPECT_GT(risk[g][h], risk[h][g]) << g << " vs " << h;
      }
  const auto drawn = own_fatal_matrix(crash.model(mid, 3, 7), mass);
  EXPECT_NE(drawn[0][3], risk[0][3]) << "draw 3 draws the crash parameters";
}

TEST(FleetCrashTest, AllConfigurationsInOnePassAreEachConfigurationsAnswer) {
  const CrashRule& crash = testing::bundled().crash();
  const CrashModel m = crash.model(*Date::parse("2026-11-22"), 0, 0);
  const auto all = CrashRule::expected_all(770, 2100, m);
  for (size_t c = 0; c < CrashRule::kConfigurations; ++c) {
    const auto one = CrashRule::expected(770, 2100, static_cast<CrashRule::Configuration>(c), m);
    EXPECT_EQ(all[c].own_fatal, one.own_fatal);
    EXPECT_EQ(all[c].partner_mais3, one.partner_mais3);
  }
  // Side struck is worse for the occupant than side striking; the partner side mirrors it.
  const auto striking = all[static_cast<size_t>(CrashRule::Configuration::side_striking)];
  const auto struck = all[static_cast<size_t>(CrashRule::Configuration::side_struck)];
  EXPECT_GT(struck.own_fatal, striking.own_fatal);
  EXPECT_GT(striking.partner_fatal, struck.partner_fatal);
  const auto deaths_only = CrashRule::expected_all(770, 2100, m, /*injuries=*/false);
  EXPECT_EQ(deaths_only[0].own_fatal, all[0].own_fatal);
  EXPECT_EQ(deaths_only[0].own_mais3, 0);
}

TEST(FleetInvariantTest, StatesAddUpToTheNation) {
  RunOptions o;
  o.draws = 6;
  o.by_state = true;
  o.threads = 2;
  o.last_year = 2035;
  auto run = model().run(o);
  ASSERT_TRUE(run.has_value()) << run.error().message;
  const size_t years = static_cast<size_t>(run->years()), draws = static_cast<size_t>(run->draws);
  for (size_t d = 0; d < draws; ++d)
    for (size_t y = 0; y < years; ++y)
      for (int m : {kStock, kSales, kVmt, kGasoline, kCo2, kDeaths, kKeiStock, kSpending}) {
        double sum = 0;
        for (size_t r = 0; r < 51; ++r)
          sum += run->states[((r * years + y) * kStateMetrics + static_cast<size_t>(m)) * draws + d];
        const double nation = run->national[(y * kMetrics + static_cast<size_t>(m)) * draws + d];
        EXPECT_NEAR(sum, nation, 1e-4 * nation) << metric_info(m, model().tables()).id << " draw " << d;
      }
}

TEST(FleetMonteCarloTest, ResultDoesNotDependOnThreadsOrOnHowDrawsAreSplit) {
  RunOptions o;
  o.draws = 24;
  o.seed = 99;
  o.last_year = 2040;
  o.threads = 1;
  auto one = model().run(o);
  o.threads = 3;
  auto three = model().run(o);
  ASSERT_TRUE(one.has_value() && three.has_value());
  EXPECT_EQ(one->national, three->national);
  // Two slices of the same draws (two MPI ranks) hold the same numbers as one run.
  RunOptions a = o, b = o;
  a.draws = 10;
  b.first_draw = 10;
  b.draws = 14;
  auto first = model().run(a), second = model().run(b);
  ASSERT_TRUE(first.has_value() && second.has_value());
  for (size_t slot = 0; slot < one->national.size() / 24; ++slot)
    for (size_t d = 0; d < 24; ++d) {
      const float whole = one->national[slot * 24 + d];
      const float part = d < 10 ? first->national[slot * 10 + d] : second->national[slot * 14 + d - 10];
      ASSERT_EQ(whole, part) << "slot " << slot << " draw " << d;
    }
}

TEST(FleetMonteCarloTest, SeedReproducesDrawsAndDrawZeroIsThePointValues) {
  RunOptions o;
  o.draws = 8;
  o.last_year = 2030;
  o.seed = 5;
  auto a = model().run(o), again = model().run(o);
  o.seed = 6;
  auto b = model().run(o);
  ASSERT_TRUE(a.has_value() && again.has_value() && b.has_value());
  EXPECT_EQ(a->national, again->national);
  const int y = 2030 - a->first_year;
  EXPECT_EQ(at(*a, y, kStock, 0), at(*b, y, kStock, 0)) << "draw 0 has no random numbers";
  int differ = 0;
  for (int d = 1; d < 8; ++d) differ += at(*a, y, kStock, d) != at(*b, y, kStock, d) ? 1 : 0;
  EXPECT_EQ(differ, 7) << "another seed gives other draws";
}

TEST(FleetMonteCarloTest, BandsWidenAwayFromTheBaseYearAndHoldTheMedian) {
  const FleetRun& run = national_run(64);
  const Band base = national_band(run, 0, kStock);
  const Band end = national_band(run, run.years() - 1, kStock);
  EXPECT_LT((base.p95 - base.p05) / base.p50, 0.02) << "the base year is calibrated";
  EXPECT_GT((end.p95 - end.p05) / end.p50, 0.05) << "2050 is uncertain";
  for (int y = 0; y < run.years(); ++y)
    for (int m = 0; m < kMetrics; ++m) {
      const Band b = national_band(run, y, m);
      EXPECT_LE(b.p05, b.p50);
      EXPECT_LE(b.p50, b.p95);
    }
}

TEST(FleetMonteCarloTest, NearestRankPercentiles) {
  std::vector<float> v;
  for (int i = 100; i >= 1; --i) v.push_back(static_cast<float>(i));  // draw 0 holds 100
  const Band b = band_of(v, 0, 100);
  EXPECT_EQ(b.p05, 5);
  EXPECT_EQ(b.p50, 50);
  EXPECT_EQ(b.p95, 95);
  EXPECT_EQ(b.point, 100);
  const Band one = band_of(v, 99, 1);
  EXPECT_EQ(one.p05, 1);
  EXPECT_EQ(one.p95, 1);
}

TEST(FleetMonteCarloTest, RefusesNoDrawsAndYearsOutsideTheModel) {
  RunOptions o;
  o.draws = 0;
  EXPECT_FALSE(model().run(o).has_value());
  o.draws = 2;
  o.last_year = 2051;
  auto late = model().run(o);
  ASSERT_FALSE(late.has_value());
  EXPECT_TRUE(contains(late.error().message, "at most 2050")) << late.error().message;
}

// A broken table: the error names the file and line, and the model is not built.
struct BadTable {
  const char* file;
  const char* from;  // text replaced in the bundled file
  const char* to;
  const char* message;  // part of the error
};

void PrintTo(const BadTable& c, std::ostream* os) {
  *os << c.file << ": " << c.message;
}

// Replaces the first `from` in a file by `to` (the text must be there).
void edit_file(const std::filesystem::path& file, std::string_view from, std::string_view to) {
  std::string text = read_text(file);
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  std::ofstream(file, std::ios::binary) << text;
}

// The fleet model over a rule base and the tables of a data folder (which must load).
Result<FleetModel> bind_over(const RuleBase& base, const std::filesystem::path& data) {
  auto tables = FleetTables::load(data);
  if (!tables) return std::unexpected(tables.error());
  return FleetModel::bind(base.params(), base.crash(), base.state_roads(), base.catalog(),
                          std::move(*tables));
}

class FleetBadTableTest : public ::testing::TestWithParam<BadTable> {};

TEST_P(FleetBadTableTest, ErrorNamesFileAndLine) {
  const BadTable& c = GetParam();
  ScratchDir dir;
  testing::copy_bundled_data(dir);
  edit_file(dir.path() / "data" / "fleet" / c.file, c.from, c.to);
  auto t = FleetTables::load(dir.path() / "data");
  ASSERT_FALSE(t.has_value());
  EXPECT_TRUE(contains(t.error().message, c.message)) << t.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Tables, FleetBadTableTest,
    ::testing::Values(
        BadTable{"survival.csv", "\n5,", "\nfive,", "fleet/survival.csv:7"},
        BadTable{"survival.csv", "\n12,0.", "\n12,1.", "survival cannot rise with age"},
        BadTable{"miles_by_age.csv", "\n40,", "\n", "fleet/miles_by_age.csv:42: row has 4 fields"},
        BadTable{"regions.csv", "\nAK,Alaska,5502.5", "\nAK,Alaska,-5502.5", "fleet/regions.csv:2"},
        BadTable{"segments.csv", ",car,car,false", ",car,lorry,false", "history_group 'lorry'"},
        BadTable{"checks.csv", "16259200,,0.05", "16259200,,lots", "fleet/checks.csv:7"},
        BadTable{"regions.csv", "\nAK,Alaska,5502.5,2353.4,", "\nAK,Alaska,5502.5,6000,",
                 "fleet/regions.csv:2: rural_vmt_million is more than vmt_million"},
        BadTable{"segments.csv", ",car,car,false,car,", ",car,car,false,bus,",
                 "nest 'bus' is not car or truck"},
        BadTable{"segments.csv", ",Suzuki Alto HA37S,", ",,", "a kei segment names its representative"},
        BadTable{"road_access.csv", "\nurban,interstate,vmt_share,", "\nurban,motorway,vmt_share,",
                 "fleet/road_access.csv:2: area 'urban' / system 'motorway'"},
        BadTable{"road_access.csv", "\nurban,local,posted_le_45,0.99,0.97,1,",
                 "\nurban,local,posted_le_45,0.5,0.4,1,",
                 "urban local: the share posted at most 45 mph is below that at most 35 mph"},
        BadTable{"road_access.csv", "\nurban,other_arterial,posted_le_35,0.3,0.15,0.45,",
                 "\nurban,other_arterial,posted_le_35,0.5,0.15,0.45,",
                 "fleet/road_access.csv:17: the range [0.15, 0.45] does not contain the value 0.5"},
        BadTable{"road_access.csv", "\nurban,other_arterial,posted_le_35,0.3,0.15,0.45,",
                 "\nurban,other_arterial,posted_le_35,0.3,0.15,,",
                 "fleet/road_access.csv:17: give both low and high"},
        BadTable{"road_access.csv", "\nurban,interstate,vmt_share,0.2365,",
                 "\nurban,interstate,vmt_share,0.5,", "urban: the systems' vmt_share add up to"}),
    [](const ::testing::TestParamInfo<BadTable>& info) { return "Case" + std::to_string(info.index); });

TEST(FleetBindTest, MissingParameterIsNamed) {
  ScratchDir dir;
  testing::copy_bundled_data(dir);
  edit_file(dir.path() / "data" / "models" / "fleet.toml", "[fleet.rebound_elasticity]",
            "[fleet.rebound_elasticity_old]");
  auto base = RuleBase::load(RuleBaseOptions{dir.path() / "data", std::nullopt, Date::today()});
  ASSERT_TRUE(base.has_value()) << base.error().message;
  auto bound = bind_over(**base, dir.path() / "data");
  ASSERT_FALSE(bound.has_value());
  EXPECT_TRUE(contains(bound.error().message, "fleet.rebound_elasticity")) << bound.error().message;
}

// The kei segments' law, bound from the rule base: a representative that is not one catalog row, and a
// scenario that sets a kei share while the demand model decides it, are refused naming what.
TEST(FleetBindTest, KeiLawErrorsAreNamed) {
  {
    ScratchDir dir;
    testing::copy_bundled_data(dir);
    edit_file(dir.path() / "data" / "fleet" / "segments.csv", ",Suzuki Alto HA37S,", ",Suzuki,");
    auto bound = bind_over(testing::bundled(), dir.path() / "data");
    ASSERT_FALSE(bound.has_value());
    EXPECT_TRUE(contains(bound.error().message, "representative 'Suzuki' matches")) << bound.error().message;
  }
  ScratchDir dir;
  const auto scenario = dir.write("share.toml", R"([scenario]
name = "class-and-share"
description = "a kei class, and a kei share typed in"

[[override]]
parameter = "us.small_class.in_effect"
from = 2027-01-01
value = true
ref = "test"

[[override]]
parameter = "fleet.segment.kei_car.new_share"
from = 2030-01-01
value = 0.1
ref = "test"
)");
  auto base = RuleBase::load(RuleBaseOptions{KEIPATH_DATA_DIR, scenario, Date::today()});
  ASSERT_TRUE(base.has_value()) << base.error().message;
  auto bound = bind_over(**base, KEIPATH_DATA_DIR);
  ASSERT_FALSE(bound.has_value());
  EXPECT_TRUE(contains(bound.error().message,
                       "share.toml:11: fleet.segment.kei_car.new_share is set while a pathway"))
      << bound.error().message;
}

// `keipath simulate` as a user runs it: tables, JSON and charts on disk, and its bad options refused.
TEST(SimulateCliTest, WritesTablesJsonAndCharts) {
  ScratchDir dir;
  const auto out = dir.path() / "sim";
  const auto r = keipath("simulate --draws 40 --seed 3 --quiet --by state --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "40 draws, seed 3")) << r.out;
  EXPECT_TRUE(contains(r.out, "calibrated")) << r.out;
  EXPECT_FALSE(contains(r.out, "OUTSIDE")) << r.out;
  const std::string csv = read_text(out / "fleet_national.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "year,region,metric,unit,p05,p50,p95,point");
  EXPECT_TRUE(contains(csv, "\n2050,US,stock,vehicles,")) << csv.substr(0, 400);
  const std::string states = read_text(out / "fleet_by_state.csv");
  EXPECT_TRUE(contains(states, "\n2050,WY,deaths,deaths,")) << states.substr(0, 400);
  const auto json = nlohmann::json::parse(read_text(out / "fleet.json"));
  EXPECT_EQ(json["draws"], 40);
  EXPECT_EQ(json["seed"], 3);
  EXPECT_EQ(json["scenario"], "baseline");
  EXPECT_FALSE(json["calibration"].empty());
  EXPECT_FALSE(json["parameters"].empty());
  const std::string svg = read_text(out / "chart_stock.svg");
  EXPECT_TRUE(contains(svg, "<svg")) << svg.substr(0, 200);
  EXPECT_TRUE(contains(svg, "40 draws")) << "the draw count is in the title";
  EXPECT_TRUE(contains(svg, "baseline")) << "the scenario is in the title";
  EXPECT_TRUE(contains(svg, ">2050<")) << "years on the axis";
}

TEST(SimulateCliTest, JsonOnStdoutIsTheFileWritten) {
  ScratchDir dir;
  const auto out = dir.path() / "sim";
  const auto r = keipath("simulate --draws 4 --last-year 2030 --quiet --json --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out), nlohmann::json::parse(read_text(out / "fleet.json")));
}

// Under mpirun the ranks split the draws and rank 0 writes what one process writes, byte for byte. (Open
// MPI's modules keep memory to the end of the process: the sanitizer build does not look for leaks there.)
TEST(SimulateCliTest, MpirunWritesTheSameTablesAsOneProcess) {
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "no mpirun (libopenmpi-dev, openmpi-bin)";
  ScratchDir dir;
  const auto one = dir.path() / "one", many = dir.path() / "many";
  const std::string args = "simulate --draws 20 --seed 11 --last-year 2040 --by state --threads 1 --quiet";
  auto r = keipath(args + " --out " + one.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::string mpirun =
      std::string("ASAN_OPTIONS=detect_leaks=0 mpirun --oversubscribe --allow-run-as-root -np 3 ") +
      KEIPATH_BINARY + " " + args + " --out " + many.string() + " 2>&1";
  const testing::CliRun run = testing::shell(mpirun);
  const std::string& said = run.out;
  if (contains(said, "built without MPI")) GTEST_SKIP() << said;
  ASSERT_EQ(run.exit_code, 0) << said;
  EXPECT_TRUE(contains(said, "20 draws, seed 11 · 3 MPI ranks")) << said;
  EXPECT_EQ(said.find("US light-vehicle fleet"), said.rfind("US light-vehicle fleet"))
      << "rank 0 alone prints";
  for (const char* f : {"fleet_national.csv", "fleet_by_state.csv", "fleet.json", "chart_deaths.svg"})
    EXPECT_EQ(read_text(many / f), read_text(one / f)) << f;
}

struct BadSimulate {
  const char* args;
  const char* message;
};
void PrintTo(const BadSimulate& c, std::ostream* os) {
  *os << c.args;
}
class SimulateBadOptionTest : public ::testing::TestWithParam<BadSimulate> {};

TEST_P(SimulateBadOptionTest, ExitsTwoNamingTheOption) {
  ScratchDir dir;
  const auto r =
      keipath(std::string("simulate --quiet --out ") + (dir.path() / "sim").string() + " " + GetParam().args);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.out, GetParam().message)) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "sim" / "fleet.json")) << "nothing written";
}

INSTANTIATE_TEST_SUITE_P(
    Options, SimulateBadOptionTest,
    ::testing::Values(BadSimulate{"--draws 0", "--draws"}, BadSimulate{"--draws 2.5", "--draws"},
                      BadSimulate{"--by county", "--by: 'county' is not 'state'"},
                      BadSimulate{"--seed x1", "--seed"}, BadSimulate{"--last-year 2060", "--last-year"},
                      BadSimulate{"--threads 0", "--threads"},
                      BadSimulate{"no_such_scenario.toml", "no_such_scenario.toml"}),
    [](const ::testing::TestParamInfo<BadSimulate>& info) { return "Case" + std::to_string(info.index); });

// A scenario whose segment shares no longer add up to one: the model refuses it, naming the year.
TEST(SimulateCliTest, ScenarioThatBreaksTheSharesIsRefused) {
  ScratchDir dir;
  const auto scenario = dir.write("bad.toml", R"([scenario]
name = "shares-too-big"
description = "small cars take half the market from 2030 and nothing else gives way"

[[override]]
parameter = "fleet.segment.small_car.new_share"
from = 2030-01-01
value = 0.5
ref = "test"
)");
  const auto r =
      keipath("simulate " + scenario.string() + " --draws 2 --quiet --out " + (dir.path() / "sim").string());
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "2030: the segments' new_share values add up to")) << r.out;
}

}  // namespace
}  // namespace keipath::fleet
