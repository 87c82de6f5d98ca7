// Two-vehicle crash safety: how a vehicle fares against a partner fleet.
//
// Physics (collinear, central impact): with masses m1, m2 (curb mass plus an occupant), closing speed vc and
// restitution e, delta-V1 = (1 + e) m2 / (m1 + m2) vc and delta-V2 = (1 + e) m1 / (m1 + m2) vc, so momentum
// is conserved and delta-V1 / delta-V2 = m2 / m1 whatever e is. Injury risk: logistic curves of delta-V with
// a side and a rear term (data/models/crash.toml). Impact kinds: frontal (both fronts), front-to-side and
// front-to-rear, where the vehicle strikes or is struck with equal chance; the struck vehicle's occupant
// takes the side or rear term, the striking one the frontal.
//
// Monte Carlo: each parameter draw (draw 0 is the point values; the others draw every uncertain parameter
// uniformly from its low-high range) samples collisions: a partner segment by fleet share, its curb mass
// uniform in the segment's range, an impact kind by the kind shares, a lognormal closing speed. The expected
// probability of each outcome is averaged (not a 0/1 draw), which gives the same mean with less noise. Random
// numbers are a counter-based hash of (seed, draw, collision index), so results do not depend on the number
// of threads, and every run with the same seed is identical.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/determination.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"

namespace keipath {

enum class ForceDirection : uint8_t { front, side, rear };

struct DeltaV {
  double first_kmh = 0;
  double second_kmh = 0;
};
// Delta-V of two colliding vehicles of masses m1, m2 (kg) at closing speed vc (km/h).
DeltaV delta_v(double m1_kg, double m2_kg, double closing_kmh, double restitution);

struct RiskCurve {
  double intercept = 0;
  double slope_per_kmh = 0;
  double side = 0;
  double rear = 0;
  // Probability of the outcome at a delta-V, for the direction of the force; odds scaled by `odds_ratio`.
  double probability(double delta_v_kmh, ForceDirection d, double odds_ratio = 1.0) const;
};

// Every number the model needs, resolved for one date and one parameter draw.
struct CrashModel {
  double restitution = 0;
  double occupant_kg = 0;
  double speed_median_kmh = 0;
  double speed_sigma = 0;
  double share_frontal = 0, share_side = 0, share_rear = 0;
  RiskCurve fatal, mais3;
  double kei_odds_ratio = 1;  // applied to the vehicle asked about when it is a kei vehicle
};

struct CrashPartner {
  std::string id, name;
  bool segment = false;  // a fleet segment (with a share), else a reference vehicle
  double share = 0;
  double mass_min_kg = 0, mass_max_kg = 0;
  std::string source;
  Confidence confidence = Confidence::unstated;
  std::string note;
};

// data/vehicles/crash_partners.csv: fleet segments (shares summing to 1) and reference vehicles.
class CrashPartners {
 public:
  static Result<CrashPartners> parse(std::string_view csv_text, std::string_view label);
  const std::vector<CrashPartner>& all() const { return rows_; }
  std::vector<const CrashPartner*> fleet() const;
  const CrashPartner* find(std::string_view id) const;

 private:
  std::vector<CrashPartner> rows_;
};

enum CrashKind : int { kFrontal = 0, kSide = 1, kRear = 2 };
inline constexpr int kCrashKinds = 3;

// Sums over sampled collisions, by impact kind.
struct CrashSums {
  std::array<double, kCrashKinds> own_fatal{}, partner_fatal{}, own_mais3{}, partner_mais3{};
  std::array<double, kCrashKinds> own_fatal_sq{};  // for the sampling error
  std::array<int64_t, kCrashKinds> n{};
  void add(const CrashSums& o);
};

// The collisions [begin, end) of one draw: a vehicle of `own_kg` against partners sampled from `partners`
// (weights are their shares; a single reference vehicle has weight 1).
struct PartnerSampler {
  std::vector<float> cumulative;  // ascending, last = 1
  std::vector<float> mass_min, mass_max;
};
PartnerSampler make_sampler(const std::vector<const CrashPartner*>& partners);
void sample_collisions(const CrashModel& m, const PartnerSampler& partners, double own_kg, bool own_is_kei,
                       uint64_t key, uint64_t begin, uint64_t end, CrashSums& out);

struct Interval {
  double mean = 0;  // over the point-value draw
  double lo = 0, hi = 0;
};

// `point` with the 2.5th-97.5th percentiles of `values` (the point itself when there are none).
Interval percentile_interval(std::vector<double> values, double point);

// One vehicle against one partner set: per kind and overall (index kCrashKinds), with a 95 % interval from
// the sampling (point draw) and one from the parameter draws (2.5th-97.5th percentiles).
struct RiskSummary {
  std::array<Interval, kCrashKinds + 1> own_fatal_sampling, own_fatal_params, partner_fatal_params,
      own_mais3_params, partner_mais3_params;
  std::vector<double> own_fatal_by_draw;  // overall, one per draw (draw 0 = point values)
  std::vector<double> partner_fatal_by_draw;
};

struct SimulationOptions {
  int draws = 100;            // parameter draws, including the point-value draw 0
  int64_t samples = 200'000;  // collisions per draw
  uint64_t seed = 1;
  int threads = 1;
};

class CrashRule {
 public:
  static Result<CrashRule> bind(const ParamStore& params, CrashPartners partners);

  // The model on a date with point values (draw 0) or with every uncertain parameter drawn (draw >= 1).
  CrashModel model(Date date, int draw, uint64_t seed) const;
  // The parameters behind the model, for citations.
  std::vector<Citation> citations(Date date) const;

  RiskSummary simulate(double own_curb_kg, bool own_is_kei, const std::vector<const CrashPartner*>& partners,
                       Date date, const SimulationOptions& o) const;

  // Expected probability per crash without sampling, by quadrature over the closing-speed distribution (point
  // values): the risk table the fleet simulation uses. Returns {own fatal, partner fatal, own MAIS3+, partner
  // MAIS3+} for a vehicle of `own_kg` against one of `partner_kg` (curb masses) in one impact configuration.
  struct TableCell {
    double own_fatal, partner_fatal, own_mais3, partner_mais3;
  };
  enum class Configuration : uint8_t { frontal, side_striking, side_struck, rear_striking, rear_struck };
  static constexpr size_t kConfigurations = 5;
  TableCell expected(double own_kg, double partner_kg, Configuration c, Date date) const;
  // The same under a given model (a parameter draw: model(date, draw, seed)).
  static TableCell expected(double own_kg, double partner_kg, Configuration c, const CrashModel& m);
  // Every configuration in one pass (they share the delta-Vs), indexed by Configuration; without
  // `injuries` the MAIS 3+ risks are left at 0 (the fleet simulation needs deaths only).
  static std::array<TableCell, kConfigurations> expected_all(double own_kg, double partner_kg,
                                                             const CrashModel& m, bool injuries = true);

  const CrashPartners& partners() const { return partners_; }

 private:
  CrashPartners partners_;
  const Parameter* restitution_ = nullptr;
  const Parameter* occupant_ = nullptr;
  const Parameter* speed_median_ = nullptr;
  const Parameter* speed_sigma_ = nullptr;
  const Parameter* share_frontal_ = nullptr;
  const Parameter* share_side_ = nullptr;
  const Parameter* share_rear_ = nullptr;
  const Parameter* fatal_a_ = nullptr;
  const Parameter* fatal_b_ = nullptr;
  const Parameter* fatal_side_ = nullptr;
  const Parameter* fatal_rear_ = nullptr;
  const Parameter* mais3_a_ = nullptr;
  const Parameter* mais3_b_ = nullptr;
  const Parameter* mais3_side_ = nullptr;
  const Parameter* mais3_rear_ = nullptr;
  const Parameter* kei_odds_ = nullptr;
};

}  // namespace keipath
