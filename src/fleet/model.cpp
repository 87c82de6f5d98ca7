// The fleet projection of one draw (see fleet.hpp for the model and its invariants).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "fleet/internal.hpp"

namespace keipath::fleet {
namespace {

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
uint64_t name_hash(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

const std::array<std::string_view, 5> kSegmentFields = {"new_share", "new_mpg", "curb_mass_kg", "price_usd",
                                                        "single_vehicle_death_ratio"};

}  // namespace

// The crash model's own-occupant death risk per involvement, segment against partner segment: weighted
// over impact configurations by the kinds' shares (striking and struck equally likely in side and rear
// impacts), by quadrature (CrashRule::expected_all).
std::array<std::array<double, kSegments>, kSegments> own_fatal_matrix(
    const CrashModel& crash, const std::array<double, kSegments>& mass) {
  using C = CrashRule::Configuration;
  std::array<double, CrashRule::kConfigurations> weight{};
  weight[static_cast<size_t>(C::frontal)] = crash.share_frontal;
  weight[static_cast<size_t>(C::side_striking)] = weight[static_cast<size_t>(C::side_struck)] =
      crash.share_side / 2;
  weight[static_cast<size_t>(C::rear_striking)] = weight[static_cast<size_t>(C::rear_struck)] =
      crash.share_rear / 2;
  std::array<std::array<double, kSegments>, kSegments> risk{};
  // One pass per pair gives both sides: the partner's risk in (g, h, side or rear striking) is the own
  // risk in (h, g, struck), and the other way round; striking and struck have the same weight.
  for (size_t g = 0; g < kSegments; ++g)
    for (size_t h = g; h < kSegments; ++h) {
      const auto cells = CrashRule::expected_all(mass[g], mass[h], crash, /*injuries=*/false);
      double own = 0, partner = 0;
      for (size_t c = 0; c < CrashRule::kConfigurations; ++c) {
        own += weight[c] * cells[c].own_fatal;
        partner += weight[c] * cells[c].partner_fatal;
      }
      risk[g][h] = own;
      if (h != g) risk[h][g] = partner;
    }
  return risk;
}

namespace {

struct Global {
  std::string_view name, unit;
};
// Every global parameter the model reads.
constexpr std::array<Global, 47> kGlobals = {{
    {"fleet.stock_in_operation", "count"},
    {"fleet.average_age", "years"},
    {"fleet.sales_growth", "percent_per_year"},
    {"fleet.price_elasticity", "elasticity"},
    {"fleet.lifetime_trend", "percent_per_year"},
    {"fleet.vmt_ldv", "vehicle_miles"},
    {"fleet.rebound_elasticity", "elasticity"},
    {"fleet.gasoline_ldv", "gal"},
    {"fleet.mpg_improvement", "percent_per_year"},
    {"fleet.hybrid.mpg_ratio", "ratio"},
    {"fleet.hybrid.price_ratio", "ratio"},
    {"fleet.hybrid.new_share", "share"},
    {"fleet.hybrid.new_share_2050", "share"},
    {"fleet.bev.kwh_per_mile", "kWh_per_mile"},
    {"fleet.bev.price_ratio", "ratio"},
    {"fleet.bev.price_ratio_2050", "ratio"},
    {"fleet.bev.new_share", "share"},
    {"fleet.bev.new_share_2050", "share"},
    {"fleet.co2_per_gallon", "g_per_gal"},
    {"fleet.grid_co2", "g_per_kWh"},
    {"fleet.grid_co2_2050", "g_per_kWh"},
    {"fleet.gasoline_price", "USD_per_gal"},
    {"fleet.electricity_price", "USD_per_kWh"},
    {"fleet.households", "count"},
    {"fleet.deaths.total", "count"},
    {"fleet.deaths.share_multi_vehicle", "share"},
    {"fleet.deaths.share_single_vehicle", "share"},
    {"fleet.deaths.rate_trend", "percent_per_year"},
    {"fleet.used_imports.kei_truck", "count"},
    {"fleet.used_imports.growth_10y", "ratio"},
    {"fleet.used_imports.japan_lifetime_ratio", "ratio"},
    {"fleet.kei.reference_share", "share"},
    {"fleet.kei.truck_fraction", "share"},
    {"fleet.kei.reference_price_usd", "USD"},
    {"fleet.kei.price_elasticity", "elasticity"},
    {"fleet.choice.fuel_cost_years", "years"},
    {"fleet.choice.nest_dissimilarity", "ratio"},
    {"fleet.kei.access_elasticity", "elasticity"},
    {"fleet.kei.unknown_rule_allows", "share"},
    {"fleet.kei.unknown_rule_posted_mph", "mph"},
    {"fleet.kei.local_ordinance_share", "share"},
    {"fleet.kei.special_use_share", "share"},
    {"fleet.kei.supply_lead_years", "years"},
    {"fleet.kei.supply_ramp_years", "years"},
    {"fleet.kei.market_expansion", "share"},
    {"fleet.kei.miles_access_elasticity", "elasticity"},
    {"us.fmvss.exemption_age_years", "years"},
}};

std::string_view segment_unit(std::string_view field) {
  if (field == "new_share") return "share";
  if (field == "new_mpg") return "mpg";
  if (field == "curb_mass_kg") return "kg";
  if (field == "price_usd") return "USD";
  return "ratio";
}

}  // namespace

Result<FleetModel> FleetModel::bind(const ParamStore& params, const CrashRule& crash,
                                    const StateRoadRule& roads, const Catalog& catalog, FleetTables tables) {
  FleetModel m;
  m.params_ = &params;
  if (tables.sales_history.empty()) return fail("fleet: the sales history is empty");
  m.base_year_ = tables.sales_history.back().year;
  std::vector<std::string> errors;
  auto need = [&](std::string name, std::string_view unit) {
    auto p = params.require(name, unit);
    if (!p) {
      errors.push_back(p.error().message);
      return;
    }
    for (const ParamValue& v : (*p)->values)
      if (v.abolished)
        errors.push_back(
            fmt::format("{}: {}: the fleet model's parameters cannot be abolished", v.where.str(), name));
    if ((*p)->in_force(mid_year(m.base_year_)) == nullptr &&
        (*p)->in_force(new_year(m.base_year_ + 1)) == nullptr)
      errors.push_back(fmt::format("{}: no value in force in the base year {}", name, m.base_year_));
    m.used_.push_back(std::move(name));
  };
  for (const Global& g : kGlobals) need(std::string(g.name), g.unit);
  need("risk.kei_structure_odds_ratio", "ratio");
  for (const Segment& s : tables.segments)
    for (const std::string_view f : kSegmentFields)
      if (!f.empty()) need(fmt::format("fleet.segment.{}.{}", s.id, f), segment_unit(f));
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  if (tables.mpg_history.empty()) return fail("fleet: the fuel-economy history is empty");

  const Date base = mid_year(m.base_year_);
  std::array<double, kSegments> masses{};
  for (size_t g = 0; g < tables.segments.size(); ++g)
    masses[g] = params.find(fmt::format("fleet.segment.{}.curb_mass_kg", tables.segments[g].id))
                    ->in_force(base)
                    ->value;
  m.crash_ = &crash;
  m.own_fatal_ = own_fatal_matrix(crash.model(base, 0, 0), masses);
  m.tables_ = std::move(tables);
  if (auto law = m.bind_law(roads, catalog); !law) return std::unexpected(law.error());
  return m;
}

std::vector<std::string> FleetModel::uncertain_parameters() const {
  std::vector<std::string> out;
  for (const auto& name : used_) {
    const Parameter* p = params_->find(name);
    const bool ranged = std::any_of(p->values.begin(), p->values.end(),
                                    [](const ParamValue& v) { return v.low && v.high && *v.low < *v.high; });
    if (ranged && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  out.emplace_back(kRoadTable);
  return out;
}

std::vector<Citation> FleetModel::citations() const {
  std::vector<Citation> out;
  const Date base = mid_year(base_year_);
  for (const auto& name : used_) {
    const Parameter* p = params_->find(name);
    const ParamValue* v = p->in_force(base);
    if (v == nullptr) v = p->in_force(new_year(base_year_ + 1));
    if (v != nullptr) out.push_back(Citation::of(*p, *v));
  }
  return out;
}

Result<FleetModel::Draw> FleetModel::resolve(int draw, uint64_t seed, const Swing* swing) const {
  Draw d;
  const int B = base_year_;
  // A parameter's uniform number in this draw: a hash of (seed, draw, name), or the swing's end.
  auto uniform = [&](std::string_view name) -> std::optional<double> {
    if (swing != nullptr && swing->name == name) return swing->u;
    if (draw == 0) return std::nullopt;
    const uint64_t h = splitmix(seed ^ splitmix(static_cast<uint64_t>(draw) ^ name_hash(name)));
    return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
  };
  // The value in force in `year` (mid-year; stock figures as of the next January); uncertain values are
  // drawn once per draw from their ranges with one uniform number per parameter.
  auto value = [&](std::string_view name, int year, bool year_end = false) {
    const Parameter* p = params_->find(name);
    const ParamValue* v = p->in_force(year_end ? new_year(year + 1) : mid_year(year));
    if (v == nullptr) v = p->in_force(new_year(B + 1));
    if (v == nullptr) v = &p->values.front();
    const auto u = uniform(name);
    return u ? v->drawn(*u) : v->value;
  };
  auto pct = [&](std::string_view name) { return value(name, B) / 100.0; };
  // A value that moves linearly from the base year's to its 2050 one.
  auto path = [&](std::string_view name, std::string_view name_2050, int year) {
    const double a = value(name, B), b = value(name_2050, B);
    const double f = std::clamp((year - B) / static_cast<double>(2050 - B), 0.0, 1.0);
    return a + f * (b - a);
  };
  const auto& segs = tables_.segments;
  auto seg = [&](size_t g, std::string_view field, int year) {
    return value(fmt::format("fleet.segment.{}.{}", segs[g].id, field), year);
  };

  d.lifetime_trend = pct("fleet.lifetime_trend");
  d.sales_growth = pct("fleet.sales_growth");
  d.elasticity = value("fleet.price_elasticity", B);
  d.rebound = value("fleet.rebound_elasticity", B);
  d.mpg_improvement = pct("fleet.mpg_improvement");
  d.hybrid_mpg_ratio = value("fleet.hybrid.mpg_ratio", B);
  d.kwh_per_mile = value("fleet.bev.kwh_per_mile", B);
  d.co2_per_gallon = value("fleet.co2_per_gallon", B);
  d.kei_odds = value("risk.kei_structure_odds_ratio", B);
  d.imports_per_year = value("fleet.used_imports.kei_truck", B);
  d.import_age = value("us.fmvss.exemption_age_years", B);
  d.import_growth_10y = value("fleet.used_imports.growth_10y", B);
  d.households = value("fleet.households", B);
  d.death_trend = pct("fleet.deaths.rate_trend");
  d.target_vmt = value("fleet.vmt_ldv", B);
  d.target_gasoline = value("fleet.gasoline_ldv", B);
  d.target_deaths = value("fleet.deaths.total", B);
  d.share_mv = value("fleet.deaths.share_multi_vehicle", B);
  d.share_sv = value("fleet.deaths.share_single_vehicle", B);
  {
    const Parameter* p = params_->find(fmt::format("fleet.segment.{}.new_mpg", segs[0].id));
    d.mpg_model_year = p->in_force(mid_year(B)) ? p->in_force(mid_year(B))->from.year() : B;
  }
  double mean_mpg = 0, share_sum = 0;
  for (size_t g = 0; g < segs.size(); ++g) {
    d.new_mpg[g] = seg(g, "new_mpg", B);
    d.mass[g] = seg(g, "curb_mass_kg", B);
    d.sv_ratio[g] = seg(g, "single_vehicle_death_ratio", B);
    const double share = seg(g, "new_share", B);
    mean_mpg += share / d.new_mpg[g];
    share_sum += share;
  }
  mean_mpg = share_sum / mean_mpg;  // harmonic: the mpg of the average mile
  // A BEV's kWh per mile in proportion to its segment's fuel per mile.
  for (size_t g = 0; g < segs.size(); ++g) d.kwh_factor[g] = mean_mpg / d.new_mpg[g];

  d.years = 0;
  for (int year = B;; ++year) {
    Draw::Year y;
    double total = 0;
    for (size_t g = 0; g < segs.size(); ++g) {
      y.segment_share[g] = seg(g, "new_share", year);
      y.price[g] = seg(g, "price_usd", year);
      total += y.segment_share[g];
    }
    if (std::abs(total - 1) > 1e-6)
      return fail(fmt::format("fleet: draw {}, {}: the segments' new_share values add up to {}, not 1", draw,
                              year, total));
    const double hybrid = path("fleet.hybrid.new_share", "fleet.hybrid.new_share_2050", year);
    const double bev = path("fleet.bev.new_share", "fleet.bev.new_share_2050", year);
    if (hybrid + bev > 1 || hybrid < 0 || bev < 0)
      return fail(
          fmt::format("fleet: draw {}, {}: hybrid ({}) and battery-electric ({}) shares of new sales are not "
                      "shares of one",
                      draw, year, hybrid, bev));
    y.powertrain_share = {1 - hybrid - bev, hybrid, bev};
    y.price_ratio = {1.0, value("fleet.hybrid.price_ratio", B),
                     path("fleet.bev.price_ratio", "fleet.bev.price_ratio_2050", year)};
    for (auto& sp : y.segment_powertrain) sp = y.powertrain_share;
    y.share_without_kei = y.segment_share;
    y.grid_co2 = path("fleet.grid_co2", "fleet.grid_co2_2050", year);
    y.gasoline_price = value("fleet.gasoline_price", year);
    y.electricity_price = value("fleet.electricity_price", year);
    d.by_year.push_back(y);
    ++d.years;
    if (year >= 2050) break;
  }

  // The base year's stock: each past year's sales by segment and powertrain times the share of its cohort
  // left. The schedules are fitted to the base year: S(a) = kept * schedule(a / stretch) from age 1, the
  // stretch (how long vehicles last) and the share kept past the first year solved so that the stock and
  // its average age are the published ones (the schedules alone, with the sales history, give more and
  // younger vehicles than S&P counts).
  const auto& hist = tables_.sales_history;
  double group_share_car = 0, group_share_truck = 0;
  for (size_t g = 0; g < segs.size(); ++g) {
    if (segs[g].history_group == "car") group_share_car += d.by_year[0].segment_share[g];
    if (segs[g].history_group == "light_truck") group_share_truck += d.by_year[0].segment_share[g];
  }
  std::vector<int> schedule(segs.size());
  for (size_t g = 0; g < segs.size(); ++g) schedule[g] = tables_.schedule_index(segs[g].schedule);
  auto build = [&](double stretch, double kept) {
    for (size_t g = 0; g < segs.size(); ++g) {
      const auto& sv = tables_.survival[static_cast<size_t>(schedule[g])];
      for (int a = 0; a < kAges; ++a) {
        std::array<double, kPowertrains> cell{};
        if (segs[g].history_group != "none") {
          const auto& h = hist[hist.size() - 1 - static_cast<size_t>(a)];
          const bool car = segs[g].history_group == "car";
          const double within = d.by_year[0].segment_share[g] / (car ? group_share_car : group_share_truck);
          const double n =
              h.total * (car ? h.car_share : 1 - h.car_share) * within * survival_at(sv, a, stretch, kept);
          cell = {n * (1 - h.hybrid_share - h.bev_share), n * h.hybrid_share, n * h.bev_share};
        } else if (segs[g].id == "kei_truck" && a >= d.import_age) {
          // Used imports, which grew by import_growth_10y over ten years, survived since their import age.
          const double years_ago = a - d.import_age;
          const double s0 = survival_at(sv, d.import_age, stretch, kept);
          const double n = d.imports_per_year * std::pow(d.import_growth_10y, -years_ago / 10.0);
          cell = {s0 > 0 ? n * survival_at(sv, a, stretch, kept) / s0 : 0, 0, 0};
        }
        for (size_t p = 0; p < kPowertrains; ++p) d.base_stock[g][p][static_cast<size_t>(a)] = cell[p];
      }
    }
  };
  auto totals = [&] {
    double n = 0, sum = 0;
    for (const auto& g : d.base_stock)
      for (const auto& p : g)
        for (int a = 0; a < kAges; ++a) {
          n += p[static_cast<size_t>(a)];
          sum += p[static_cast<size_t>(a)] * (a + 0.5);
        }
    return std::pair{n, sum / n};
  };
  const double target_stock = value("fleet.stock_in_operation", B, true);
  const double target_age = value("fleet.average_age", B, true);
  // For a stretch, the share of each cohort kept past its first year that gives the stock (the kei imports
  // and this year's sales do not depend on it).
  auto fit_kept = [&](double stretch) -> std::optional<double> {
    build(stretch, 1);
    double fixed = 0, all = totals().first;
    for (size_t g = 0; g < segs.size(); ++g)
      for (const auto& p : d.base_stock[g])
        for (int a = 0; a < kAges; ++a)
          if (segs[g].kei || a == 0) fixed += p[static_cast<size_t>(a)];
    const double k = (target_stock - fixed) / (all - fixed);
    if (!(k > 0 && k <= 1)) return std::nullopt;
    return k;
  };
  auto age_at = [&](double stretch) -> std::optional<double> {
    const auto kept = fit_kept(stretch);
    if (!kept) return std::nullopt;
    build(stretch, *kept);
    return totals().second;
  };
  // Scan for a bracket of stretches whose fitted ages straddle the target, then bisect.
  double lo = 0, hi = 0;
  double prev = -1;  // the fitted age at the last stretch, -1 where no kept fits
  for (double st = 0.6; st <= 3.0 + 1e-9; st += 0.05) {
    const double age = age_at(st).value_or(-1);
    if (prev >= 0 && age >= 0 && prev <= target_age && target_age <= age) {
      lo = st - 0.05;
      hi = st;
      break;
    }
    prev = age;
  }
  if (hi == 0)
    return fail(
        fmt::format("fleet: draw {}: no survival schedule (stretch 0.6-3, kept share up to 1) gives {} "
                    "vehicles of average age {} from data/fleet/sales_history.csv",
                    draw, target_stock, target_age));
  for (int i = 0; i < 40; ++i) {
    const double mid = (lo + hi) / 2;
    const auto age = age_at(mid);
    if (!age) return fail(fmt::format("fleet: draw {}: the survival fit failed at stretch {}", draw, mid));
    (*age < target_age ? lo : hi) = mid;
  }
  d.stretch0 = (lo + hi) / 2;
  d.kept = *fit_kept(d.stretch0);
  build(d.stretch0, d.kept);

  d.base_sales = hist.back().total;
  // The kei segments' demand and the used imports, year by year (src/fleet/demand.cpp).
  {
    const auto table_u = uniform(kRoadTable);
    auto demand = resolve_demand(
        d, [&](std::string_view name, int year) { return value(name, year); }, table_u.value_or(0),
        !table_u.has_value());
    if (!demand) return std::unexpected(demand.error());
  }
  d.base_avg_price = d.by_year[0].price_index();
  // The crash model's risks: its uncertain parameters drawn with this draw and seed (paired with `keipath
  // safety --seed`), and this draw's masses.
  d.own_fatal = draw == 0 ? own_fatal_ : own_fatal_matrix(crash_->model(mid_year(B), draw, seed), d.mass);
  return d;
}

}  // namespace keipath::fleet
