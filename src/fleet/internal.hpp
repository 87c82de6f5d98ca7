// The fleet model's internals shared by its source files: one draw's resolved values.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "keipath/fleet.hpp"

namespace keipath::fleet {

// The pseudo-parameter whose uniform number draws the road table's shares (data/fleet/road_access.csv).
inline constexpr std::string_view kRoadTable = "fleet.road_access_table";

// A kei class taking more than this share of a state's new sales is outside the model: the demand is cut
// to it.
inline constexpr double kMaxKeiShare = 0.9;

// The day a year's values are read on (its middle), and the first day of a year.
inline Date mid_year(int year) {
  return Date(
      std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{7}, std::chrono::day{1}});
}
inline Date new_year(int year) {
  return Date(
      std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{1}, std::chrono::day{1}});
}

// One cell's stock-flow identity: `after` = `before` + `sales` + `imports` - `scrapped`, with no negative
// scrappage. An error naming `where` (draw, year, region, segment/powertrain) when it does not hold.
Result<void> check_stock_flow(double before, double sales, double imports, double scrapped, double after,
                              const std::string& where);

// The crash model's own-occupant death risk per involvement, segment (by curb mass) against partner
// segment, averaged over impact configurations.
std::array<std::array<double, kSegments>, kSegments> own_fatal_matrix(
    const CrashModel& crash, const std::array<double, kSegments>& mass);

// The share of a state's travel on roads a vehicle may use under what its road rule says (status and
// limits), with the road table's uncertain shares at `u` (point: their values). An unknown rule counts as
// allowed with probability `unknown_allows` on roads posted at most `unknown_mph`.
struct AccessDraw {
  double u = 0;
  bool point = true;
  double unknown_allows = 0.5, unknown_mph = 45, local_ordinance = 0.3, special_use = 0.03;
};
double road_share(const RoadAccessTable& t, const AccessDraw& d, double rural_share, RoadStatus status,
                  const RoadLimits& limits);

// The nested logit's answer to new kei shares: the car nest's baseline share, the kei car's and kei truck's
// target shares of all new sales, and the dissimilarity. Returns each nest's new share and the kei
// segment's share within it: (S'_car, a, S'_truck, b), with S'_car a = t_car and S'_truck b = t_truck.
struct NestShares {
  double car = 0, kei_in_car = 0, truck = 0, kei_in_truck = 0;
};
NestShares solve_nests(double car_share, double t_car, double t_truck, double lambda);

// The share of a cohort left at age `a` under a schedule fitted by `stretch` (lifetimes scale by it) and
// `kept` (the share of a cohort left after its first year, over the schedule's): S(0) = 1, S(a) = kept *
// schedule(a / stretch) from age 1.
inline double survival_at(const std::array<double, kAges>& s, double a, double stretch, double kept) {
  if (a < 1) return 1;
  const double x = a / stretch;
  if (x >= kMaxAge) return 0;
  const int i = static_cast<int>(x);
  const double f = x - i;
  return kept * (s[static_cast<size_t>(i)] + f * (s[static_cast<size_t>(i) + 1] - s[static_cast<size_t>(i)]));
}

// Every value of one draw, resolved year by year (index 0 is the base year).
struct FleetModel::Draw {
  int years = 0;
  // Calibrated on the base year.
  double stretch0 = 1, kept = 1, stock_scale = 1, vmt_scale = 1, fuel_factor = 1, lambda_mv = 0, rho_sv = 0,
         omega_other = 0;
  double lifetime_trend = 0, sales_growth = 0, elasticity = 0, rebound = 0, mpg_improvement = 0;
  double hybrid_mpg_ratio = 1, kwh_per_mile = 0, co2_per_gallon = 0, kei_odds = 1;
  double imports_per_year = 0, import_age = 25, import_growth_10y = 1;
  double households = 1, death_trend = 0;
  double kei_expansion = 0;  // fleet.kei.market_expansion: the part of kei buyers new to the market
  // Base-year targets (drawn where uncertain).
  double target_vmt = 0, target_gasoline = 0, target_deaths = 0, share_mv = 0, share_sv = 0;
  double base_sales = 0, base_avg_price = 0;
  std::array<double, kSegments> new_mpg{}, mass{}, sv_ratio{}, kwh_factor{};
  int mpg_model_year = 0;
  struct Year {
    std::array<double, kSegments> segment_share{}, price{};  // national (sales-weighted over states)
    // The parameters' segment shares, before any kei demand: the fixed mix of the total-sales price index.
    std::array<double, kSegments> share_without_kei{};
    std::array<double, kPowertrains> powertrain_share{}, price_ratio{};
    // Each segment's powertrain split (the year's shares, or battery-electric only for a kei segment of an
    // EV-only class).
    std::array<std::array<double, kPowertrains>, kSegments> segment_powertrain{};
    double grid_co2 = 0, gasoline_price = 0, electricity_price = 0;
    double imports = 0;   // used kei trucks imported
    int import_age = 25;  // the age they are imported at
    // With a kei pathway: each state's segment shares of its new sales (51), and the share of travel on
    // roads new kei vehicles may use, sales-weighted over states.
    std::vector<std::array<double, kSegments>> state_share;
    // Each state's new sales over what they would be without new kei vehicles: 1 / (1 - m t), t the kei
    // share and m the part of kei buyers who would otherwise buy no new vehicle (fleet.kei.market_expansion).
    std::vector<double> state_expansion;
    // Each state's miles factor for new kei cars and kei trucks: the share of its travel on roads they may
    // use, to the power fleet.kei.miles_access_elasticity (empty where none is sold).
    std::vector<std::array<double, 2>> state_kei_miles;
    double kei_access = 0, expansion = 1;

    // The average new-vehicle price of the year's mix without new kei vehicles: what the total-sales price
    // response answers to (a new cheap segment changes the mix, not the price of what was bought).
    double price_index() const {
      double p = 0;
      for (size_t g = 0; g < kSegments; ++g)
        for (size_t k = 0; k < kPowertrains; ++k)
          p += share_without_kei[g] * segment_powertrain[g][k] * price[g] * price_ratio[k];
      return p;
    }
  };
  std::vector<Year> by_year;
  std::array<std::array<std::array<double, kAges>, kPowertrains>, kSegments> base_stock{};
  // The crash model's risks under this draw's crash parameters and masses (see FleetModel::own_fatal_).
  std::array<std::array<double, kSegments>, kSegments> own_fatal{};
};

}  // namespace keipath::fleet
