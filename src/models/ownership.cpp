// Ownership cost. Every line is computed once in cents; the total is their sum.
#include "keipath/ownership.hpp"

#include <fmt/format.h>

#include <cmath>
#include <regex>

#include "keipath/csv.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath {
namespace {

// Exact unit definitions: 1 mile = 1.609344 km; 1 US gallon = 3.785411784 L.
constexpr double kKmPerMile = 1.609344;
constexpr double kLitresPerGallon = 3.785411784;

std::string cite(const Parameter* p, const ParamValue* v) {
  return fmt::format("{} = {} (since {}): {}", p->name, format_quantity(v->value, 4), v->from.str(), v->ref);
}

OwnershipLine make_line(std::string id, std::string label, Money amount, std::string basis, Confidence c) {
  OwnershipLine l;
  l.id = std::move(id);
  l.label = std::move(label);
  l.amount = amount;
  l.basis = std::move(basis);
  l.confidence = c;
  return l;
}

}  // namespace

Result<TestCycle> parse_test_cycle(std::string_view text) {
  if (text == "wltc" || text == "WLTC") return TestCycle::wltc;
  if (text == "jc08" || text == "JC08") return TestCycle::jc08;
  if (text == "10-15") return TestCycle::ten_fifteen;
  return fail(fmt::format("cycle '{}' is not one of wltc, jc08, 10-15", text));
}

std::string_view to_string(TestCycle c) {
  switch (c) {
    case TestCycle::wltc:
      return "WLTC";
    case TestCycle::jc08:
      return "JC08";
    case TestCycle::ten_fifteen:
      return "10-15 mode";
  }
  return "?";
}

CatalogEconomy parse_catalog_economy(std::string_view text) {
  CatalogEconomy out;
  const std::string s(text);
  static const std::regex cycle_figure(
      R"((WLTC|JC08|10-15 mode)\s+([0-9]+(?:\.[0-9]+)?)(?:-[0-9.]+)?\s*km/L)");
  static const std::regex ev_figure(R"(([0-9]+(?:\.[0-9]+)?)\s*Wh/km)");
  std::smatch m;
  if (std::regex_search(s, m, cycle_figure)) {
    out.km_per_l = std::stod(m[2].str());
    const std::string c = m[1].str();
    out.cycle = c == "WLTC" ? TestCycle::wltc : c == "JC08" ? TestCycle::jc08 : TestCycle::ten_fifteen;
  }
  if (std::regex_search(s, m, ev_figure)) out.wh_per_km = std::stod(m[1].str());
  return out;
}

Money OwnershipCost::per_mile() const {
  return miles > 0 ? Money::round_cents(static_cast<double>(total.cents) / miles) : Money{};
}

Result<std::vector<ReferenceVehicle>> OwnershipModel::parse_references(std::string_view csv_text,
                                                                       std::string_view label) {
  auto table = parse_csv(csv_text, label);
  if (!table) return std::unexpected(table.error());
  std::vector<std::string> errors;
  if (auto cols = require_columns(*table, label,
                                  {"id", "name", "segment", "price_usd", "price_basis", "mpg", "kwh_per_mile",
                                   "insurance", "source", "confidence", "checked", "note"});
      !cols)
    return std::unexpected(cols.error());
  std::vector<ReferenceVehicle> out;
  for (const CsvRow& row : table->rows) {
    auto cell = [&](std::string_view c) { return row.fields[static_cast<size_t>(table->column(c))]; };
    auto problem = [&](std::string what) { errors.push_back(row_problem(label, row.line, what)); };
    ReferenceVehicle r;
    r.id = cell("id");
    r.name = cell("name");
    r.segment = cell("segment");
    r.price_basis = cell("price_basis");
    r.source = cell("source");
    r.note = cell("note");
    auto price = Money::parse(cell("price_usd"));
    if (!price || price->cents <= 0) {
      problem(fmt::format("price_usd: '{}' is not a price", cell("price_usd")));
    } else {
      r.price = *price;
    }
    auto number = [&](std::string_view c, double max) -> std::optional<double> {
      const std::string t = cell(c);
      if (t.empty()) return std::nullopt;
      const auto v = parse_finite_number(t);
      if (!v || !(*v > 0 && *v <= max)) {
        problem(fmt::format("{}: '{}' is not a number in (0, {}]", c, t, max));
        return std::nullopt;
      }
      return *v;
    };
    r.mpg = number("mpg", 200);
    r.kwh_per_mile = number("kwh_per_mile", 5);
    if (r.mpg.has_value() == r.kwh_per_mile.has_value()) problem("give exactly one of mpg and kwh_per_mile");
    if (cell("insurance") != "full" && cell("insurance") != "minimum")
      problem(fmt::format("insurance: '{}' is not full or minimum", cell("insurance")));
    r.full_coverage = cell("insurance") == "full";
    auto conf = parse_confidence(cell("confidence"));
    if (!conf) {
      problem(conf.error().message);
    } else {
      r.confidence = *conf;
    }
    if (r.id.empty() || r.name.empty() || r.source.empty()) problem("id, name and source may not be empty");
    if (!Date::parse(cell("checked"))) problem(fmt::format("checked: '{}' is not a date", cell("checked")));
    out.push_back(std::move(r));
  }
  if (out.empty()) errors.push_back(fmt::format("{}: no reference vehicles", label));
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return out;
}

Result<OwnershipModel> OwnershipModel::bind(const ParamStore& params,
                                            std::vector<ReferenceVehicle> references) {
  OwnershipModel m;
  m.references_ = std::move(references);
  if (auto bound = params.require_all({
          {"market.energy.gasoline_usd_per_gallon", "USD", &m.gasoline_},
          {"market.energy.electricity_usd_per_kwh", "USD", &m.electricity_},
          {"market.fuel.wltc_on_road_ratio", "ratio", &m.wltc_},
          {"market.fuel.jc08_on_road_ratio", "ratio", &m.jc08_},
          {"market.fuel.ten_fifteen_on_road_ratio", "ratio", &m.ten_fifteen_},
          {"market.usage.miles_per_year", "count", &m.miles_},
          {"market.insurance.full_coverage_usd", "USD", &m.full_},
          {"market.insurance.minimum_usd", "USD", &m.minimum_},
          {"market.maintenance.usd_per_mile", "USD", &m.maintenance_},
          {"market.depreciation.new_vehicle_5yr_percent", "percent", &m.new_depreciation_},
          {"market.depreciation.old_import_annual_percent", "percent", &m.old_depreciation_},
      });
      !bound)
    return std::unexpected(bound.error());
  return m;
}

Result<EnergyUse> OwnershipModel::from_japanese_cycle(double km_per_l, TestCycle cycle, Date on) const {
  if (!(km_per_l > 0 && km_per_l < 100))
    return fail(fmt::format("km_per_l: {} is not a fuel economy", km_per_l));
  const Parameter* p = cycle == TestCycle::wltc ? wltc_ : cycle == TestCycle::jc08 ? jc08_ : ten_fifteen_;
  const ParamValue* ratio = p->in_force(on);
  if (ratio == nullptr) return fail(fmt::format("no on-road ratio for {} on {}", to_string(cycle), on.str()));
  const double mpg = km_per_l * ratio->value * kLitresPerGallon / kKmPerMile;
  EnergyUse e;
  e.per_mile = 1.0 / mpg;
  e.confidence = ratio->confidence;
  e.basis = fmt::format("{} {} km/L x on-road ratio {} = {} mpg on the road ({})", to_string(cycle),
                        format_quantity(km_per_l, 2), format_quantity(ratio->value, 3),
                        format_quantity(mpg, 1), cite(p, ratio));
  return e;
}

Result<EnergyUse> OwnershipModel::from_japanese_ev(double wh_per_km, Date on) const {
  if (!(wh_per_km > 0 && wh_per_km < 1000))
    return fail(fmt::format("wh_per_km: {} is not a consumption", wh_per_km));
  const ParamValue* ratio = wltc_->in_force(on);
  if (ratio == nullptr) return fail("no WLTC on-road ratio in force");
  EnergyUse e;
  e.electric = true;
  e.per_mile = wh_per_km * kKmPerMile / 1000.0 / ratio->value;
  e.confidence = Confidence::low;
  e.basis = fmt::format(
      "WLTC {} Wh/km / on-road ratio {} = {} kWh a mile (ratio measured on gasoline cars, applied "
      "to an EV by assumption; {})",
      format_quantity(wh_per_km, 1), format_quantity(ratio->value, 3), format_quantity(e.per_mile, 3),
      cite(wltc_, ratio));
  return e;
}

EnergyUse OwnershipModel::from_us_mpg(double mpg, std::string basis) {
  EnergyUse e;
  e.per_mile = 1.0 / mpg;
  e.basis = fmt::format("{} mpg ({})", format_quantity(mpg, 1), std::move(basis));
  e.confidence = Confidence::medium;
  return e;
}

OwnedVehicle OwnershipModel::reference(const ReferenceVehicle& r) const {
  OwnedVehicle v;
  v.id = r.id;
  v.name = r.name;
  v.purchase = r.price;
  v.purchase_basis = fmt::format("{}: {}", r.price_basis, r.source);
  if (r.mpg) {
    v.energy = from_us_mpg(*r.mpg, "EPA; data/vehicles/us_reference.csv");
  } else {
    v.energy.electric = true;
    v.energy.per_mile = *r.kwh_per_mile;
    v.energy.basis =
        fmt::format("{} kWh a mile (data/vehicles/us_reference.csv)", format_quantity(*r.kwh_per_mile, 3));
  }
  v.energy.confidence = r.confidence;
  v.cover = r.full_coverage ? InsuranceCover::full : InsuranceCover::minimum;
  v.new_vehicle = true;
  return v;
}

Result<OwnershipCost> OwnershipModel::cost(const OwnedVehicle& v, const OwnershipTerms& t, bool kei) const {
  if (t.years < 1 || t.years > 30) return fail(fmt::format("years: {} is out of range (1 to 30)", t.years));
  const ParamValue* miles_default = miles_->in_force(t.start);
  if (!t.miles_per_year && miles_default == nullptr) {
    return fail(
        fmt::format("miles_per_year: no default: {} has no value in force on {} (its values begin {})",
                    miles_->name, t.start.str(), miles_->values.front().from.str()));
  }
  const int miles_per_year = t.miles_per_year.value_or(static_cast<int>(miles_default->value));
  if (miles_per_year < 0 || miles_per_year > 100000)
    return fail(fmt::format("miles_per_year: {} is out of range (0 to 100,000)", miles_per_year));
  try {
    return cost_checked(v, t, kei, miles_per_year, miles_default);
  } catch (const MoneyOverflow& e) {
    return fail(fmt::format("{}: the amounts do not fit in 64 bits of cents ({})", v.id, e.what()));
  }
}

Result<OwnershipCost> OwnershipModel::cost_checked(const OwnedVehicle& v, const OwnershipTerms& t, bool kei,
                                                   int miles_per_year,
                                                   const ParamValue* miles_default) const {
  OwnershipCost c;
  c.id = v.id;
  c.name = v.name;
  c.miles = miles_per_year * t.years;
  const std::string miles_basis = t.miles_per_year ? "given" : cite(miles_, miles_default);

  c.lines.push_back(make_line("purchase", "purchase", v.purchase, v.purchase_basis, Confidence::unstated));

  // The value left after `years`.
  double kept = 1.0;
  std::string dep_basis;
  Confidence dep_conf = Confidence::unstated;
  if (kei && t.depreciation_percent_per_year) {
    kept = std::pow(1.0 - *t.depreciation_percent_per_year / 100.0, t.years);
    dep_basis = fmt::format("given: {} % a year", format_quantity(*t.depreciation_percent_per_year, 2));
  } else if (v.new_vehicle) {
    const ParamValue* d = new_depreciation_->in_force(t.start);
    if (d == nullptr || d->value > 100) return fail("no new-vehicle depreciation (0 to 100 %) in force");
    kept = std::pow(1.0 - d->value / 100.0, t.years / 5.0);
    dep_basis = fmt::format("{} % lost over 5 years, compounded over {} ({})", format_quantity(d->value),
                            t.years, cite(new_depreciation_, d));
    dep_conf = d->confidence;
  } else {
    const ParamValue* d = old_depreciation_->in_force(t.start);
    if (d == nullptr || d->value > 100) return fail("no old-import depreciation (0 to 100 %) in force");
    kept = std::pow(1.0 - d->value / 100.0, t.years);
    dep_basis = fmt::format("{} % a year ({})", format_quantity(d->value, 2), cite(old_depreciation_, d));
    dep_conf = d->confidence;
  }
  const Money residual = Money::round_cents(static_cast<double>(v.purchase.cents) * kept);
  c.lines.push_back(make_line("residual", fmt::format("value left after {} years", t.years),
                              Money{} - residual, dep_basis, dep_conf));

  // Energy at the price in force at the start, held constant.
  const Parameter* price_param = v.energy.electric ? electricity_ : gasoline_;
  const ParamValue* price = price_param->in_force(t.start);
  if (price == nullptr)
    return fail(fmt::format("no {} price in force on {}", price_param->name, t.start.str()));
  const double energy_usd = c.miles * v.energy.per_mile * price->value;
  c.lines.push_back(make_line("energy", v.energy.electric ? "electricity" : "gasoline",
                              Money::from_dollars(energy_usd),
                              fmt::format("{} miles ({} a year; {}) at {}; {}", c.miles, miles_per_year,
                                          miles_basis, cite(price_param, price), v.energy.basis),
                              v.energy.confidence));

  // Insurance.
  Money insurance_year;
  std::string ins_basis;
  Confidence ins_conf = Confidence::unstated;
  if (kei && t.insurance_per_year) {
    insurance_year = *t.insurance_per_year;
    ins_basis = "given";
  } else {
    const Parameter* p = v.cover == InsuranceCover::full ? full_ : minimum_;
    const ParamValue* iv = p->in_force(t.start);
    if (iv == nullptr) return fail(fmt::format("no {} in force", p->name));
    insurance_year = Money::from_dollars(iv->value);
    ins_basis =
        fmt::format("{} cover: {}", v.cover == InsuranceCover::full ? "full" : "liability-only", cite(p, iv));
    ins_conf = iv->confidence;
  }
  c.lines.push_back(make_line("insurance", "insurance", insurance_year.times(t.years),
                              fmt::format("{} a year x {}; {}", insurance_year.str(), t.years, ins_basis),
                              ins_conf));

  const ParamValue* maint = maintenance_->in_force(t.start);
  if (maint == nullptr) return fail("no maintenance rate in force");
  c.lines.push_back(
      make_line("maintenance", "maintenance, repair and tires", Money::from_dollars(c.miles * maint->value),
                fmt::format("{} miles; {}", c.miles, cite(maintenance_, maint)), maint->confidence));

  if (t.registration_per_year) {
    c.lines.push_back(
        make_line("registration", "registration and fees", t.registration_per_year->times(t.years),
                  fmt::format("given: {} a year", t.registration_per_year->str()), Confidence::unstated));
  }
  for (const OwnershipLine& l : c.lines) c.total += l.amount;
  return c;
}

}  // namespace keipath
