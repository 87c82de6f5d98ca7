// One draw's projection, base year to the last year, for the nation and (by state) each jurisdiction, with
// its invariants checked as it goes (see fleet.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "fleet/internal.hpp"

namespace keipath::fleet {
namespace {

using Cells = std::array<std::array<std::array<double, kAges>, kPowertrains>, kSegments>;

// Per-year factors that do not depend on the region.
struct YearFactors {
  std::vector<std::array<double, kAges>> survive;  // by schedule: share of age a-1 that reaches age a
  Cells miles{};             // miles per vehicle (calibrated scale and rebound included)
  Cells gallons_per_mile{};  // 0 for battery-electric cells
  Cells kwh_per_mile{};      // 0 for the others
  double sales = 0;
};

struct Sums {
  double stock = 0, sales = 0, scrappage = 0, imports = 0, age_sum = 0, vmt = 0, gasoline = 0, kwh = 0,
         deaths_mv = 0, deaths_sv = 0, deaths_other = 0, deaths_kei = 0, deaths_kei_partners = 0,
         kei_stock = 0, kei_sales = 0, bev_sales = 0, bev_stock = 0, spend_vehicles = 0, spend_energy = 0,
         co2 = 0;
  std::array<double, kSegments> segment_stock{}, segment_vmt{};

  // Every field is a count or an amount, so a nation's sums are its states'.
  Sums& operator+=(const Sums& o) {
    for (auto [a, b] : {std::pair{&stock, o.stock},
                        {&sales, o.sales},
                        {&scrappage, o.scrappage},
                        {&imports, o.imports},
                        {&age_sum, o.age_sum},
                        {&vmt, o.vmt},
                        {&gasoline, o.gasoline},
                        {&kwh, o.kwh},
                        {&deaths_mv, o.deaths_mv},
                        {&deaths_sv, o.deaths_sv},
                        {&deaths_other, o.deaths_other},
                        {&deaths_kei, o.deaths_kei},
                        {&deaths_kei_partners, o.deaths_kei_partners},
                        {&kei_stock, o.kei_stock},
                        {&kei_sales, o.kei_sales},
                        {&bev_sales, o.bev_sales},
                        {&bev_stock, o.bev_stock},
                        {&spend_vehicles, o.spend_vehicles},
                        {&spend_energy, o.spend_energy},
                        {&co2, o.co2}})
      *a += b;
    for (size_t g = 0; g < kSegments; ++g) {
      segment_stock[g] += o.segment_stock[g];
      segment_vmt[g] += o.segment_vmt[g];
    }
    return *this;
  }
};

// One region-year's outputs from its sums.
void fill_metrics(const Sums& s, double households, double kei_access, double* v) {
  v[kStock] = s.stock;
  v[kSales] = s.sales;
  v[kVmt] = s.vmt;
  v[kGasoline] = s.gasoline;
  v[kElectricity] = s.kwh;
  v[kCo2] = s.co2;
  v[kDeaths] = s.deaths_mv + s.deaths_sv + s.deaths_other;
  v[kKeiStock] = s.kei_stock;
  v[kKeiSales] = s.kei_sales;
  v[kSpending] = s.spend_vehicles + s.spend_energy;
  v[kScrappage] = s.scrappage;
  v[kImports] = s.imports;
  v[kAverageAge] = s.age_sum / s.stock;
  v[kBevShareSales] = s.bev_sales / s.sales;
  v[kBevShareStock] = s.bev_stock / s.stock;
  v[kDeathsMultiVehicle] = s.deaths_mv;
  v[kDeathsSingleVehicle] = s.deaths_sv;
  v[kDeathsOther] = s.deaths_other;
  v[kDeathsKeiOccupants] = s.deaths_kei;
  v[kDeathsKeiPartners] = s.deaths_kei_partners;
  v[kDeathsNotInvolvingKei] = v[kDeaths] - s.deaths_kei - s.deaths_kei_partners;
  v[kKeiAccess] = kei_access;
  v[kSpendingVehicles] = s.spend_vehicles;
  v[kSpendingEnergy] = s.spend_energy;
  v[kSpendingPerHousehold] = (s.spend_vehicles + s.spend_energy) / households;
  for (size_t g = 0; g < kSegments; ++g) v[kStockSegment0 + g] = s.segment_stock[g];
}

}  // namespace

Result<DrawOutputs> FleetModel::run_draw(int draw, uint64_t seed, bool by_state, int last_year,
                                         const Swing* swing) const {
  auto resolved = resolve(draw, seed, swing);
  if (!resolved) return std::unexpected(resolved.error());
  const Draw& d = *resolved;
  const int B = base_year_;
  const int years = std::min(d.years, last_year - B + 1);
  if (years < 2)
    return fail(fmt::format("fleet: the last year {} is not after the base year {}", last_year, B));
  const auto& segs = tables_.segments;
  const size_t G = segs.size();
  std::vector<size_t> schedule(G);
  for (size_t g = 0; g < G; ++g) schedule[g] = static_cast<size_t>(tables_.schedule_index(segs[g].schedule));
  const size_t import_segment = [&] {
    for (size_t g = 0; g < G; ++g)
      if (segs[g].id == "kei_truck") return g;
    return G;
  }();

  // New-vehicle fuel economy by model year: the history's index on the segment's reference model year,
  // improving by mpg_improvement a year after the history ends.
  const auto& mh = tables_.mpg_history;
  auto mpg_index = [&](int my) {
    auto at = [&](int y) {
      const int i = std::clamp(y - mh.front().model_year, 0, static_cast<int>(mh.size()) - 1);
      return mh[static_cast<size_t>(i)].mpg;
    };
    double v = at(my);
    if (my > mh.back().model_year) v *= std::pow(1 + d.mpg_improvement, my - mh.back().model_year);
    return v / at(d.mpg_model_year);
  };

  // Region-independent factors, year by year. The rebound compares each cell's cost per mile with the base
  // year's average.
  std::vector<YearFactors> f(static_cast<size_t>(years));
  double cpm_ref = 0;
  for (int i = 0; i < years; ++i) {
    YearFactors& y = f[static_cast<size_t>(i)];
    const auto& yv = d.by_year[static_cast<size_t>(i)];
    const double stretch = d.stretch0 * std::pow(1 + d.lifetime_trend, i);
    y.survive.assign(tables_.survival.size(), {});
    for (size_t s = 0; s < tables_.survival.size(); ++s) {
      const auto& sv = tables_.survival[s];
      for (int a = 1; a < kAges; ++a) {
        auto left = [&](double age) { return survival_at(sv, age, stretch, d.kept); };
        const double before = left(a - 1);
        y.survive[s][static_cast<size_t>(a)] = before > 0 ? std::min(1.0, left(a) / before) : 0.0;
      }
    }
    Cells cpm{};
    for (size_t g = 0; g < G; ++g)
      for (int a = 0; a < kAges; ++a) {
        const double mpg = d.new_mpg[g] * mpg_index(B + i - a);
        const double kwh = d.kwh_per_mile * d.kwh_factor[g];
        const size_t ai = static_cast<size_t>(a);
        y.gallons_per_mile[g][kIce][ai] = 1 / mpg;
        y.gallons_per_mile[g][kHybrid][ai] = 1 / (mpg * d.hybrid_mpg_ratio);
        y.kwh_per_mile[g][kBev][ai] = kwh;
        for (int p = 0; p < kPowertrains; ++p) {
          const size_t pi = static_cast<size_t>(p);
          cpm[g][pi][ai] = y.gallons_per_mile[g][pi][ai] * yv.gasoline_price +
                           y.kwh_per_mile[g][pi][ai] * yv.electricity_price;
        }
      }
    if (i == 0) {
      double w = 0, sum = 0;
      for (size_t g = 0; g < G; ++g)
        for (size_t p = 0; p < kPowertrains; ++p)
          for (size_t a = 0; a < kAges; ++a) {
            const double m = d.base_stock[g][p][a] * tables_.miles_by_age[schedule[g]][a];
            w += m;
            sum += m * cpm[g][p][a];
          }
      cpm_ref = sum / w;
    }
    for (size_t g = 0; g < G; ++g)
      for (size_t p = 0; p < kPowertrains; ++p)
        for (size_t a = 0; a < kAges; ++a)
          y.miles[g][p][a] =
              tables_.miles_by_age[schedule[g]][a] * std::pow(cpm[g][p][a] / cpm_ref, d.rebound);
    // National new sales: the base year's (the history's last), then growing, with the price response.
    // The price response is to the mix without new kei vehicles (price_index); their extra buyers are the
    // expansion.
    y.sales = d.base_sales * std::pow(1 + d.sales_growth, i) *
              std::pow(yv.price_index() / d.base_avg_price, d.elasticity) * yv.expansion;
  }

  DrawOutputs out;
  // Calibration on the base year (national): miles, gasoline and the three kinds of deaths.
  double vmt_scale = 1, fuel_factor = 1, lambda = 0, rho = 0, omega = 0;
  {
    double vmt = 0, gal = 0;
    std::array<double, kSegments> v{};
    for (size_t g = 0; g < G; ++g)
      for (size_t p = 0; p < kPowertrains; ++p)
        for (size_t a = 0; a < kAges; ++a) {
          const double m = d.base_stock[g][p][a] * f[0].miles[g][p][a];
          vmt += m;
          v[g] += m;
          gal += m * f[0].gallons_per_mile[g][p][a];
        }
    vmt_scale = d.target_vmt / vmt;
    fuel_factor = gal * vmt_scale / d.target_gasoline;
    double mv = 0, sv = 0;
    for (size_t g = 0; g < G; ++g) {
      double risk = 0;
      for (size_t h = 0; h < G; ++h) risk += v[h] / vmt * d.own_fatal[g][h] * (segs[g].kei ? d.kei_odds : 1);
      mv += v[g] * vmt_scale * risk;
      sv += v[g] * vmt_scale * d.sv_ratio[g];
    }
    const double deaths = d.target_deaths;
    const double share_mv = d.share_mv, share_sv = d.share_sv;
    if (share_mv + share_sv > 1)
      return fail(
          fmt::format("fleet: draw {}: multi- and single-vehicle shares of deaths add up to {} (more than 1)",
                      draw, share_mv + share_sv));
    lambda = deaths * share_mv / mv;
    rho = deaths * share_sv / sv;
    omega = deaths * (1 - share_mv - share_sv) / (vmt * vmt_scale);
  }
  for (auto& y : f)
    for (auto& g : y.miles)
      for (auto& p : g)
        for (double& m : p) m *= vmt_scale;
  for (auto& y : f)
    for (auto& g : y.gallons_per_mile)
      for (auto& p : g)
        for (double& x : p) x /= fuel_factor;

  out.fitted = {{"survival_stretch", d.stretch0},
                {"survival_kept_after_first_year", d.kept},
                {"miles_scale", vmt_scale},
                {"on_road_mpg_over_label", fuel_factor},
                {"multi_vehicle_involvement_scale", lambda},
                {"single_vehicle_deaths_per_mile", rho},
                {"other_deaths_per_mile", omega}};
  // Regions: the nation (0), then the states when asked; each projected on its own and checked. Where new
  // kei vehicles may be sold their shares differ by state, so the states are always projected and the
  // nation is their sum.
  std::vector<Region> regions{Region{"US", "United States", 1, 1, 1, 0}};
  const bool states = by_state || needs_states_;
  if (states) regions.insert(regions.end(), tables_.regions.begin(), tables_.regions.end());
  out.values.assign((by_state ? regions.size() : 1) * static_cast<size_t>(years) * kMetrics, 0.0);
  std::vector<Sums> state_total(static_cast<size_t>(years));

  for (size_t r = needs_states_ ? 1 : 0; r < regions.size(); ++r) {
    const Region& reg = regions[r];
    // The region's segment shares of new sales in year i (the nation's where they do not differ).
    auto share = [&](int i, size_t g) {
      const auto& yv = d.by_year[static_cast<size_t>(i)];
      return r > 0 && !yv.state_share.empty() ? yv.state_share[r - 1][g] : yv.segment_share[g];
    };
    // The region's new sales over the nation's per unit of stock share (1 without new kei vehicles).
    auto expansion = [&](int i) {
      const auto& yv = d.by_year[static_cast<size_t>(i)];
      return r > 0 && !yv.state_expansion.empty() ? yv.state_expansion[r - 1] / yv.expansion : 1.0;
    };
    Cells stock = d.base_stock;
    for (auto& g : stock)
      for (auto& p : g)
        for (double& n : p) n *= reg.stock_share;
    for (int i = 0; i < years; ++i) {
      const YearFactors& y = f[static_cast<size_t>(i)];
      const auto& yv = d.by_year[static_cast<size_t>(i)];
      const double trend = std::pow(1 + d.death_trend, i);
      Sums s;
      std::array<std::array<double, kPowertrains>, kSegments> sales{}, scrapped{}, imported{};
      if (i == 0) {
        // The base year's flows: its sales (the history), its imports, and the losses its cohorts had in
        // the year under the same survival.
        for (size_t g = 0; g < G; ++g)
          for (size_t p = 0; p < kPowertrains; ++p) {
            sales[g][p] = stock[g][p][0];  // the fitted schedule keeps all of age 0: S(0) = 1
            for (size_t a = 1; a < kAges; ++a) {
              const double sv = y.survive[schedule[g]][a];
              if (sv > 0) scrapped[g][p] += stock[g][p][a] * (1 / sv - 1);
            }
          }
        if (import_segment < G) imported[import_segment][kIce] = yv.imports * reg.stock_share;
      } else {
        Cells next{};
        for (size_t g = 0; g < G; ++g)
          for (size_t p = 0; p < kPowertrains; ++p) {
            const auto& sv = y.survive[schedule[g]];
            double before = 0, after = 0;
            for (size_t a = 0; a < kAges; ++a) before += stock[g][p][a];
            for (size_t a = 1; a < kAges; ++a) next[g][p][a] = stock[g][p][a - 1] * sv[a];
            sales[g][p] =
                y.sales * expansion(i) * share(i, g) * yv.segment_powertrain[g][p] * reg.stock_share;
            next[g][p][0] = sales[g][p];
            if (g == import_segment && p == kIce) {
              imported[g][p] = yv.imports * reg.stock_share;
              next[g][p][static_cast<size_t>(yv.import_age)] += imported[g][p];
            }
            double survived = 0;
            for (size_t a = 1; a < kAges; ++a) survived += next[g][p][a];
            scrapped[g][p] = before - (survived - imported[g][p]);
            for (size_t a = 0; a < kAges; ++a) after += next[g][p][a];
            // Stock-flow identity, per cell (the message is built only when it fails).
            const double expect = before + sales[g][p] + imported[g][p] - scrapped[g][p];
            if (std::abs(after - expect) > 1e-9 * std::max(1.0, after) ||
                scrapped[g][p] < -1e-9 * std::max(1.0, before)) {
              auto bad = check_stock_flow(before, sales[g][p], imported[g][p], scrapped[g][p], after,
                                          fmt::format("draw {}, {}, {}, {}/{}", draw, B + i, reg.name,
                                                      segs[g].id, powertrain_id(static_cast<int>(p))));
              if (!bad) return std::unexpected(bad.error());
            }
          }
        stock = next;
      }
      // New kei vehicles (younger than the import age) are driven on the roads they may use: their miles
      // scale by the state's factor. A kei vehicle that replaced another (all but the market-expansion
      // part) leaves the miles it cannot drive to the region's other vehicles (the household's other car),
      // so that travel is kept; one bought in addition adds only what it drives.
      std::array<double, kSegments> kei_miles;
      kei_miles.fill(1.0);
      double other_miles = 1;
      if (r > 0 && !yv.state_kei_miles.empty()) {
        double lost = 0, other = 0;
        for (size_t g = 0; g < G; ++g) {
          if (g == kei_[0] || g == kei_[1]) kei_miles[g] = yv.state_kei_miles[r - 1][g == kei_[0] ? 0 : 1];
          for (size_t p = 0; p < kPowertrains; ++p)
            for (size_t a = 0; a < kAges; ++a) {
              const double m = stock[g][p][a] * y.miles[g][p][a] * reg.vmt_per_vehicle;
              if (!segs[g].kei)
                other += m;
              else if (a < static_cast<size_t>(yv.import_age))
                lost += m * (1 - kei_miles[g]);
            }
        }
        if (other > 0) other_miles = 1 + (1 - d.kei_expansion) * lost / other;
      }
      // Travel, energy, spending.
      for (size_t g = 0; g < G; ++g)
        for (size_t p = 0; p < kPowertrains; ++p) {
          for (size_t a = 0; a < kAges; ++a) {
            const double n = stock[g][p][a];
            if (n < 0 || !std::isfinite(n))
              return fail(fmt::format("fleet: draw {}, {}, {}, {}/{}, age {}: stock {} is not a count", draw,
                                      B + i, reg.name, segs[g].id, powertrain_id(static_cast<int>(p)), a, n));
            const double factor = !segs[g].kei                             ? other_miles
                                  : a < static_cast<size_t>(yv.import_age) ? kei_miles[g]
                                                                           : 1.0;
            const double miles = n * y.miles[g][p][a] * reg.vmt_per_vehicle * factor;
            s.stock += n;
            s.age_sum += n * (static_cast<double>(a) + 0.5);
            s.segment_stock[g] += n;
            s.segment_vmt[g] += miles;
            s.gasoline += miles * y.gallons_per_mile[g][p][a];
            s.kwh += miles * y.kwh_per_mile[g][p][a];
            if (p == kBev) s.bev_stock += n;
            if (segs[g].kei) s.kei_stock += n;
          }
          s.sales += sales[g][p];
          s.scrappage += scrapped[g][p];
          s.imports += imported[g][p];
          if (p == kBev) s.bev_sales += sales[g][p];
          if (segs[g].kei) s.kei_sales += sales[g][p];
          s.spend_vehicles += sales[g][p] * yv.price[g] * yv.price_ratio[p];
        }
      for (size_t g = 0; g < G; ++g) s.vmt += s.segment_vmt[g];
      s.spend_energy = s.gasoline * yv.gasoline_price + s.kwh * yv.electricity_price;
      s.co2 = (s.gasoline * d.co2_per_gallon + s.kwh * yv.grid_co2) / 1e6;  // tonnes
      // Deaths: multi-vehicle (own side of each involvement against the year's partner mix), single-vehicle
      // and others, per mile.
      const double k = trend * reg.death_rate;
      for (size_t g = 0; g < G; ++g) {
        double own = 0;
        for (size_t h = 0; h < G; ++h) {
          const double partner_share = s.vmt > 0 ? s.segment_vmt[h] / s.vmt : 0;
          const double risk = d.own_fatal[g][h] * (segs[g].kei ? d.kei_odds : 1);
          own += partner_share * risk;
          if (segs[h].kei) s.deaths_kei_partners += k * lambda * s.segment_vmt[g] * partner_share * risk;
        }
        const double mv = k * lambda * s.segment_vmt[g] * own;
        const double sv = k * rho * s.segment_vmt[g] * d.sv_ratio[g];
        s.deaths_mv += mv;
        s.deaths_sv += sv;
        if (segs[g].kei) s.deaths_kei += mv + sv;
      }
      s.deaths_other = k * omega * s.vmt;
      if (s.deaths_mv < 0 || s.deaths_sv < 0 || s.deaths_other < 0 || s.vmt < 0)
        return fail(fmt::format("fleet: draw {}, {}, {}: a negative count of deaths or miles", draw, B + i,
                                reg.name));

      if (by_state || r == 0)
        fill_metrics(s, d.households, yv.kei_access,
                     &out.values[(r * static_cast<size_t>(years) + static_cast<size_t>(i)) * kMetrics]);
      if (r > 0) state_total[static_cast<size_t>(i)] += s;
    }
  }
  if (needs_states_) {
    // The nation is the sum of its states.
    for (int i = 0; i < years; ++i)
      fill_metrics(state_total[static_cast<size_t>(i)], d.households,
                   d.by_year[static_cast<size_t>(i)].kei_access,
                   &out.values[static_cast<size_t>(i) * kMetrics]);
  } else if (by_state) {
    // The states add up to the nation, projected on its own: stock, sales, miles and deaths.
    for (int i = 0; i < years; ++i) {
      const double* n = &out.values[static_cast<size_t>(i) * kMetrics];
      const Sums& t = state_total[static_cast<size_t>(i)];
      const std::array<std::pair<const char*, std::pair<double, double>>, 4> pairs = {
          {{"stock", {n[kStock], t.stock}},
           {"sales", {n[kSales], t.sales}},
           {"miles", {n[kVmt], t.vmt}},
           {"deaths", {n[kDeaths], t.deaths_mv + t.deaths_sv + t.deaths_other}}}};
      for (const auto& [what, v] : pairs)
        if (std::abs(v.first - v.second) > 1e-6 * std::max(1.0, std::abs(v.first)))
          return fail(
              fmt::format("fleet: draw {}, {}: the states' {} ({}) do not add up to the nation's ({})", draw,
                          B + i, what, v.second, v.first));
    }
  }
  return out;
}

Result<void> check_stock_flow(double before, double sales, double imports, double scrapped, double after,
                              const std::string& where) {
  const double expect = before + sales + imports - scrapped;
  if (std::abs(after - expect) > 1e-9 * std::max(1.0, after))
    return fail(
        fmt::format("fleet: {}: stock {} is not last year's {} + sales {} + imports {} - scrappage {}", where,
                    after, before, sales, imports, scrapped));
  if (scrapped < -1e-9 * std::max(1.0, before))
    return fail(fmt::format("fleet: {}: scrappage {} is negative (a survival schedule that rises with age?)",
                            where, scrapped));
  return {};
}

}  // namespace keipath::fleet
