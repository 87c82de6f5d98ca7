// The landed-cost breakdown. Order: Japan-side lines (yen, converted once each), freight and insurance,
// duties on the customs value, CBP fees, US-side charges, inland delivery. Totals are sums of the lines.
#include "keipath/landed_cost.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "keipath/csv.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath {
namespace {

std::string basis_of(const Parameter* p, const ParamValue* v) {
  return fmt::format("{} (since {}): {}", p->name, v->from.str(), v->ref);
}

CostLine make_line(std::string id, std::string label, std::string group, Money amount = {}) {
  CostLine l;
  l.id = std::move(id);
  l.label = std::move(label);
  l.group = std::move(group);
  l.amount = amount;
  return l;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

constexpr std::array<std::string_view, 5> kJpyLines = {"auction_fee", "jp_inland", "export_customs",
                                                       "agent_commission", "container_packing"};
constexpr std::array<std::string_view, 6> kUsdLines = {"freight", "insurance", "broker",
                                                       "isf",     "terminal",  "inland_delivery"};

}  // namespace

std::string_view to_string(FreightMode m) {
  return m == FreightMode::roro ? "roro" : "container";
}

Result<CostTables> CostTables::parse(std::string_view ports_csv, std::string_view ports_label,
                                     std::string_view inland_csv, std::string_view inland_label) {
  CostTables t;
  std::vector<std::string> errors;
  auto ports = parse_csv(ports_csv, ports_label);
  if (!ports) return std::unexpected(ports.error());
  if (auto cols = require_columns(
          *ports, ports_label,
          {"code", "name", "coast", "roro_usd", "container_usd", "source", "confidence", "note"});
      !cols)
    return std::unexpected(cols.error());
  for (const CsvRow& row : ports->rows) {
    auto cell = [&](std::string_view c) { return row.fields[static_cast<size_t>(ports->column(c))]; };
    Port p{upper(cell("code")), cell("name"), cell("coast"), {}, {}, cell("source"), {}, cell("note")};
    auto roro = Money::parse(cell("roro_usd"));
    auto container = Money::parse(cell("container_usd"));
    auto conf = parse_confidence(cell("confidence"));
    if (!roro || !container)
      errors.push_back(row_problem(
          ports_label, row.line,
          fmt::format("roro_usd / container_usd: {}", (!roro ? roro : container).error().message)));
    if (!conf) errors.push_back(row_problem(ports_label, row.line, conf.error().message));
    if (p.code.size() != 5)
      errors.push_back(
          row_problem(ports_label, row.line, fmt::format("code '{}' is not a 5-letter UN/LOCODE", p.code)));
    if (p.source.empty()) errors.push_back(fmt::format("{}:{}: source is empty", ports_label, row.line));
    if (roro && container && conf) {
      p.roro = *roro;
      p.container = *container;
      p.confidence = *conf;
    }
    t.ports_.push_back(std::move(p));
  }
  auto inland = parse_csv(inland_csv, inland_label);
  if (!inland) return std::unexpected(inland.error());
  if (auto cols = require_columns(*inland, inland_label,
                                  {"up_to_miles", "usd_cents_per_mile", "source", "confidence"});
      !cols)
    return std::unexpected(cols.error());
  for (const CsvRow& row : inland->rows) {
    auto cell = [&](std::string_view c) { return row.fields[static_cast<size_t>(inland->column(c))]; };
    InlandBand b{0, 0, cell("source"), {}};
    auto miles = cell_quantity("up_to_miles", cell("up_to_miles"), "miles", /*whole=*/true);
    auto cents = cell_quantity("usd_cents_per_mile", cell("usd_cents_per_mile"), "USD_cents", /*whole=*/true);
    for (const auto* r : {&miles, &cents})
      if (!*r) errors.push_back(row_problem(inland_label, row.line, r->error().message));
    if (miles && cents) {
      b.up_to_miles = static_cast<int>(*miles);
      b.cents_per_mile = static_cast<int64_t>(*cents);
    }
    auto conf = parse_confidence(cell("confidence"));
    if (miles && cents && (b.up_to_miles <= 0 || b.cents_per_mile <= 0))
      errors.push_back(row_problem(inland_label, row.line,
                                   "up_to_miles and usd_cents_per_mile must be positive whole numbers"));
    if (!t.inland_.empty() && b.up_to_miles <= t.inland_.back().up_to_miles)
      errors.push_back(row_problem(inland_label, row.line, "bands must be in increasing up_to_miles"));
    if (!conf) errors.push_back(row_problem(inland_label, row.line, conf.error().message));
    if (conf) b.confidence = *conf;
    t.inland_.push_back(std::move(b));
  }
  if (t.ports_.empty()) errors.push_back(fmt::format("{}: no ports", ports_label));
  if (t.inland_.empty()) errors.push_back(fmt::format("{}: no bands", inland_label));
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return t;
}

const Port* CostTables::port(std::string_view code) const {
  const std::string want = upper(code);
  for (const Port& p : ports_)
    if (p.code == want) return &p;
  return nullptr;
}

const InlandBand& CostTables::inland_band(int miles) const {
  for (const InlandBand& b : inland_)
    if (miles <= b.up_to_miles) return b;
  return inland_.back();
}

std::vector<std::string_view> LandedCostModel::jpy_line_ids() {
  return {kJpyLines.begin(), kJpyLines.end()};
}
std::vector<std::string_view> LandedCostModel::usd_line_ids() {
  return {kUsdLines.begin(), kUsdLines.end()};
}

Result<LandedCostModel> LandedCostModel::bind(const ParamStore& params, CostTables tables,
                                              const DutyRule& duties) {
  LandedCostModel m;
  m.tables_ = std::move(tables);
  m.duties_ = &duties;
  if (auto bound = params.require_all({
          {"market.fx.jpy_per_usd", "JPY_per_USD", &m.fx_},
          {"market.fx.stale_after_months", "months", &m.fx_stale_},
          {"jp.consumption_tax_percent", "percent", &m.consumption_tax_},
          {"jp.consumption_tax_export_exempt", "bool", &m.export_exempt_},
          {"market.japan.auction_fee_jpy", "JPY", &m.auction_fee_},
          {"market.japan.inland_transport_jpy", "JPY", &m.jp_inland_},
          {"market.japan.export_customs_jpy", "JPY", &m.export_customs_},
          {"market.japan.agent_commission_jpy", "JPY", &m.agent_},
          {"market.japan.container_packing_jpy", "JPY", &m.packing_},
          {"market.insurance.marine_percent", "percent", &m.insurance_},
          {"market.us.broker_entry_usd", "USD", &m.broker_},
          {"market.us.isf_usd", "USD", &m.isf_},
          {"market.us.terminal_release_usd", "USD", &m.terminal_},
          {"us.cbp.mpf_percent", "percent", &m.mpf_},
          {"us.cbp.mpf_min_usd_cents", "USD_cents", &m.mpf_min_},
          {"us.cbp.mpf_max_usd_cents", "USD_cents", &m.mpf_max_},
          {"us.cbp.informal_entry_max_usd_cents", "USD_cents", &m.informal_max_},
          {"us.cbp.informal_mpf_usd_cents", "USD_cents", &m.informal_mpf_},
          {"us.cbp.hmf_percent", "percent", &m.hmf_},
      });
      !bound)
    return std::unexpected(bound.error());
  return m;
}

Result<void> LandedCostModel::check_price(int64_t price_jpy) {
  if (price_jpy <= 0 || !check_quantity(static_cast<double>(price_jpy), "JPY"))
    return fail(fmt::format("price_jpy: {} is not a price (give yen, more than 0 and at most {})", price_jpy,
                            format_quantity(find_unit("JPY")->max)));
  return {};
}

std::vector<std::string> LandedCostModel::question_errors(const LandedCostQuestion& q) const {
  std::vector<std::string> errors;
  if (q.jpy_per_usd) {
    if (auto ok = check_quantity(*q.jpy_per_usd, "JPY_per_USD"); !ok)
      errors.push_back(fmt::format("jpy_per_usd: {}", ok.error().message));
  }
  if (tables_.port(q.port) == nullptr) {
    std::vector<std::string_view> codes;
    for (const Port& p : tables_.ports()) codes.push_back(p.code);
    errors.push_back(
        fmt::format("port: '{}' is not a known port (one of {})", q.port, fmt::join(codes, ", ")));
  }
  if (q.inland_miles < 0 || q.inland_miles > 6000)
    errors.push_back(fmt::format("inland_miles: {} is out of range (0 to 6,000)", q.inland_miles));
  if (!q.vehicle.built)
    errors.push_back("vehicle.built: needed for the duties (Section 232 counts the build year)");
  for (const auto& [id, yen] : q.set_jpy) {
    if (std::find(kJpyLines.begin(), kJpyLines.end(), id) == kJpyLines.end())
      errors.push_back(
          fmt::format("set: '{}' is not a yen cost line (one of {})", id, fmt::join(kJpyLines, ", ")));
    if (auto ok = check_quantity(static_cast<double>(yen), "JPY"); !ok)
      errors.push_back(fmt::format("set: {} = {} yen: {}", id, yen, ok.error().message));
  }
  for (const auto& [id, usd] : q.set_usd) {
    if (std::find(kUsdLines.begin(), kUsdLines.end(), id) == kUsdLines.end())
      errors.push_back(
          fmt::format("set: '{}' is not a dollar cost line (one of {})", id, fmt::join(kUsdLines, ", ")));
    if (auto ok = check_quantity(static_cast<double>(usd.cents), "USD_cents"); !ok)
      errors.push_back(fmt::format("set: {} = {}: {}", id, usd.str(), ok.error().message));
  }
  return errors;
}

Result<LandedCost> LandedCostModel::compute(const LandedCostQuestion& q) const {
  std::vector<std::string> errors;
  if (auto price = check_price(q.price_jpy); !price) errors.push_back(price.error().message);
  for (std::string& e : question_errors(q)) errors.push_back(std::move(e));
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  if (auto defaults = check_defaults(q); !defaults) return std::unexpected(defaults.error());
  auto plan = plan_checked(q);
  if (!plan) return std::unexpected(plan.error());
  try {
    // Under every candidate heading; the one with the highest settled total is shown, the others listed.
    const size_t shown = totals(*plan, q.price_jpy).heading;
    LandedCost out = render(q, *plan, shown);
    for (size_t i = 0; i < plan->headings.size(); ++i) {
      if (i == shown) continue;
      const LandedAmounts a = amounts(*plan, q.price_jpy, i);
      out.other_headings.push_back(HeadingTotal{plan->headings[i].heading, a.total, a.total_high});
    }
    std::stable_sort(out.other_headings.begin(), out.other_headings.end(),
                     [](const HeadingTotal& a, const HeadingTotal& b) { return a.total > b.total; });
    if (!out.other_headings.empty()) {
      std::vector<std::string> others;
      for (const HeadingTotal& o : out.other_headings)
        others.push_back(fmt::format("{} (total {})", o.heading->heading, o.total.str()));
      out.reasons.push_back(
          Reason{Outcome::unknown, "heading",
                 fmt::format("The heading is unsettled for this vehicle: shown under {} (the higher "
                             "total); also possible: {}. --heading picks one.",
                             out.duties.heading->heading, fmt::join(others, "; ")),
                 std::nullopt});
    }
    return out;
  } catch (const MoneyOverflow& e) {
    return fail(fmt::format("price_jpy: the amounts do not fit in 64 bits of cents ({})", e.what()));
  }
}

Result<LandedCostPlan> LandedCostModel::plan(const LandedCostQuestion& q) const {
  if (std::vector<std::string> errors = question_errors(q); !errors.empty())
    return fail(fmt::format("{}", fmt::join(errors, "\n")));
  if (auto defaults = check_defaults(q); !defaults) return std::unexpected(defaults.error());
  return plan_checked(q);
}

Result<void> LandedCostModel::check_defaults(const LandedCostQuestion& q) const {
  // A market default that is not in force on the entry date is an error naming the parameter and what the
  // question must give instead; it never becomes zero.
  std::vector<std::string> errors;
  auto missing = [&](const Parameter* p) {
    return p->in_force(q.entry) == nullptr
               ? fmt::format("{} has no value in force on {} (its values begin {}, {})", p->name,
                             q.entry.str(), p->values.front().from.str(), p->where.str())
               : std::string();
  };
  if (!q.jpy_per_usd) {
    if (std::string m = missing(fx_); !m.empty())
      errors.push_back(fmt::format("jpy_per_usd: no default exchange rate: {}; give the rate", m));
  }
  auto need = [&](std::string_view id, const Parameter* p, bool given, std::string_view unit) {
    if (given) return;
    if (std::string m = missing(p); !m.empty())
      errors.push_back(fmt::format("set: {}: no default: {}; give it as {}={}", id, m, id, unit));
  };
  need("auction_fee", auction_fee_, q.set_jpy.contains("auction_fee"), "YEN");
  need("jp_inland", jp_inland_, q.set_jpy.contains("jp_inland"), "YEN");
  need("export_customs", export_customs_, q.set_jpy.contains("export_customs"), "YEN");
  need("agent_commission", agent_, q.set_jpy.contains("agent_commission"), "YEN");
  if (q.mode == FreightMode::container)
    need("container_packing", packing_, q.set_jpy.contains("container_packing"), "YEN");
  need("insurance", insurance_, q.set_usd.contains("insurance"), "DOLLARS");
  need("broker", broker_, q.set_usd.contains("broker"), "DOLLARS");
  need("isf", isf_, q.set_usd.contains("isf"), "DOLLARS");
  need("terminal", terminal_, q.set_usd.contains("terminal"), "DOLLARS");
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return {};
}

Result<LandedCostPlan> LandedCostModel::plan_checked(const LandedCostQuestion& q) const {
  std::vector<std::string> missing;
  std::vector<const TariffHeading*> headings;
  if (!q.heading.empty()) {
    const TariffHeading* h = duties_->headings().find(q.heading);
    if (h == nullptr) return fail(fmt::format("heading: '{}' is not in hts_headings.csv", q.heading));
    headings.push_back(h);
  } else {
    headings = duties_->headings().match(q.vehicle, &missing);
    if (headings.empty()) {
      return fail(missing.empty()
                      ? "vehicle: no tariff heading in hts_headings.csv matches it"
                      : fmt::format("vehicle.{}: needed to choose the tariff heading", missing.front()));
    }
  }
  LandedCostPlan p;
  p.entry = q.entry;
  p.mode = q.mode;
  p.port = tables_.port(q.port);
  const ParamValue* fx = fx_->in_force(q.entry);
  if (q.jpy_per_usd) {
    p.jpy_per_usd = *q.jpy_per_usd;
    p.fx_basis = "given";
  } else {
    p.jpy_per_usd = fx != nullptr ? fx->value : 0;
    p.fx_basis = fx != nullptr ? basis_of(fx_, fx) : "no default";
    // The series' newest month stays in force after it: say so once the date is well past it.
    const ParamValue* stale = fx_stale_->in_force(q.entry);
    if (fx != nullptr && stale != nullptr && fx == &fx_->values.back()) {
      const YearMonth newest(fx->from.year(), fx->from.month());
      const Date limit = newest.plus_months(1 + static_cast<int>(stale->value)).first_day();
      if (q.entry >= limit)
        p.fx_warning = fmt::format(
            "the newest exchange rate in the data is the {} average (¥{} per $), more than {} months before "
            "{}: give the rate of the day",
            newest.str(), format_quantity(fx->value, 4), format_quantity(stale->value), q.entry.str());
    }
  }
  if (q.price_includes_consumption_tax) {
    const ParamValue* tax = consumption_tax_->in_force(q.entry);
    const ParamValue* exempt = export_exempt_->in_force(q.entry);
    if (tax != nullptr && exempt != nullptr && exempt->value != 0) {
      p.consumption_tax = tax;
      p.export_exempt = exempt;
    }
  }
  // A line from a dated default, or the figure the question set for it.
  auto yen_line = [&](std::string_view id, const Parameter* param, bool dutiable) {
    LandedCostPlan::Line l{id, {}, {}, dutiable, false, param, param->in_force(q.entry)};
    // check_defaults made sure a default is in force where nothing was given.
    int64_t yen = l.value != nullptr ? Money::round_cents(l.value->value).cents : 0;
    if (auto it = q.set_jpy.find(std::string(id)); it != q.set_jpy.end()) {
      yen = it->second;
      l.overridden = true;
    }
    l.yen = yen;
    l.amount = Money::from_yen(yen, p.jpy_per_usd);
    p.japan.push_back(l);
    p.japan_fixed += l.amount;
    if (dutiable) p.japan_dutiable += l.amount;
  };
  auto usd_line = [&](std::string_view id, const Parameter* param, const ParamValue* value, Money amount) {
    LandedCostPlan::Line l{id, amount, {}, false, false, param, value};
    if (auto it = q.set_usd.find(std::string(id)); it != q.set_usd.end()) {
      l.amount = it->second;
      l.overridden = true;
    }
    return l;
  };
  yen_line("auction_fee", auction_fee_, true);
  yen_line("jp_inland", jp_inland_, true);
  yen_line("export_customs", export_customs_, true);
  yen_line("agent_commission", agent_, q.agent_commission_dutiable);
  if (q.mode == FreightMode::container) yen_line("container_packing", packing_, true);
  p.freight =
      usd_line("freight", nullptr, nullptr, q.mode == FreightMode::roro ? p.port->roro : p.port->container);
  p.insurance = usd_line("insurance", insurance_, insurance_->in_force(q.entry), Money{});
  p.mpf = mpf_->in_force(q.entry);
  p.mpf_min = mpf_min_->in_force(q.entry);
  p.mpf_max = mpf_max_->in_force(q.entry);
  p.informal_max = informal_max_->in_force(q.entry);
  p.informal_mpf = informal_mpf_->in_force(q.entry);
  p.hmf = hmf_->in_force(q.entry);
  for (auto [id, param] :
       {std::pair{std::string_view("broker"), broker_}, {"isf", isf_}, {"terminal", terminal_}}) {
    const ParamValue* v = param->in_force(q.entry);
    p.us.push_back(usd_line(id, param, v, v != nullptr ? Money::from_dollars(v->value) : Money{}));
  }
  if (q.inland_miles > 0 || q.set_usd.contains("inland_delivery")) {
    const InlandBand& band = tables_.inland_band(q.inland_miles);
    p.us.push_back(usd_line("inland_delivery", nullptr, nullptr,
                            Money::from_cents(band.cents_per_mile).times(q.inland_miles)));
  }
  for (const LandedCostPlan::Line& l : p.us) p.us_fixed += l.amount;
  for (const TariffHeading* h : headings) {
    LandedCostPlan::Heading ph{h, {}};
    // The rates do not depend on the value they are charged on.
    for (const DutyLine& d : duties_->assess(*h, *q.vehicle.built, q.entry, Money{}).lines)
      ph.duties.push_back({d.rate_percent, d.status});
    p.headings.push_back(std::move(ph));
  }
  return p;
}

LandedAmounts LandedCostModel::amounts(const LandedCostPlan& p, int64_t price_jpy, size_t heading) {
  LandedAmounts a;
  // 1. The price, net of consumption tax when it included it (an export sale is exempt).
  a.purchase_yen = price_jpy;
  if (p.consumption_tax != nullptr)
    a.purchase_yen =
        Money::round_cents(static_cast<double>(price_jpy) / (1.0 + p.consumption_tax->value / 100.0)).cents;
  a.purchase = Money::from_yen(a.purchase_yen, p.jpy_per_usd);
  a.fob = a.purchase + p.japan_fixed;
  a.customs_value = a.purchase + p.japan_dutiable;
  // 2. Marine insurance on FOB.
  if (p.insurance.overridden) {
    a.insurance = p.insurance.amount;
  } else if (p.insurance.value != nullptr) {
    a.insurance = a.fob.percent(p.insurance.value->value);
  }
  // 3. Duties on the customs value, each line rounded to the cent.
  for (const LandedCostPlan::DutyRate& d : p.headings[heading].duties) {
    if (d.status == DutyStatus::applies) a.duties_settled += a.customs_value.percent(d.percent);
    if (d.status == DutyStatus::unsettled) a.duties_unsettled += a.customs_value.percent(d.percent);
  }
  // 4. CBP fees: an informal entry's flat fee up to the informal limit, else the formal ad valorem fee.
  if (p.informal_max != nullptr && p.informal_mpf != nullptr &&
      a.customs_value <= Money::round_cents(p.informal_max->value)) {
    a.informal = true;
    a.mpf = Money::round_cents(p.informal_mpf->value);
  } else if (p.mpf != nullptr) {
    a.mpf = a.customs_value.percent(p.mpf->value);
    if (p.mpf_min != nullptr && a.mpf < Money::round_cents(p.mpf_min->value)) {
      a.mpf = Money::round_cents(p.mpf_min->value);
      a.mpf_clamp = -1;
    }
    if (p.mpf_max != nullptr && a.mpf > Money::round_cents(p.mpf_max->value)) {
      a.mpf = Money::round_cents(p.mpf_max->value);
      a.mpf_clamp = 1;
    }
  }
  if (p.hmf != nullptr) a.hmf = a.customs_value.percent(p.hmf->value);
  a.total = a.fob + p.freight.amount + a.insurance + a.duties_settled + a.mpf + a.hmf + p.us_fixed;
  a.total_high = a.total + a.duties_unsettled;
  return a;
}

LandedTotals LandedCostModel::totals(const LandedCostPlan& p, int64_t price_jpy) {
  LandedTotals best;
  for (size_t i = 0; i < p.headings.size(); ++i) {
    const LandedAmounts a = amounts(p, price_jpy, i);
    if (i == 0 || a.total > best.total) best = LandedTotals{i, a.total, a.total_high};
  }
  return best;
}

LandedCost LandedCostModel::render(const LandedCostQuestion& q, const LandedCostPlan& p,
                                   size_t heading) const {
  const LandedAmounts a = amounts(p, q.price_jpy, heading);
  const TariffHeading& h = *p.headings[heading].heading;
  LandedCost c;
  c.entry = p.entry;
  c.mode = p.mode;
  c.port = p.port;
  c.jpy_per_usd = p.jpy_per_usd;
  c.fx_basis = p.fx_basis;
  c.fx_warning = p.fx_warning;
  c.fob = a.fob;
  c.customs_value = a.customs_value;
  c.total = a.total;
  c.total_high = a.total_high;
  auto add = [&](CostLine line) { c.lines.push_back(std::move(line)); };
  // A fixed line with where its figure comes from.
  auto fixed = [&](const LandedCostPlan::Line& l, std::string label, std::string group, std::string basis,
                   Confidence confidence) {
    CostLine out = make_line(std::string(l.id), std::move(label), std::move(group), l.amount);
    out.yen = l.yen;
    out.in_customs_value = l.dutiable;
    out.overridden = l.overridden;
    if (l.overridden) {
      out.basis = "given";
    } else {
      out.basis = std::move(basis);
      out.confidence = confidence;
    }
    add(std::move(out));
  };
  auto param_line = [&](const LandedCostPlan::Line& l, std::string label, std::string group) {
    fixed(l, std::move(label), std::move(group),
          l.value != nullptr ? basis_of(l.param, l.value) : "no default in force",
          l.value != nullptr ? l.value->confidence : Confidence::unstated);
  };

  // 1. The price, net of consumption tax when it included it.
  CostLine purchase = make_line("purchase", "purchase price in Japan", "japan", a.purchase);
  purchase.basis = "given";
  if (p.consumption_tax != nullptr) {
    purchase.basis = fmt::format(
        "given {} yen including {} % consumption tax, netted out for export ({}; {})",
        format_quantity(static_cast<double>(q.price_jpy)), format_quantity(p.consumption_tax->value),
        basis_of(consumption_tax_, p.consumption_tax), basis_of(export_exempt_, p.export_exempt));
  }
  purchase.yen = a.purchase_yen;
  purchase.in_customs_value = true;
  add(std::move(purchase));
  for (const LandedCostPlan::Line& l : p.japan) {
    const std::string label =
        l.id == "auction_fee"      ? "auction fee"
        : l.id == "jp_inland"      ? "transport to the export port"
        : l.id == "export_customs" ? "export customs and deregistration"
        : l.id == "container_packing"
            ? "container packing"
            : (q.agent_commission_dutiable ? "agent's commission (dutiable)"
                                           : "buying agent's commission (not dutiable)");
    param_line(l, label, "japan");
  }
  if (!q.agent_commission_dutiable) {
    c.reasons.push_back(
        Reason{Outcome::note, "customs_value",
               "Customs value is the transaction value: the FOB price without international freight "
               "and insurance (19 U.S.C. 1401a(b)(4)(A)) and without a bona fide buying commission "
               "(1401a(b)(1) counts selling commissions only); --agent-commission-dutiable if the "
               "agent acted for the seller.",
               std::nullopt});
  }

  // 2. Freight and insurance.
  fixed(p.freight, fmt::format("ocean freight ({}) to {}", to_string(p.mode), p.port->name), "shipping",
        fmt::format("data/market/ports.csv {}: {} ({})", p.port->code, p.port->source, p.port->note),
        p.port->confidence);
  {
    LandedCostPlan::Line ins = p.insurance;
    ins.amount = a.insurance;
    const ParamValue* rate = p.insurance.value;
    fixed(ins, "marine insurance", "shipping",
          rate != nullptr ? fmt::format("{} % of FOB {}; {}", format_quantity(rate->value), a.fob.str(),
                                        basis_of(insurance_, rate))
                          : "no default in force",
          rate != nullptr ? rate->confidence : Confidence::unstated);
  }

  // 3. Duties on the customs value.
  c.duties = duties_->assess(h, *q.vehicle.built, q.entry, a.customs_value);
  for (const DutyLine& d : c.duties.lines) {
    if (d.status == DutyStatus::not_applicable) continue;
    CostLine l = make_line(
        "duty_" + d.id, d.name + (d.status == DutyStatus::unsettled ? " (unsettled: not in the total)" : ""),
        "duty", d.amount);
    l.in_total = d.status == DutyStatus::applies;
    l.basis = fmt::format("{} % of customs value {}; {}", format_quantity(d.rate_percent, 4),
                          a.customs_value.str(), d.reason.citation ? d.reason.citation->ref : d.reason.text);
    l.confidence = d.reason.citation ? d.reason.citation->confidence : Confidence::unstated;
    add(std::move(l));
  }

  // 4. CBP fees.
  if (a.informal) {
    CostLine l = make_line("mpf", "merchandise processing fee (informal entry)", "fees", a.mpf);
    l.basis = fmt::format(
        "informal entry: customs value {} is at most {} ({}); its fee {} ({}); CBP may require a formal "
        "entry, "
        "whose fee would be {} % of the value with a minimum",
        a.customs_value.str(), Money::round_cents(p.informal_max->value).str(),
        basis_of(informal_max_, p.informal_max), a.mpf.str(), basis_of(informal_mpf_, p.informal_mpf),
        p.mpf != nullptr ? format_quantity(p.mpf->value, 4) : std::string("-"));
    l.confidence = std::min(p.informal_max->confidence, p.informal_mpf->confidence);
    add(std::move(l));
  } else if (const ParamValue* rate = p.mpf) {
    const ParamValue* lo = p.mpf_min;
    const ParamValue* hi = p.mpf_max;
    CostLine l = make_line("mpf", "merchandise processing fee", "fees", a.mpf);
    l.basis = fmt::format("{} % of {}{} (min {}, max {}); {}", format_quantity(rate->value, 4),
                          a.customs_value.str(),
                          a.mpf_clamp < 0   ? ", raised to the minimum"
                          : a.mpf_clamp > 0 ? ", capped at the maximum"
                                            : "",
                          lo ? Money::round_cents(lo->value).str() : "-",
                          hi ? Money::round_cents(hi->value).str() : "-", basis_of(mpf_, rate));
    l.confidence = rate->confidence;
    add(std::move(l));
  }
  if (const ParamValue* rate = p.hmf) {
    CostLine l = make_line("hmf", "harbor maintenance fee", "fees", a.hmf);
    l.basis = fmt::format("{} % of {} (ocean shipment); {}", format_quantity(rate->value, 4),
                          a.customs_value.str(), basis_of(hmf_, rate));
    l.confidence = rate->confidence;
    add(std::move(l));
  }

  // 5. US-side charges and delivery.
  for (const LandedCostPlan::Line& l : p.us) {
    if (l.id == "inland_delivery") {
      const InlandBand& band = tables_.inland_band(q.inland_miles);
      fixed(l, fmt::format("truck delivery, {} miles", q.inland_miles), "us",
            fmt::format("{} cents a mile for trips up to {} miles: data/market/inland_transport.csv; {}",
                        band.cents_per_mile, band.up_to_miles, band.source),
            band.confidence);
    } else {
      param_line(l,
                 l.id == "broker" ? "customs broker (entry filing)"
                 : l.id == "isf"  ? "importer security filing"
                                  : "terminal handling and release",
                 "us");
    }
  }

  // The lines add up to the totals the plan's arithmetic gave, to the cent.
  Money lines_total, lines_high;
  for (const CostLine& l : c.lines) {
    if (l.in_total) lines_total += l.amount;
    lines_high += l.amount;
  }
  if (lines_total != c.total || lines_high != c.total_high)
    throw std::logic_error(fmt::format("landed cost: the lines add up to {} / {}, the totals are {} / {}",
                                       lines_total.str(), lines_high.str(), c.total.str(),
                                       c.total_high.str()));
  return c;
}

}  // namespace keipath
