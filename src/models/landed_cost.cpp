// The landed-cost breakdown. Order: Japan-side lines (yen, converted once each), freight and insurance,
// duties on the customs value, CBP fees, US-side charges, inland delivery. Totals are sums of the lines.
#include "keipath/landed_cost.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

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
          {"us.cbp.hmf_percent", "percent", &m.hmf_},
      });
      !bound)
    return std::unexpected(bound.error());
  return m;
}

Result<LandedCost> LandedCostModel::compute(const LandedCostQuestion& q) const {
  std::vector<std::string> errors;
  if (q.price_jpy <= 0 || !check_quantity(static_cast<double>(q.price_jpy), "JPY"))
    errors.push_back(fmt::format("price_jpy: {} is not a price (give yen, more than 0 and at most {})",
                                 q.price_jpy, format_quantity(find_unit("JPY")->max)));
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
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  if (auto defaults = check_defaults(q); !defaults) return std::unexpected(defaults.error());
  try {
    return compute_checked(q);
  } catch (const MoneyOverflow& e) {
    return fail(fmt::format("price_jpy: the amounts do not fit in 64 bits of cents ({})", e.what()));
  }
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

Result<LandedCost> LandedCostModel::compute_checked(const LandedCostQuestion& q) const {
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
  // Under every candidate heading; the one with the highest settled total is shown, the others listed.
  std::vector<LandedCost> all;
  for (const TariffHeading* h : headings) all.push_back(compute_under(q, *h));
  std::stable_sort(all.begin(), all.end(),
                   [](const LandedCost& a, const LandedCost& b) { return a.total > b.total; });
  LandedCost out = std::move(all.front());
  for (size_t i = 1; i < all.size(); ++i)
    out.other_headings.push_back(HeadingTotal{all[i].duties.heading, all[i].total, all[i].total_high});
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
}

LandedCost LandedCostModel::compute_under(const LandedCostQuestion& q, const TariffHeading& h) const {
  LandedCost c;
  c.entry = q.entry;
  c.mode = q.mode;
  c.port = tables_.port(q.port);
  const ParamValue* fx = fx_->in_force(q.entry);
  if (q.jpy_per_usd) {
    c.jpy_per_usd = *q.jpy_per_usd;
    c.fx_basis = "given";
  } else {
    c.jpy_per_usd = fx != nullptr ? fx->value : 0;
    c.fx_basis = fx != nullptr ? basis_of(fx_, fx) : "no default";
  }
  auto add = [&](CostLine line) { c.lines.push_back(std::move(line)); };
  auto yen_line = [&](std::string id, std::string label, const Parameter* p, bool dutiable) {
    CostLine l = make_line(id, std::move(label), "japan");
    const ParamValue* v = p->in_force(q.entry);
    // check_defaults made sure a default is in force where nothing was given.
    int64_t yen = v != nullptr ? Money::round_cents(v->value).cents : 0;
    if (auto it = q.set_jpy.find(id); it != q.set_jpy.end()) {
      yen = it->second;
      l.overridden = true;
      l.basis = "given";
    } else {
      l.basis = v != nullptr ? basis_of(p, v) : "no default in force";
      l.confidence = v != nullptr ? v->confidence : Confidence::unstated;
    }
    l.yen = yen;
    l.amount = Money::from_yen(yen, c.jpy_per_usd);
    l.in_customs_value = dutiable;
    add(std::move(l));
  };
  auto usd_line = [&](std::string id, std::string label, std::string group, Money amount, std::string basis,
                      Confidence confidence) {
    CostLine l = make_line(id, std::move(label), std::move(group), amount);
    if (auto it = q.set_usd.find(l.id); it != q.set_usd.end()) {
      l.amount = it->second;
      l.overridden = true;
      l.basis = "given";
    } else {
      l.basis = std::move(basis);
      l.confidence = confidence;
    }
    add(std::move(l));
  };

  // 1. The price, net of consumption tax when it included it (an export sale is exempt).
  int64_t price = q.price_jpy;
  CostLine purchase = make_line("purchase", "purchase price in Japan", "japan");
  purchase.basis = "given";
  if (q.price_includes_consumption_tax) {
    const ParamValue* tax = consumption_tax_->in_force(q.entry);
    const ParamValue* exempt = export_exempt_->in_force(q.entry);
    if (tax != nullptr && exempt != nullptr && exempt->value != 0) {
      price = Money::round_cents(static_cast<double>(q.price_jpy) / (1.0 + tax->value / 100.0)).cents;
      purchase.basis =
          fmt::format("given {} yen including {} % consumption tax, netted out for export ({}; {})",
                      format_quantity(static_cast<double>(q.price_jpy)), format_quantity(tax->value),
                      basis_of(consumption_tax_, tax), basis_of(export_exempt_, exempt));
    }
  }
  purchase.yen = price;
  purchase.amount = Money::from_yen(price, c.jpy_per_usd);
  purchase.in_customs_value = true;
  add(std::move(purchase));
  yen_line("auction_fee", "auction fee", auction_fee_, true);
  yen_line("jp_inland", "transport to the export port", jp_inland_, true);
  yen_line("export_customs", "export customs and deregistration", export_customs_, true);
  yen_line("agent_commission",
           q.agent_commission_dutiable ? "agent's commission (dutiable)"
                                       : "buying agent's commission (not dutiable)",
           agent_, q.agent_commission_dutiable);
  if (q.mode == FreightMode::container) yen_line("container_packing", "container packing", packing_, true);
  for (const CostLine& l : c.lines) {
    c.fob += l.amount;
    if (l.in_customs_value) c.customs_value += l.amount;
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
  const Money freight = q.mode == FreightMode::roro ? c.port->roro : c.port->container;
  usd_line("freight", fmt::format("ocean freight ({}) to {}", to_string(q.mode), c.port->name), "shipping",
           freight,
           fmt::format("data/market/ports.csv {}: {} ({})", c.port->code, c.port->source, c.port->note),
           c.port->confidence);
  const ParamValue* ins = insurance_->in_force(q.entry);
  usd_line("insurance", "marine insurance", "shipping", ins != nullptr ? c.fob.percent(ins->value) : Money{},
           ins != nullptr ? fmt::format("{} % of FOB {}; {}", format_quantity(ins->value), c.fob.str(),
                                        basis_of(insurance_, ins))
                          : "no default in force",
           ins != nullptr ? ins->confidence : Confidence::unstated);

  // 3. Duties on the customs value.
  c.duties = duties_->assess(h, *q.vehicle.built, q.entry, c.customs_value);
  for (const DutyLine& d : c.duties.lines) {
    if (d.status == DutyStatus::not_applicable) continue;
    CostLine l = make_line(
        "duty_" + d.id, d.name + (d.status == DutyStatus::unsettled ? " (unsettled: not in the total)" : ""),
        "duty", d.amount);
    l.in_total = d.status == DutyStatus::applies;
    l.basis = fmt::format("{} % of customs value {}; {}", format_quantity(d.rate_percent, 4),
                          c.customs_value.str(), d.reason.citation ? d.reason.citation->ref : d.reason.text);
    l.confidence = d.reason.citation ? d.reason.citation->confidence : Confidence::unstated;
    add(std::move(l));
  }

  // 4. CBP fees.
  if (const ParamValue* rate = mpf_->in_force(q.entry)) {
    Money mpf = c.customs_value.percent(rate->value);
    const ParamValue* lo = mpf_min_->in_force(q.entry);
    const ParamValue* hi = mpf_max_->in_force(q.entry);
    std::string clamp;
    if (lo != nullptr && mpf < Money::round_cents(lo->value)) {
      mpf = Money::round_cents(lo->value);
      clamp = ", raised to the minimum";
    }
    if (hi != nullptr && mpf > Money::round_cents(hi->value)) {
      mpf = Money::round_cents(hi->value);
      clamp = ", capped at the maximum";
    }
    CostLine l = make_line("mpf", "merchandise processing fee", "fees", mpf);
    l.basis = fmt::format("{} % of {}{} (min {}, max {}); {}", format_quantity(rate->value, 4),
                          c.customs_value.str(), clamp, lo ? Money::round_cents(lo->value).str() : "-",
                          hi ? Money::round_cents(hi->value).str() : "-", basis_of(mpf_, rate));
    l.confidence = rate->confidence;
    add(std::move(l));
  }
  if (const ParamValue* rate = hmf_->in_force(q.entry)) {
    CostLine l = make_line("hmf", "harbor maintenance fee", "fees", c.customs_value.percent(rate->value));
    l.basis = fmt::format("{} % of {} (ocean shipment); {}", format_quantity(rate->value, 4),
                          c.customs_value.str(), basis_of(hmf_, rate));
    l.confidence = rate->confidence;
    add(std::move(l));
  }

  // 5. US-side charges and delivery.
  auto usd_param = [&](std::string id, std::string label, const Parameter* p) {
    const ParamValue* v = p->in_force(q.entry);
    usd_line(std::move(id), std::move(label), "us", v ? Money::from_dollars(v->value) : Money{},
             v ? basis_of(p, v) : "no default in force", v ? v->confidence : Confidence::unstated);
  };
  usd_param("broker", "customs broker (entry filing)", broker_);
  usd_param("isf", "importer security filing", isf_);
  usd_param("terminal", "terminal handling and release", terminal_);
  if (q.inland_miles > 0 || q.set_usd.contains("inland_delivery")) {
    const InlandBand& band = tables_.inland_band(q.inland_miles);
    usd_line("inland_delivery", fmt::format("truck delivery, {} miles", q.inland_miles), "us",
             Money::from_cents(band.cents_per_mile).times(q.inland_miles),
             fmt::format("{} cents a mile for trips up to {} miles: data/market/inland_transport.csv; {}",
                         band.cents_per_mile, band.up_to_miles, band.source),
             band.confidence);
  }

  for (const CostLine& l : c.lines) {
    if (l.in_total) c.total += l.amount;
    c.total_high += l.amount;
  }
  return c;
}

}  // namespace keipath
