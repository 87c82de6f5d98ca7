// The kei segments' law and demand: which federal pathway lets new kei vehicles be sold in a year, what each
// state's road rule says of them (the rule `keipath states` answers with, never a copy), how much of a
// state's travel that leaves them, and the share of new sales they take, through a nested logit over the car
// and truck nests. Used kei imports flow from Japan's stock of the vintages the import age makes eligible.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "fleet/internal.hpp"

namespace keipath::fleet {
namespace {

// The share of a road system's travel on roads posted at most `cap` mph: the table's points, linear
// between them (and from 0 at 0 mph); the last point is the highest posted limit.
double posted_share(const RoadAccessTable::System& s, double cap, double u, bool point) {
  const auto& caps = RoadAccessTable::kCaps;
  if (cap <= 0) return 0;
  if (cap < caps.front()) return s.posted.front().at(u, point) * cap / caps.front();
  for (size_t i = 1; i < caps.size(); ++i)
    if (cap <= caps[i]) {
      const double a = s.posted[i - 1].at(u, point), b = s.posted[i].at(u, point);
      return a + (b - a) * (cap - caps[i - 1]) / (caps[i] - caps[i - 1]);
    }
  return s.posted.back().at(u, point);
}

}  // namespace

double road_share(const RoadAccessTable& t, const AccessDraw& d, double rural_share, RoadStatus status,
                  const RoadLimits& limits) {
  switch (status) {
    case RoadStatus::prohibited:
    case RoadStatus::off_road_only:
      return 0;
    case RoadStatus::unrestricted:
      return 1;
    case RoadStatus::unknown: {
      RoadLimits assumed;
      assumed.max_posted_mph = static_cast<int>(std::lround(d.unknown_mph));
      return d.unknown_allows * road_share(t, d, rural_share, RoadStatus::restricted, assumed);
    }
    case RoadStatus::restricted:
      break;
  }
  double share = 0;
  for (size_t a = 0; a < 2; ++a) {
    const double area = a == 0 ? 1 - rural_share : rural_share;
    double within = 0;
    for (size_t k = 0; k < RoadAccessTable::kSystems; ++k) {
      const RoadAccessTable::System& s = t.areas[a][k];
      double f = 1;
      if (limits.no_interstate && k == 0) f = 0;
      // Controlled-access roads closed (interstates with them); divided highways include them.
      if (limits.no_limited_access || limits.no_divided) f *= 1 - s.limited_access.at(d.u, d.point);
      if (limits.no_highways) f *= 1 - s.numbered_highway.at(d.u, d.point);
      if (limits.max_posted_mph) f *= posted_share(s, *limits.max_posted_mph, d.u, d.point);
      within += s.vmt_share.at(d.u, d.point) * f;
    }
    share += area * within;
  }
  if (limits.local_ordinance) share *= d.local_ordinance;
  if (limits.farm_use_only || limits.collector_plates_only) share *= d.special_use;
  return std::clamp(share, 0.0, 1.0);
}

// The root in a of F(a) = ln(S'_car / S'_truck) - ln R - lambda ln((1 - b) / (1 - a)) = 0, with S'_car =
// t_car / a, S'_truck = 1 - S'_car = t_truck / b, R = S_car / S_truck: the nested logit with the kei car
// added to the car nest and the kei truck to the truck nest, each nest's weight its baseline one times (1 +
// x)^lambda, x the new member's weight over the nest's baseline sum (1 + x = 1 / (1 - within share)). F falls
// with a; Newton's steps, kept inside a bracket.
NestShares solve_nests(double car_share, double t_car, double t_truck, double lambda) {
  NestShares out{car_share, 0, 1 - car_share, 0};
  if (t_car <= 0 && t_truck <= 0) return out;
  const double tc = std::max(t_car, 1e-15), tt = std::max(t_truck, 1e-15);
  const double log_r = std::log(car_share / (1 - car_share));
  auto b_of = [&](double a) { return tt / (1 - tc / a); };
  auto f = [&](double a) {
    const double b = b_of(a);
    return std::log(tc / a) - std::log(1 - tc / a) - log_r - lambda * (std::log1p(-b) - std::log1p(-a));
  };
  double lo = tc / (1 - tt), hi = 1;
  double a = std::clamp(tc / car_share, lo + (hi - lo) * 1e-9, hi - (hi - lo) * 1e-9);
  for (int i = 0; i < 100; ++i) {
    const double fa = f(a);
    if (std::abs(fa) < 1e-12) break;
    (fa > 0 ? lo : hi) = a;
    const double rest = 1 - tc / a, b = b_of(a);
    const double db = -tt * tc / (a * a) / (rest * rest);
    const double slope = -1 / a - tc / (a * (a - tc)) + lambda * db / (1 - b) - lambda / (1 - a);
    double next = a - fa / slope;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (std::abs(next - a) < 1e-15 * a) break;
    a = next;
  }
  out.car = tc / a;
  out.truck = 1 - out.car;
  out.kei_in_car = t_car > 0 ? a : 0;
  out.kei_in_truck = t_truck > 0 ? b_of(a) : 0;
  return out;
}

Result<void> FleetModel::bind_law(const StateRoadRule& roads, const Catalog& catalog) {
  const auto& segs = tables_.segments;
  const auto& regions = tables_.regions;
  const int years = 2050 - base_year_ + 1;
  auto representative = [&](const std::string& text) -> Result<Vehicle> {
    const auto rows = catalog.search(text);
    if (rows.size() != 1)
      return fail(fmt::format("data/fleet/segments.csv: representative '{}' matches {} catalog rows, not one",
                              text, rows.size()));
    return rows.front()->vehicle;
  };
  kei_ = {segs.size(), segs.size()};
  for (size_t g = 0; g < segs.size(); ++g)
    if (segs[g].kei) kei_[segs[g].nest == "car" ? 0 : 1] = g;
  if (kei_[0] == segs.size() || kei_[1] == segs.size() || segs[kei_[1]].used_representative.empty())
    return fail(
        "data/fleet/segments.csv: needs a kei segment in each nest, the truck one with a used "
        "representative");
  auto car = representative(segs[kei_[0]].representative);
  auto truck = representative(segs[kei_[1]].representative);
  auto used = representative(segs[kei_[1]].used_representative);
  for (const auto* r : {&car, &truck, &used})
    if (!*r) return std::unexpected(r->error());

  auto need = [&](std::string_view name, std::string_view unit) -> Result<const Parameter*> {
    auto p = params_->require(name, unit);
    if (p) used_.emplace_back(name);
    return p;
  };
  const Parameter *in_effect = nullptr, *bev_only = nullptr, *speed = nullptr, *makers = nullptr,
                  *age = nullptr, *epa_age = nullptr;
  for (auto [name, unit, slot] : {std::tuple{"us.small_class.in_effect", "bool", &in_effect},
                                  std::tuple{"us.small_class.bev_only", "bool", &bev_only},
                                  std::tuple{"us.small_class.max_speed_mph", "mph", &speed},
                                  std::tuple{"us.fmvss.part555.kei_makers", "count", &makers},
                                  std::tuple{"us.fmvss.exemption_age_years", "years", &age},
                                  std::tuple{"us.epa.exclusion_age_years", "years", &epa_age}}) {
    auto p = need(name, unit);
    if (!p) return std::unexpected(p.error());
    *slot = *p;
  }
  if (auto p = need("us.fmvss.part555.max_per_maker", "count"); !p) return std::unexpected(p.error());

  std::vector<size_t> region_of;  // StateRoadRule's code order to the tables' regions
  for (const auto& j : roads.law().jurisdictions()) {
    size_t r = 0;
    while (r < regions.size() && regions[r].code != j.code) ++r;
    if (r == regions.size())
      return fail(fmt::format("data/fleet/regions.csv: no row for {}, which the state rules have", j.code));
    region_of.push_back(r);
  }
  access_.assign(static_cast<size_t>(kAccessKinds * years) * regions.size(), Access{});
  law_years_.clear();
  pathway_opens_ = 0;
  needs_states_ = false;
  auto on = [](const Parameter* p, Date d) {
    const ParamValue* v = p->in_force(d);
    return v != nullptr && v->value != 0 ? v : nullptr;
  };
  for (int i = 0; i < years; ++i) {
    const int year = base_year_ + i;
    const Date date = mid_year(year);
    LawYear law;
    law.year = year;
    const ParamValue* small = on(in_effect, date);
    const ParamValue* part555 = on(makers, date);
    law.pathway = small ? "small_class" : part555 ? "part555" : "none";
    law.bev_only = small && on(bev_only, date);
    // The youngest a used kei truck may enter at: old enough for both the FMVSS and the EPA exemption.
    if (const ParamValue* a = age->in_force(date)) law.import_age = a->value;
    if (const ParamValue* e = epa_age->in_force(date)) law.import_age = std::max(law.import_age, e->value);
    if (law.pathway != "none" && pathway_opens_ == 0) {
      // The day the pathway's value took effect, as a year with its fraction.
      const Date from = (small ? small : part555)->from;
      pathway_opens_ =
          from.year() + (from.days_since_epoch() - new_year(from.year()).days_since_epoch()) / 365.25;
      needs_states_ = true;
    }
    for (int kind = 0; kind < kAccessKinds; ++kind) {
      StateQuestion q;
      q.date = date;
      q.kei_model = true;
      if (kind == kUsed) {
        q.vehicle = *used;
        q.vehicle.built = YearMonth(year - static_cast<int>(std::lround(law.import_age)), 1);
      } else {
        if (law.pathway == "none") continue;  // no new kei vehicle exists to ask about
        q.vehicle = kind == kNewCar ? *car : *truck;
        q.vehicle.built = YearMonth(year, 1);
        if (law.pathway == "small_class") {
          q.entry = UsEntry::small_class;
          // Built to the class: its top speed is the class's.
          if (const ParamValue* s = speed->in_force(date))
            q.vehicle.top_speed_kmh = static_cast<int>(std::lround(s->value * 1.609344));
        }
        if (law.bev_only) {
          q.vehicle.engine = EngineKind::electric;
          q.vehicle.displacement_cc.reset();
          q.vehicle.powertrain = keipath::Powertrain::battery_electric;
        }
      }
      const auto answers = roads.answer_all(q);
      for (size_t k = 0; k < answers.size(); ++k) {
        const StateAnswer& a = answers[k];
        Access acc{a.status, a.limits};
        // A maker builds to the class a state's rule names, so a vehicle whose membership is unknown only
        // for want of a measurement takes the status the rule gives members.
        if (a.status == RoadStatus::unknown && a.if_in_class) acc.status = *a.if_in_class;
        // Under Part 555 a vehicle is a motor vehicle certified to the standards it is not exempt from,
        // titled and registered as any new car (49 U.S.C. 30113(h) label); the states' kei rules are for
        // vehicles that are not.
        if (kind != kUsed && law.pathway == "part555") acc = Access{RoadStatus::unrestricted, {}};
        access_[(static_cast<size_t>(kind * years + i)) * regions.size() + region_of[k]] = acc;
        if (kind == kNewCar) ++law.car_status[static_cast<size_t>(acc.status)];
        if (kind == kNewTruck) ++law.truck_status[static_cast<size_t>(acc.status)];
      }
    }
    law_years_.push_back(law);
  }
  if (needs_states_)
    for (size_t g = 0; g < segs.size(); ++g)
      if (segs[g].kei)
        for (const ParamValue& v :
             params_->find(fmt::format("fleet.segment.{}.new_share", segs[g].id))->values)
          if (v.value != 0)
            return fail(fmt::format(
                "{}: fleet.segment.{}.new_share is set while a pathway lets new kei vehicles be sold; the "
                "demand model (fleet.kei.*) decides their share",
                v.where.str(), segs[g].id));
  return {};
}

Result<void> FleetModel::resolve_demand(Draw& d, const std::function<double(std::string_view, int)>& value,
                                        double table_u, bool point) const {
  const int B = base_year_;
  const auto& segs = tables_.segments;
  const auto& regions = tables_.regions;
  const size_t R = regions.size();
  const int years = d.years;
  const int law_years = static_cast<int>(law_years_.size());

  // Used imports: Japan's eligible stock at the year's import age over that at the base year's, with one
  // level of kei-truck sales for every vintage and the pickup schedule stretched by the lifetime ratio.
  const auto& japan = tables_.survival[static_cast<size_t>(tables_.schedule_index(segs[kei_[1]].schedule))];
  const double japan_ratio = value("fleet.used_imports.japan_lifetime_ratio", B);
  auto eligible = [&](double age) {
    double n = 0;
    for (int a = std::max(1, static_cast<int>(std::lround(age))); a <= kMaxAge; ++a)
      n += survival_at(japan, a, japan_ratio, 1);
    return n;
  };
  const double eligible_base = eligible(d.import_age);
  for (int i = 0; i < years; ++i) {
    auto& y = d.by_year[static_cast<size_t>(i)];
    const double age = law_years_[static_cast<size_t>(std::min(i, law_years - 1))].import_age;
    y.import_age = std::clamp(static_cast<int>(std::lround(age)), 1, kMaxAge);
    y.imports = eligible_base > 0 ? d.imports_per_year * eligible(age) / eligible_base : 0;
    for (size_t g = 0; g < segs.size(); ++g) y.segment_powertrain[g] = y.powertrain_share;
  }
  if (!needs_states_) return {};

  AccessDraw ad;
  ad.u = table_u;
  ad.point = point;
  ad.unknown_allows = value("fleet.kei.unknown_rule_allows", B);
  ad.unknown_mph = value("fleet.kei.unknown_rule_posted_mph", B);
  ad.local_ordinance = value("fleet.kei.local_ordinance_share", B);
  ad.special_use = value("fleet.kei.special_use_share", B);
  const double sigma = value("fleet.kei.reference_share", B);
  const double tau = value("fleet.kei.truck_fraction", B);
  const double ref_price = value("fleet.kei.reference_price_usd", B);
  const double elasticity = value("fleet.kei.price_elasticity", B);
  const double fuel_years = value("fleet.choice.fuel_cost_years", B);
  const double lambda = value("fleet.choice.nest_dissimilarity", B);
  const double gamma = value("fleet.kei.access_elasticity", B);
  const double lead = value("fleet.kei.supply_lead_years", B);
  const double ramp = value("fleet.kei.supply_ramp_years", B);
  const double cap_per_maker = value("us.fmvss.part555.max_per_maker", B);
  const double expansion = value("fleet.kei.market_expansion", B);
  d.kei_expansion = expansion;
  const double miles_elasticity = value("fleet.kei.miles_access_elasticity", B);
  // A year's running cost of a new vehicle of segment g: its first-year miles of the schedule, at its fuel
  // economy (or its electricity use) and the year's prices.
  auto running = [&](size_t g, bool bev, const Draw::Year& y) {
    const double miles =
        tables_.miles_by_age[static_cast<size_t>(tables_.schedule_index(segs[g].schedule))][0];
    return bev ? miles * d.kwh_per_mile * d.kwh_factor[g] * y.electricity_price
               : miles / d.new_mpg[g] * y.gasoline_price;
  };
  const std::array<double, 2> part = {1 - tau, tau};
  std::array<double, 2> ref_effective{};
  for (size_t k = 0; k < 2; ++k)
    ref_effective[k] = ref_price + fuel_years * running(kei_[k], false, d.by_year[0]);

  for (int i = 0; i < years; ++i) {
    auto& y = d.by_year[static_cast<size_t>(i)];
    const LawYear& law = law_years_[static_cast<size_t>(std::min(i, law_years - 1))];
    y.state_share.assign(R, y.segment_share);
    y.state_expansion.assign(R, 1.0);
    if (law.pathway == "none") continue;
    const double t = B + i + 0.5 - pathway_opens_ - lead;
    const double supply = ramp > 0 ? std::clamp(t / ramp, 0.0, 1.0) : (t >= 0 ? 1.0 : 0.0);
    if (supply <= 0) continue;
    std::array<double, 2> pull{};  // the price and supply factors, the same in every state
    for (size_t k = 0; k < 2; ++k) {
      const size_t g = kei_[k];
      double price = y.price[g];
      if (law.bev_only) {
        y.segment_powertrain[g] = {0, 0, 1};
        price *= y.price_ratio[kBev];
      }
      const double effective = price + fuel_years * running(g, law.bev_only, y);
      pull[k] = sigma * part[k] * std::pow(effective / ref_effective[k], elasticity) * supply;
    }
    // Each state's share of travel on roads each kind may use, its demand and its miles factor; the
    // national share of travel weighted by demand.
    std::vector<std::array<double, 2>> target(R);
    y.state_kei_miles.assign(R, {1.0, 1.0});
    double access_num = 0, access_den = 0;
    for (size_t r = 0; r < R; ++r)
      for (size_t k = 0; k < 2; ++k) {
        const Access& acc =
            access_[(static_cast<size_t>(k) * law_years_.size() + static_cast<size_t>(i)) * R + r];
        const double share =
            road_share(tables_.road_access, ad, regions[r].rural_share, acc.status, acc.limits);
        target[r][k] = share > 0 ? pull[k] * std::pow(share, gamma) : 0;
        y.state_kei_miles[r][k] = share > 0 ? std::pow(share, miles_elasticity) : 0;
        const double w = regions[r].stock_share * target[r][k];
        access_num += w * share;
        access_den += w;
      }
    y.kei_access = access_den > 0 ? access_num / access_den : 0;
    // The Part 555 cap: the makers' vehicles a year.
    double cap_scale = 1;
    if (law.pathway == "part555") {
      // The year's new sales as the projection will have them (the price index of the mix without kei
      // vehicles), and the kei sales at a scale f of the targets, expansion included; f is cut until they
      // are within the makers' cap.
      const double sales = d.base_sales * std::pow(1 + d.sales_growth, i) *
                           std::pow(y.price_index() / d.by_year[0].price_index(), d.elasticity);
      auto kei_sales = [&](double f) {
        double k = 0;
        for (size_t r = 0; r < R; ++r) {
          const double t = std::min(kMaxKeiShare, f * (target[r][0] + target[r][1]));
          k += regions[r].stock_share * t / (1 - expansion * t);
        }
        return sales * k;
      };
      const double cap = cap_per_maker * value("us.fmvss.part555.kei_makers", B + i);
      if (kei_sales(1) > cap) {
        double lo = 0, hi = 1;
        for (int it = 0; it < 60; ++it) ((kei_sales((lo + hi) / 2) > cap) ? hi : lo) = (lo + hi) / 2;
        cap_scale = lo;
      }
    }
    double car_nest = 0;
    for (size_t g = 0; g < segs.size(); ++g)
      if (segs[g].nest == "car") car_nest += y.segment_share[g];
    std::array<double, kSegments> national{};
    double sales_weight = 0;  // the states' sales relative to the nation's without new kei vehicles
    for (size_t r = 0; r < R; ++r) {
      double tc = target[r][0] * cap_scale, tt = target[r][1] * cap_scale;
      if (tc + tt > kMaxKeiShare) {
        const double f = kMaxKeiShare / (tc + tt);
        tc *= f;
        tt *= f;
      }
      const NestShares n = solve_nests(car_nest, tc, tt, lambda);
      auto& s = y.state_share[r];
      for (size_t g = 0; g < segs.size(); ++g) {
        if (g == kei_[0]) {
          s[g] = tc;
        } else if (g == kei_[1]) {
          s[g] = tt;
        } else if (segs[g].nest == "car") {
          s[g] = y.segment_share[g] / car_nest * (1 - n.kei_in_car) * n.car;
        } else {
          s[g] = y.segment_share[g] / (1 - car_nest) * (1 - n.kei_in_truck) * n.truck;
        }
      }
      y.state_expansion[r] = 1 / (1 - expansion * (tc + tt));
      const double w = regions[r].stock_share * y.state_expansion[r];
      for (size_t g = 0; g < segs.size(); ++g) national[g] += w * s[g];
      sales_weight += w;
      double total = 0;
      for (const double v : s) total += v;
      if (std::abs(total - 1) > 1e-9 || !std::isfinite(total))
        return fail(
            fmt::format("fleet: {}, {}: the segments' shares after the kei demand add up to {}, not 1", B + i,
                        regions[r].code, total));
    }
    for (double& v : national) v /= sales_weight;
    y.segment_share = national;
    y.expansion = sales_weight;
  }
  return {};
}

}  // namespace keipath::fleet
