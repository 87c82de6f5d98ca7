// The US light-vehicle fleet, year by year from a calibrated base year to 2050, with Monte Carlo bands.
//
// State: per region (the US, or each of the 51 jurisdictions) the stock by segment x powertrain x age
// (0-40). Each year: the survivors of last year's stock age by one year (survival schedules by segment,
// stretched by the calibrated lifetime and its trend); new sales (a national total with a price response,
// split by segment and powertrain share and by region) enter at age 0; used imports enter at their age.
// Travel is miles per vehicle by age and segment (scaled so the base year's total is the published one,
// with a rebound on cost per mile); energy is travel over on-road fuel economy by model year, or kWh per
// mile; CO2 is gallons times the tailpipe factor plus kWh times the grid's intensity. Deaths: multi-vehicle
// occupant deaths are involvements (per mile, calibrated) times the crash model's per-involvement death
// risk for the segment against the year's partner mix (CrashRule::expected, own side, so each crash is
// counted once); single-vehicle occupant deaths a per-mile rate by segment; other road deaths a per-mile
// rate; each calibrated to the base year's published deaths. Spending: new-vehicle purchases plus energy.
//
// Kei vehicles (src/fleet/demand.cpp): new ones are sold only in years a federal pathway in the rule base
// allows (a US small-vehicle class, or Part 555 exemptions), and in each state as its road rule allows
// (StateRoadRule, asked once per state and year at bind). Their share of a state's sales is a reference share
// times price, fuel-cost, road-access and supply factors, taken from the other segments by a nested logit
// over car and truck nests; a part of their buyers is new to the market. Where they are sold, the 51 states
// are projected and the nation is their sum. Used imports follow Japan's eligible stock at the import age.
// A scenario and its baseline run on the same draws (run_paired): their difference draw by draw, and a
// tornado of one parameter at a time (tornado).
//
// Invariants, checked in every draw, year, region and cell (an error, never a log line): last year's stock
// + sales + imports - scrappage = this year's stock; miles equal the sum over vehicles; no stock, flow or
// death count is negative; shares sum to one.
//
// Every number is a parameter (data/models/fleet.toml) or a table (data/fleet/*.csv), each cited. A
// parameter with a low-high range is drawn uniformly from it, once per draw (draw 0 is the point values);
// the uniform number is a hash of (seed, draw, parameter name), so a draw does not depend on thread count,
// on the order parameters are read, or on which other parameters exist: two scenarios with the same seed
// share their random numbers (paired draws).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/catalog.hpp"
#include "keipath/crash.hpp"
#include "keipath/determination.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"
#include "keipath/us_states.hpp"

namespace keipath::fleet {

inline constexpr int kSegments = 7;
inline constexpr int kPowertrains = 3;
inline constexpr int kMaxAge = 40;
inline constexpr int kAges = kMaxAge + 1;
enum Powertrain : int { kIce = 0, kHybrid = 1, kBev = 2 };
std::string_view powertrain_id(int p);

// A segment: its id and how its vehicles age and travel (the schedules of data/fleet/survival.csv and
// vmt_by_age.csv), and which group of the sales history it belongs to. Numbers about it are parameters
// named fleet.segment.<id>.*.
struct Segment {
  std::string id, name;
  std::string schedule;       // a column of survival.csv and vmt_by_age.csv
  std::string history_group;  // "car", "light_truck" or "none" (no sales before the base year)
  bool kei = false;
  // For a kei segment: the catalog row ("Suzuki Carry DA16T") whose measurements stand for a new vehicle of
  // the segment when the states' road rules are asked about it, and for the used imports (kei_truck).
  std::string representative, used_representative;
  // The nest of the choice model its buyers choose in: "car" or "truck".
  std::string nest;
};

struct Region {
  std::string code, name;
  double stock_share = 0;      // of the national stock (and of new sales)
  double vmt_per_vehicle = 1;  // relative to the national average
  double death_rate = 1;       // deaths per mile relative to the national rate
  double rural_share = 0;      // of its travel, on rural roads
};

// data/fleet/road_access.csv: how a state's travel splits over road systems, and how much of each system's
// travel is on roads posted at most 25, 35, 45, 55, 65 and 85 mph (the highest US limit), on
// controlled-access roads and on numbered highways. A share with a range is drawn with one uniform number for
// the whole table per draw.
struct RoadAccessTable {
  static constexpr std::array<int, 6> kCaps = {25, 35, 45, 55, 65, 85};
  static constexpr int kSystems = 4;  // interstate, other arterial, collector, local
  struct Share {
    double value = 0, low = 0, high = 0;
    double at(double u, bool point) const { return point ? value : low + u * (high - low); }
  };
  struct System {
    Share vmt_share, limited_access, numbered_highway;
    std::array<Share, kCaps.size()> posted;  // posted at most kCaps[i] mph
  };
  std::array<std::array<System, kSystems>, 2> areas;  // [urban, rural]
};

// The tables under data/fleet/: every row carries its source.
struct FleetTables {
  std::vector<Segment> segments;                        // kSegments, in a fixed order
  std::vector<std::string> schedule_names;              // columns of the schedules
  std::vector<std::array<double, kAges>> survival;      // by schedule: share of a cohort left at age a
  std::vector<std::array<double, kAges>> miles_by_age;  // by schedule: miles per vehicle at age a
  struct SalesYear {
    int year = 0;
    double total = 0, car_share = 0, hybrid_share = 0, bev_share = 0;
  };
  std::vector<SalesYear> sales_history;  // consecutive years, the last the base year
  struct MpgYear {
    int model_year = 0;
    double mpg = 0;  // real-world, all new light vehicles
  };
  std::vector<MpgYear> mpg_history;  // consecutive model years
  std::vector<Region> regions;       // the 51 jurisdictions
  RoadAccessTable road_access;
  // data/fleet/checks.csv: the published figures a run is compared with. A calibrated one names the
  // parameter the model is fitted to (its value is the figure); a check gives the figure and its source.
  struct Check {
    std::string id, what, metric, unit;  // metric: a metric id, or "a/b" for a ratio of two
    int year = 0;
    double published = 0, tolerance = 0;
    bool calibrated = false;
    std::string parameter, source, where;
  };
  std::vector<Check> checks;
  std::vector<std::filesystem::path> files;

  static Result<FleetTables> load(const std::filesystem::path& data_dir);
  int schedule_index(std::string_view name) const;
};

// Outputs, per region and year. National runs have every metric; state rows the first kStateMetrics.
enum Metric : int {
  kStock,
  kSales,
  kVmt,
  kGasoline,
  kElectricity,
  kCo2,
  kDeaths,
  kKeiStock,
  kKeiSales,
  kSpending,  // by state too
  kScrappage,
  kImports,
  kAverageAge,
  kBevShareSales,
  kBevShareStock,
  kDeathsMultiVehicle,
  kDeathsSingleVehicle,
  kDeathsOther,
  kDeathsKeiOccupants,
  kDeathsKeiPartners,
  kSpendingVehicles,
  kSpendingEnergy,
  kSpendingPerHousehold,
  kDeathsNotInvolvingKei,  // road deaths less kei occupants and the occupants of vehicles they meet
  kKeiAccess,              // new kei vehicles' share of travel on roads they may use, sales-weighted
  kStockSegment0,          // then one stock metric per segment
  kMetrics = kStockSegment0 + kSegments
};
inline constexpr int kStateMetrics = kSpending + 1;
struct MetricInfo {
  std::string id, unit, title;
};
// The id, unit and title of a metric (the segment stock metrics take their segment's id).
MetricInfo metric_info(int metric, const FleetTables& tables);

// One uncertain parameter held at an end of its range (u = 0 for low, 1 for high) while every other one
// takes its value: a tornado's swing. The name "fleet.road_access_table" swings the road table.
struct Swing {
  std::string name;
  double u = 0;
};

struct RunOptions {
  int draws = 1000;  // including draw 0, the point values
  uint64_t seed = 1;
  int threads = 1;
  bool by_state = false;
  int last_year = 2050;
  // Called now and then from the thread running draws, with the number of draws finished.
  std::function<void(int done)> progress;
  // Runs only draws [first_draw, first_draw + draws): MPI ranks each run a slice of the same draws.
  int first_draw = 0;
};

// One draw's outputs: values[(region * years + year) * kMetrics + metric], region 0 the US.
struct DrawOutputs {
  std::vector<double> values;
  // What the base year fitted: the survival schedules' stretch and power, the miles and fuel scales, the
  // death rates per mile.
  std::vector<std::pair<std::string, double>> fitted;
};

// Every draw's outputs, laid out for percentiles: values[((region * years + year) * metrics + metric) *
// draws + draw] (state regions hold kStateMetrics metrics).
struct FleetRun {
  int first_year = 0, last_year = 0, draws = 0;
  uint64_t seed = 0;
  bool by_state = false;
  std::vector<float> national;  // years x kMetrics x draws
  std::vector<float> states;    // 51 x years x kStateMetrics x draws
  int years() const { return last_year - first_year + 1; }
};

// 5th, 50th and 95th percentiles over draws, and draw 0 (the point values).
struct Band {
  double p05 = 0, p50 = 0, p95 = 0, point = 0;
};

// A published figure the base year is held to: calibrated (the model is fitted to it) or checked (it is
// not). Reported with every run, and pinned by tests.
struct CalibrationFigure {
  std::string id, what, unit;
  int year = 0;
  double published = 0, modelled = 0, tolerance = 0;  // tolerance: allowed |modelled/published - 1|
  bool calibrated = false;
  std::string source;
};

struct Calibration {
  std::vector<CalibrationFigure> figures;
  std::vector<std::pair<std::string, double>> fitted;  // of draw 0
};

class FleetModel {
 public:
  // The law the kei segments live under is read here, once: for every state and year, what the state's road
  // rule (StateRoadRule, the same rule `keipath states` answers with) says of a new kei vehicle certified to
  // the scenario's class and of a used import, and in which years a federal pathway lets new kei vehicles be
  // sold.
  static Result<FleetModel> bind(const ParamStore& params, const CrashRule& crash, const StateRoadRule& roads,
                                 const Catalog& catalog, FleetTables tables);

  // One draw, every region when by_state (region 0 is always the national total). Errors: a broken
  // invariant, named by draw, year, region, segment and powertrain.
  Result<DrawOutputs> run_draw(int draw, uint64_t seed, bool by_state, int last_year,
                               const Swing* swing = nullptr) const;
  // Draws on `threads` threads; the result does not depend on the number of threads.
  Result<FleetRun> run(const RunOptions& o) const;

  // The base year's published figures against the point-value draw.
  Result<Calibration> calibration() const;
  std::vector<Citation> citations() const;
  // The uncertain parameters a swing may move (those with a range in some year), with the road table.
  std::vector<std::string> uncertain_parameters() const;
  // Whether new kei vehicles may be sold in any year (then every draw projects the 51 states, and the
  // nation is their sum).
  bool kei_pathway_open() const { return needs_states_; }
  // The year's federal pathway for new kei vehicles, in words, and the states' rules as counted for it.
  struct LawYear {
    int year = 0;
    std::string pathway;  // "none", "small_class", "part555"
    bool bev_only = false;
    double import_age = 25;
    std::array<int, kRoadStatusCount> car_status{}, truck_status{};  // counts over the 51 states
  };
  const std::vector<LawYear>& law_years() const { return law_years_; }
  const FleetTables& tables() const { return tables_; }
  int base_year() const { return base_year_; }

 private:
  struct Draw;
  Result<Draw> resolve(int draw, uint64_t seed, const Swing* swing) const;
  // The law of the kei segments (src/fleet/demand.cpp): the states' answers, the pathway years.
  Result<void> bind_law(const StateRoadRule& roads, const Catalog& catalog);
  // A draw's kei demand and used imports, year by year and state by state, into d.by_year. `value` reads a
  // parameter in a year as resolve does; the road table's shares are at `table_u` (point: their values).
  Result<void> resolve_demand(Draw& d, const std::function<double(std::string_view, int)>& value,
                              double table_u, bool point) const;

  const ParamStore* params_ = nullptr;
  const CrashRule* crash_ = nullptr;
  FleetTables tables_;
  int base_year_ = 0;
  // The crash model's own-occupant death risk per involvement, segment against partner segment,
  // averaged over impact configurations (point values on the base year; a draw >= 1 draws the crash
  // model's uncertain parameters too, with the same seed and draw).
  std::array<std::array<double, kSegments>, kSegments> own_fatal_{};
  std::vector<std::string> used_;  // parameter names read, for citations

 public:
  // What a state's rule says of one kind of kei vehicle in one year, reduced to what road access needs.
  struct Access {
    RoadStatus status = RoadStatus::unknown;
    RoadLimits limits;
  };
  enum AccessKind : int { kNewCar = 0, kNewTruck = 1, kUsed = 2, kAccessKinds = 3 };

 private:
  // access_[(kind * years + year) * 51 + state], years from the base year to 2050.
  std::vector<Access> access_;
  std::vector<LawYear> law_years_;
  double pathway_opens_ = 0;     // the year (with its fraction) new kei vehicles may first be sold; 0: never
  std::array<size_t, 2> kei_{};  // the kei segments of the car and the truck nest
  bool needs_states_ = false;
};

// Percentiles of one series: the draws of `values` at [offset, offset + draws).
Band band_of(const std::vector<float>& values, size_t offset, int draws);
Band national_band(const FleetRun& run, int year_index, int metric);
Band state_band(const FleetRun& run, int region, int year_index, int metric);

// Files written by write_outputs: the yearly tables (CSV, long form: year, region, metric, unit, p05, p50,
// p95, point), a JSON document with provenance and the calibration figures, and SVG charts.
struct OutputFiles {
  std::vector<std::filesystem::path> written;
};
struct Provenance {
  std::string scenario, content_hash, version;
};
Result<OutputFiles> write_outputs(const FleetModel& model, const FleetRun& run,
                                  const Calibration& calibration, const Provenance& p,
                                  const std::filesystem::path& dir);
// The SVG chart of one national metric: median line and 5-95 band, years on the x axis, the unit on the
// y axis, the scenario and draw count in the title, published figures as points.
std::string chart_svg(const FleetModel& model, const FleetRun& run, int metric, const Provenance& p,
                      const std::vector<CalibrationFigure>& calibration, bool difference = false);

// A scenario against a baseline on the same draws and seed (common random numbers): both runs, and the
// difference scenario - baseline computed draw by draw, whose band is that of the paired differences.
struct PairedRun {
  FleetRun scenario, baseline, difference;
};
Result<PairedRun> run_paired(const FleetModel& scenario, const FleetModel& baseline, const RunOptions& o);

// One row of a tornado table: a headline difference in a year with one parameter at its low and high end.
struct TornadoRow {
  std::string metric, parameter;
  int year = 0;
  double at_point = 0, at_low = 0, at_high = 0;
  double swing() const { return std::abs(at_high - at_low); }
};
// The headline metrics and years of the tornado: kei sales and stock, CO2, fuel, deaths and spending per
// household in 2035 and 2050; rows sorted by swing within each metric and year.
inline constexpr std::array<int, 6> kTornadoMetrics = {kKeiSales, kKeiStock, kCo2,
                                                       kGasoline, kDeaths,   kSpendingPerHousehold};
Result<std::vector<TornadoRow>> tornado(const FleetModel& scenario, const FleetModel& baseline, uint64_t seed,
                                        std::vector<int> years, int threads);

struct DifferenceOutputs {
  const PairedRun* run = nullptr;
  std::vector<TornadoRow> tornado;
  Provenance baseline;
};
// difference_national.csv (and difference_by_state.csv), difference.json, tornado.csv and
// chart_difference_*.svg.
Result<OutputFiles> write_difference_outputs(const FleetModel& model, const DifferenceOutputs& d,
                                             const Provenance& p, const std::filesystem::path& dir);

}  // namespace keipath::fleet
