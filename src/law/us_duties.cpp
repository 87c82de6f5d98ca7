// US duties on a vehicle from Japan. The layering follows law_federal.md §3: general rate; Section 232 unless
// the vehicle is 25+ calendar years old (9903.94.04); the Japan arrangement caps general + 232 at 15 % (or
// the general rate where higher); IEEPA reciprocal duties did not reach goods subject to 232, and whether
// they reached age-excluded vehicles is unsettled; Section 122 exempted 232 goods, and its reach to
// age-excluded vehicles is unsettled.
#include "keipath/us_duties.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "keipath/csv.hpp"
#include "keipath/text.hpp"

namespace keipath {
namespace {

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    if (c == ' ') {
      if (!w.empty()) out.push_back(std::move(w));
      w.clear();
    } else {
      w.push_back(c);
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

std::string pct(double p) {
  return format_quantity(p, 4) + " %";
}

}  // namespace

std::string_view to_string(DutyStatus s) {
  switch (s) {
    case DutyStatus::applies:
      return "applies";
    case DutyStatus::not_applicable:
      return "not_applicable";
    case DutyStatus::unsettled:
      return "unsettled";
  }
  return "?";
}

Result<TariffHeadings> TariffHeadings::parse(std::string_view csv_text, std::string_view file_label,
                                             const ParamStore& params) {
  auto table = parse_csv(csv_text, file_label);
  if (!table) return std::unexpected(table.error());
  std::vector<std::string> errors;
  if (auto cols = require_columns(*table, file_label,
                                  {"heading", "description", "bodies", "powertrains", "max_displacement_cc",
                                   "rate_parameter", "ref", "confidence", "note"});
      !cols)
    return std::unexpected(cols.error());
  TariffHeadings out;
  for (const CsvRow& row : table->rows) {
    auto cell = [&](std::string_view c) -> const std::string& {
      return row.fields[static_cast<size_t>(table->column(c))];
    };
    auto problem = [&](std::string_view what) { errors.push_back(row_problem(file_label, row.line, what)); };
    TariffHeading h;
    h.where = SourceLocation{std::string(file_label), row.line};
    h.heading = cell("heading");
    h.description = cell("description");
    h.goods_vehicle = h.heading.starts_with("8704");
    if (h.heading.size() < 7 || !(h.heading.starts_with("8703") || h.heading.starts_with("8704")))
      problem(fmt::format("heading '{}' is not an 8703 or 8704 HTS number", h.heading));
    for (const std::string& b : words(cell("bodies"))) {
      Vehicle probe;
      if (set_vehicle_field(probe, "body", b) && probe.body) {
        h.bodies.push_back(*probe.body);
      } else {
        problem(fmt::format("bodies: '{}' is not a vehicle body", b));
      }
    }
    for (const std::string& p : words(cell("powertrains"))) {
      Vehicle probe;
      if (set_vehicle_field(probe, "powertrain", p) && probe.powertrain) {
        h.powertrains.push_back(*probe.powertrain);
      } else {
        problem(fmt::format("powertrains: '{}' is not a powertrain", p));
      }
    }
    if (h.bodies.empty() || h.powertrains.empty())
      problem("bodies and powertrains must name at least one each");
    if (!cell("max_displacement_cc").empty()) {
      auto cc = cell_quantity("max_displacement_cc", cell("max_displacement_cc"), "cc", /*whole=*/true);
      if (!cc || *cc <= 0) {
        problem(
            cc ? fmt::format("max_displacement_cc '{}' is not a positive number", cell("max_displacement_cc"))
               : cc.error().message);
      } else {
        h.max_displacement_cc = static_cast<int>(*cc);
      }
    }
    auto rate = params.require(cell("rate_parameter"), "percent");
    if (!rate) {
      problem(fmt::format("rate_parameter: {}", rate.error().message));
    } else {
      h.rate = *rate;
    }
    h.ref = cell("ref");
    if (h.ref.empty()) problem("ref is empty (every heading needs the ruling or HTS text that decides it)");
    auto conf = parse_confidence(cell("confidence"));
    if (!conf) {
      problem(conf.error().message);
    } else {
      h.confidence = *conf;
    }
    h.note = cell("note");
    out.headings_.push_back(std::move(h));
  }
  if (out.headings_.empty()) errors.push_back(fmt::format("{}: no headings", file_label));
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return out;
}

std::vector<const TariffHeading*> TariffHeadings::match(const Vehicle& v,
                                                        std::vector<std::string>* missing) const {
  std::vector<const TariffHeading*> out;
  if (!v.body) {
    if (missing) missing->push_back("body");
    return out;
  }
  // The powertrain is known, or follows from the engine: an electric motor means battery-electric; an engine
  // means a combustion engine unless the vehicle says hybrid.
  std::optional<Powertrain> pt = v.powertrain;
  if (!pt && v.engine)
    pt = *v.engine == EngineKind::electric ? Powertrain::battery_electric : Powertrain::ice;
  if (!pt) {
    if (missing) missing->push_back("powertrain");
    return out;
  }
  for (const TariffHeading& h : headings_) {
    if (std::find(h.bodies.begin(), h.bodies.end(), *v.body) == h.bodies.end()) continue;
    if (std::find(h.powertrains.begin(), h.powertrains.end(), *pt) == h.powertrains.end()) continue;
    if (h.max_displacement_cc && v.displacement_cc && *v.displacement_cc > *h.max_displacement_cc) continue;
    out.push_back(&h);
  }
  return out;
}

const TariffHeading* TariffHeadings::find(std::string_view heading) const {
  for (const TariffHeading& h : headings_)
    if (h.heading == heading) return &h;
  return nullptr;
}

Result<DutyRule> DutyRule::bind(const ParamStore& params, TariffHeadings headings) {
  DutyRule r;
  r.headings_ = std::move(headings);
  if (auto bound = params.require_all({
          {"us.s232.autos_percent", "percent", &r.s232_},
          {"us.s232.old_vehicle_exclusion_years", "years", &r.s232_exclusion_years_},
          {"us.s232.stacks_on_goods_vehicle_rate", "bool", &r.s232_stacks_},
          {"us.japan.auto_all_in_percent", "percent", &r.japan_all_in_},
          {"us.ieepa.baseline_percent", "percent", &r.ieepa_baseline_},
          {"us.ieepa.japan_all_in_percent", "percent", &r.ieepa_japan_},
          {"us.ieepa.excludes_232_goods", "bool", &r.ieepa_excludes_232_},
          {"us.ieepa.covers_age_excluded_vehicles", "bool", &r.ieepa_age_excluded_},
          {"us.s122.surcharge_percent", "percent", &r.s122_},
          {"us.s122.exempts_vehicles_subject_to_232", "bool", &r.s122_exempts_232_},
          {"us.s122.covers_age_excluded_vehicles", "bool", &r.s122_age_excluded_},
      });
      !bound)
    return std::unexpected(bound.error());
  return r;
}

DutyDetermination DutyRule::assess(const TariffHeading& h, YearMonth built, Date entry, Money value) const {
  DutyDetermination d;
  d.entry = entry;
  d.heading = &h;
  d.customs_value = value;
  auto line = [&](std::string id, std::string name, DutyStatus status, double rate, std::string text,
                  const Parameter* p, const ParamValue* v) {
    DutyLine l;
    l.id = std::move(id);
    l.name = std::move(name);
    l.status = status;
    l.rate_percent = status == DutyStatus::not_applicable ? 0 : rate;
    l.amount = value.percent(l.rate_percent);
    l.reason = Reason{status == DutyStatus::applies     ? Outcome::pass
                      : status == DutyStatus::unsettled ? Outcome::unknown
                                                        : Outcome::not_applicable,
                      l.id, std::move(text), (p && v) ? std::optional(Citation::of(*p, *v)) : std::nullopt};
    d.lines.push_back(std::move(l));
  };
  // Whether a yes/no parameter holds on the date: settled yes, settled no, or (non-binding) unsettled.
  auto question = [&](const Parameter* p) -> std::pair<DutyStatus, const ParamValue*> {
    const ParamValue* v = p->in_force(entry);
    if (v == nullptr) return {DutyStatus::not_applicable, nullptr};
    if (!p->binding) return {DutyStatus::unsettled, v};
    return {v->value != 0 ? DutyStatus::applies : DutyStatus::not_applicable, v};
  };

  const ParamValue* mfn = h.rate->in_force(entry);
  const double mfn_rate = mfn ? mfn->value : 0;
  line("mfn", fmt::format("general rate, {}", h.heading),
       mfn ? DutyStatus::applies : DutyStatus::not_applicable, mfn_rate,
       fmt::format("{} ({}): general duty {}", h.heading, h.description, pct(mfn_rate)), h.rate, mfn);
  d.reasons.push_back(Reason{Outcome::note, "heading",
                             fmt::format("Heading {} ({}), {} confidence: {}{}", h.heading, h.description,
                                         to_string(h.confidence), h.ref, h.note.empty() ? "" : ". " + h.note),
                             std::nullopt});

  // Section 232, and whether the vehicle is old enough to be outside it.
  bool subject_to_232 = false;
  if (const ParamValue* s232 = s232_->in_force(entry)) {
    const ParamValue* excl = s232_exclusion_years_->in_force(entry);
    const int age = entry.year() - built.year();
    if (excl != nullptr && age >= static_cast<int>(excl->value)) {
      line("section_232", "Section 232 (autos and light trucks)", DutyStatus::not_applicable, 0,
           fmt::format("Built in {}, entered in {}: {} calendar years, at least {}: outside Section 232 "
                       "(9903.94.04, 0 %).",
                       built.year(), entry.year(), age, format_quantity(excl->value)),
           s232_exclusion_years_, excl);
    } else {
      subject_to_232 = true;
      if (const ParamValue* all_in = japan_all_in_->in_force(entry)) {
        const double add = std::max(all_in->value, mfn_rate) - mfn_rate;
        line("section_232", "Section 232 under the US-Japan arrangement", DutyStatus::applies, add,
             fmt::format(
                 "Japanese vehicle subject to Section 232: general + 232 = {} in all (the general rate "
                 "where higher), so 232 adds {}.",
                 pct(std::max(all_in->value, mfn_rate)), pct(add)),
             japan_all_in_, all_in);
      } else if (h.goods_vehicle) {
        auto [status, v] = question(s232_stacks_);
        line("section_232", "Section 232 on a goods vehicle",
             status == DutyStatus::not_applicable ? status : status, s232->value,
             fmt::format(
                 "Section 232 adds {} to a light truck; whether it stacked on the {} goods-vehicle rate "
                 "is {}.",
                 pct(s232->value), pct(mfn_rate), status == DutyStatus::unsettled ? "unsettled" : "settled"),
             s232_stacks_, v);
      } else {
        line("section_232", "Section 232 (autos and light trucks)", DutyStatus::applies, s232->value,
             fmt::format("Section 232 adds {} (9903.94.01).", pct(s232->value)), s232_, s232);
      }
    }
  }

  // IEEPA reciprocal duties.
  const ParamValue* baseline = ieepa_baseline_->in_force(entry);
  const ParamValue* japan = ieepa_japan_->in_force(entry);
  if (baseline != nullptr || japan != nullptr) {
    const double rate = japan != nullptr ? std::max(0.0, japan->value - mfn_rate) : baseline->value;
    const Parameter* rate_param = japan != nullptr ? ieepa_japan_ : ieepa_baseline_;
    const ParamValue* rate_value = japan != nullptr ? japan : baseline;
    const ParamValue* excludes = ieepa_excludes_232_->in_force(entry);
    if (subject_to_232 && excludes != nullptr && excludes->value != 0) {
      line("ieepa", "IEEPA reciprocal duty", DutyStatus::not_applicable, 0,
           "Goods subject to Section 232 are outside the IEEPA reciprocal duties.", ieepa_excludes_232_,
           excludes);
    } else if (rate <= 0) {
      line("ieepa", "IEEPA reciprocal duty", DutyStatus::not_applicable, 0,
           fmt::format("The general rate {} is at least the {} Japan rate: no reciprocal duty.",
                       pct(mfn_rate), pct(japan->value)),
           rate_param, rate_value);
    } else {
      auto [status, v] = question(ieepa_age_excluded_);
      line("ieepa", "IEEPA reciprocal duty", status, rate,
           fmt::format("{} if IEEPA reached vehicles outside 232 by age: {}.", pct(rate),
                       status == DutyStatus::unsettled ? "unsettled" : "settled"),
           ieepa_age_excluded_, v);
    }
  }

  // Section 122 surcharge.
  if (const ParamValue* s122 = s122_->in_force(entry)) {
    const ParamValue* exempt = s122_exempts_232_->in_force(entry);
    if (subject_to_232 && exempt != nullptr && exempt->value != 0) {
      line("section_122", "Section 122 surcharge", DutyStatus::not_applicable, 0,
           "Goods subject to Section 232 are exempt from the Section 122 surcharge.", s122_exempts_232_,
           exempt);
    } else {
      auto [status, v] = question(s122_age_excluded_);
      line("section_122", "Section 122 surcharge", status, s122->value,
           fmt::format("{} if the surcharge reached vehicles outside 232 by age: {}.", pct(s122->value),
                       status == DutyStatus::unsettled ? "unsettled (Annex II not read)" : "settled"),
           s122_age_excluded_, v);
    }
  }

  for (const DutyLine& l : d.lines) {
    if (l.status == DutyStatus::applies) {
      d.settled_percent += l.rate_percent;
      d.settled += l.amount;
    } else if (l.status == DutyStatus::unsettled) {
      d.unsettled_percent += l.rate_percent;
      d.unsettled += l.amount;
    }
  }
  return d;
}

std::vector<Date> DutyRule::window_starts(Date from, Date to) const {
  std::vector<Date> out{from};
  const std::array<const Parameter*, 11> all = {
      s232_,           s232_exclusion_years_, s232_stacks_,        japan_all_in_,
      ieepa_baseline_, ieepa_japan_,          ieepa_excludes_232_, ieepa_age_excluded_,
      s122_,           s122_exempts_232_,     s122_age_excluded_};
  for (const Parameter* p : all) {
    for (const ParamValue& v : p->values)
      if (v.from > from && v.from <= to) out.push_back(v.from);
  }
  for (const TariffHeading& h : headings_.all()) {
    for (const ParamValue& v : h.rate->values)
      if (v.from > from && v.from <= to) out.push_back(v.from);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace keipath
