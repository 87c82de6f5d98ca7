// The federal entry pathways. Each returns its status on the date, the first day it opens, the conditions and
// the reasons with the parameters behind them; explain() gathers them and finds the earliest road entry.
#include "keipath/us_import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "keipath/csv.hpp"
#include "keipath/text.hpp"
#include "law/age_exemption.hpp"

namespace keipath {
namespace {

constexpr double kKmPerMile = 1.609344;  // exact, by definition of the international mile

constexpr std::array<std::string_view, 7> kPathwayIds = {
    "fmvss_25_year",       "epa_21_year",       "off_road",           "low_speed_vehicle",
    "registered_importer", "part555_exemption", "small_vehicle_class"};

bool is_true(const Parameter* p, Date d) {
  const ParamValue* v = p->in_force(d);
  return v != nullptr && v->value != 0;
}

Reason cited(Outcome o, std::string check, std::string text, const Parameter* p, const ParamValue* v) {
  return Reason{o, std::move(check), std::move(text), v ? std::optional(Citation::of(*p, *v)) : std::nullopt};
}

// The first day on or after `from` on which a yes/no parameter is true, if any.
std::optional<Date> first_true_from(const Parameter* p, Date from) {
  if (is_true(p, from)) return from;
  for (const ParamValue& v : p->values)
    if (v.from > from && !v.abolished && v.value != 0) return v.from;
  return std::nullopt;
}

// The first day of the unbroken run of "true" (non-zero) values that is in force on `date` (requires
// is_true(p, date)).
Date class_opened_on(const Parameter* p, Date date) {
  const ParamValue* v = p->at(date);
  Date opened = v->from;
  for (auto it = p->values.rbegin(); it != p->values.rend(); ++it) {
    if (it->from > date) continue;
    if (it->abolished || it->value == 0) break;
    opened = it->from;
  }
  return opened;
}

Pathway make_pathway(std::string id, std::string name, bool road_use) {
  Pathway p;
  p.id = std::move(id);
  p.name = std::move(name);
  p.road_use = road_use;
  return p;
}

}  // namespace

std::string_view to_string(PathwayStatus s) {
  switch (s) {
    case PathwayStatus::available:
      return "available";
    case PathwayStatus::not_yet:
      return "not_yet";
    case PathwayStatus::not_available:
      return "not_available";
    case PathwayStatus::unknown:
      return "unknown";
    case PathwayStatus::off:
      return "off";
  }
  return "?";
}

Result<std::vector<PathwayForm>> ImportRule::parse_forms(std::string_view csv_text,
                                                         std::string_view file_label) {
  auto table = parse_csv(csv_text, file_label);
  if (!table) return std::unexpected(table.error());
  std::vector<std::string> errors;
  if (auto cols = require_columns(*table, file_label, {"pathway", "form", "what", "ref"}); !cols)
    return std::unexpected(cols.error());
  std::vector<PathwayForm> out;
  for (const CsvRow& row : table->rows) {
    auto cell = [&](std::string_view c) { return row.fields[static_cast<size_t>(table->column(c))]; };
    PathwayForm f{cell("pathway"), cell("form"), cell("what"), cell("ref")};
    if (std::find(kPathwayIds.begin(), kPathwayIds.end(), f.pathway) == kPathwayIds.end())
      errors.push_back(
          row_problem(file_label, row.line,
                      fmt::format("pathway '{}' is not one of {}", f.pathway, fmt::join(kPathwayIds, ", "))));
    if (f.form.empty() || f.ref.empty())
      errors.push_back(row_problem(file_label, row.line, "form and ref may not be empty"));
    out.push_back(std::move(f));
  }
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return out;
}

Result<ImportRule> ImportRule::bind(const ParamStore& params, std::vector<PathwayForm> forms) {
  ImportRule r;
  r.forms_ = std::move(forms);
  if (auto bound = params.require_all({
          {"us.fmvss.exemption_age_years", "years", &r.fmvss_age_},
          {"us.epa.exclusion_age_years", "years", &r.epa_age_},
          {"us.epa.gasoline_excluded_built_before_year", "year", &r.epa_pre_year_},
          {"us.epa.nonroad_conversion_needs_certificate", "bool", &r.nonroad_cert_},
          {"us.nhtsa.kei_is_motor_vehicle", "bool", &r.kei_motor_vehicle_},
          {"us.ri.kei_eligibility_decisions", "count", &r.ri_decisions_},
          {"us.fmvss.part555.max_per_maker", "count", &r.part555_cap_},
          {"us.fmvss.part555.kei_makers", "count", &r.part555_makers_},
          {"us.lsv.class_in_effect", "bool", &r.lsv_in_effect_},
          {"us.lsv.min_speed_mph", "mph", &r.lsv_min_mph_},
          {"us.lsv.max_speed_mph", "mph", &r.lsv_max_mph_},
          {"us.lsv.max_gvwr_kg", "kg", &r.lsv_max_gvwr_},
          {"us.lsv.trucks_allowed", "bool", &r.lsv_trucks_},
          {"us.lsv.conversion_after_manufacture", "bool", &r.lsv_conversion_},
          {"us.small_class.in_effect", "bool", &r.small_in_effect_},
          {"us.small_class.max_speed_mph", "mph", &r.small_speed_},
          {"us.small_class.max_gvwr_kg", "kg", &r.small_gvwr_},
          {"us.small_class.max_length_mm", "mm", &r.small_length_},
          {"us.small_class.max_width_mm", "mm", &r.small_width_},
          {"us.small_class.crash_standards_apply", "bool", &r.small_crash_},
          {"us.small_class.used_imports_eligible", "bool", &r.small_used_},
      });
      !bound)
    return std::unexpected(bound.error());
  return r;
}

void ImportRule::attach_forms(Pathway& p) const {
  for (const PathwayForm& f : forms_)
    if (f.pathway == p.id) p.forms.push_back(f);
}

Pathway ImportRule::fmvss_25_year(const Vehicle& v, Date date) const {
  Pathway p = make_pathway("fmvss_25_year", "FMVSS 25-year exemption (49 U.S.C. 30112(b)(9))", true);
  const ParamValue* age = fmvss_age_->in_force(date);
  const ParamValue* later = age;  // before the exemption took effect: the value that will decide it
  for (const ParamValue& value : fmvss_age_->values)
    if (later == nullptr && value.from > date && !value.abolished) later = &value;
  if (later == nullptr) {
    p.status = PathwayStatus::off;
    p.reasons.push_back(
        Reason{Outcome::not_applicable, "exemption", "No age exemption in force on the date.", {}});
    return p;
  }
  if (!v.built) {
    p.status = PathwayStatus::unknown;
    p.missing_fields.push_back("built");
    p.reasons.push_back(cited(Outcome::unknown, "age",
                              fmt::format("Build month not given: eligible from the month it turns {}.",
                                          format_quantity(later->value)),
                              fmvss_age_, later));
    return p;
  }
  // Counted to the month of manufacture, under the age in force on each day: never before the exemption
  // itself took effect.
  const YearMonth built = *v.built;
  const auto aged = [built](double years) {
    return built.plus_months(static_cast<int>(std::lround(years * 12))).first_day();
  };
  const std::optional<Date> from = law::exemption_date(*fmvss_age_, date, aged);
  if (!from) {
    p.status = PathwayStatus::not_available;
    p.reasons.push_back(cited(
        Outcome::fail, "age",
        fmt::format("Built {}: no recorded age exemption will apply to it.", built.str()), fmvss_age_, age));
    return p;
  }
  p.earliest = *from;
  p.status = *from <= date ? PathwayStatus::available : PathwayStatus::not_yet;
  const bool waited_for_law = *from > aged(fmvss_age_->at(*from)->value);
  p.reasons.push_back(
      cited(*from <= date ? Outcome::pass : Outcome::fail, "age",
            fmt::format("Built {}: {} years old from {}{}{}.", built.str(),
                        format_quantity(fmvss_age_->at(*from)->value), from->str(),
                        waited_for_law
                            ? fmt::format(" (the day the exemption took effect; it was {} years old on {})",
                                          format_quantity(fmvss_age_->at(*from)->value),
                                          aged(fmvss_age_->at(*from)->value).str())
                            : "",
                        *from <= date ? "" : fmt::format(", after {}", date.str())),
            fmvss_age_, fmvss_age_->at(*from)));
  p.conditions.push_back(
      "declare the date of manufacture on HS-7 Box 1 (build plate, first-sale invoice or "
      "registration as evidence)");
  p.conditions.push_back("for EPA, original configuration (no engine swap) under the 21-year exclusion");
  attach_forms(p);
  return p;
}

Pathway ImportRule::epa_21_year(const Vehicle& v, Date date) const {
  Pathway p = make_pathway(
      "epa_21_year",
      "EPA exemption for vehicles over 20 original-production years, or exclusion if built before 1968 "
      "(40 CFR 85.1511(f))",
      false);
  const ParamValue* age = epa_age_->in_force(date);
  if (age == nullptr || !v.built) {
    p.status = PathwayStatus::unknown;
    if (!v.built) p.missing_fields.push_back("built");
    p.reasons.push_back(
        Reason{Outcome::unknown, "age", "Needs the build year and the exclusion in force.", {}});
    return p;
  }
  const int built_year = v.built->year();
  // Gasoline vehicles built before the cut-off year are outside the Act altogether: no count, any importer.
  const ParamValue* pre = epa_pre_year_->in_force(date);
  const bool gasoline = v.engine != EngineKind::electric;
  if (pre != nullptr && gasoline && built_year < pre->value) {
    p.status = PathwayStatus::available;
    p.earliest = pre->from;
    p.reasons.push_back(cited(Outcome::pass, "pre_1968",
                              fmt::format("Built in {}: a gasoline vehicle made before {:.0f} is excluded "
                                          "from the Clean Air Act's requirements; any person may import it.",
                                          built_year, pre->value),
                              epa_pre_year_, pre));
    // Not code E (that is the 21-year exemption): the form's exclusion, with the date of manufacture.
    p.conditions.push_back("declare the exclusion on EPA Form 3520-1 with the date of original manufacture");
    return p;
  }
  // OP years are counted in calendar years: the year of import minus the year of production.
  const auto aged = [built_year](double years) {
    return YearMonth(built_year + static_cast<int>(std::lround(years)), 1).first_day();
  };
  const std::optional<Date> from = law::exemption_date(*epa_age_, date, aged);
  if (!from) {
    p.status = PathwayStatus::not_available;
    p.reasons.push_back(cited(Outcome::fail, "age",
                              fmt::format("Built in {}: no recorded exclusion will apply to it.", built_year),
                              epa_age_, age));
    return p;
  }
  p.earliest = *from;
  p.status = *from <= date ? PathwayStatus::available : PathwayStatus::not_yet;
  p.reasons.push_back(
      cited(*from <= date ? Outcome::pass : Outcome::fail, "age",
            fmt::format("Built in {}: {} OP years in calendar {} (from {}).", built_year,
                        format_quantity(epa_age_->at(*from)->value), from->year(), from->str()),
            epa_age_, epa_age_->at(*from)));
  p.reasons.push_back(
      Reason{Outcome::note,
             "scope",
             "Covers emissions only: road entry also needs the FMVSS 25-year exemption, which "
             "comes later, so it never decides the date by itself.",
             {}});
  p.conditions.push_back(
      "original configuration: an engine swap to anything but an identical engine loses it");
  attach_forms(p);
  return p;
}

Pathway ImportRule::off_road(Date date) const {
  Pathway p = make_pathway("off_road", "Entry as an off-road (non-motor) vehicle", false);
  const ParamValue* motor = kei_motor_vehicle_->in_force(date);
  if (motor != nullptr && motor->value != 0) {
    p.status = PathwayStatus::not_available;
    p.reasons.push_back(
        cited(Outcome::fail, "motor_vehicle",
              "A kei vehicle built for road use in Japan is a motor vehicle for NHTSA; a governor "
              "or an 'off-road' label does not change that, and NHTSA grants no off-road approvals.",
              kei_motor_vehicle_, motor));
  } else {
    p.status = PathwayStatus::unknown;
    p.reasons.push_back(
        Reason{Outcome::unknown, "motor_vehicle", "NHTSA's position on the date is not recorded.", {}});
  }
  if (const ParamValue* cert = nonroad_cert_->in_force(date); cert != nullptr && cert->value != 0) {
    p.reasons.push_back(
        cited(Outcome::note, "epa_nonroad",
              "A motor vehicle converted to nonroad use must itself be EPA-certified as nonroad "
              "equipment.",
              nonroad_cert_, cert));
  }
  p.conditions.push_back("what it would allow: private land only; no state may register it for public roads");
  attach_forms(p);
  return p;
}

Pathway ImportRule::low_speed_vehicle(const Vehicle& v, Date date) const {
  Pathway p = make_pathway("low_speed_vehicle", "Low-speed vehicle (FMVSS No. 500, 49 CFR 571.500)", true);
  if (!is_true(lsv_in_effect_, date)) {
    p.status = PathwayStatus::off;
    p.reasons.push_back(
        Reason{Outcome::not_applicable, "class", "The LSV class did not exist on the date.", {}});
    return p;
  }
  const ParamValue* min_mph = lsv_min_mph_->in_force(date);
  const ParamValue* max_mph = lsv_max_mph_->in_force(date);
  const ParamValue* max_gvwr = lsv_max_gvwr_->in_force(date);
  bool meets = true;
  bool unknown = false;
  if (v.top_speed_kmh && min_mph && max_mph) {
    const double mph = *v.top_speed_kmh / kKmPerMile;
    const bool ok = mph > min_mph->value && mph <= max_mph->value;
    meets = meets && ok;
    p.reasons.push_back(
        cited(ok ? Outcome::pass : Outcome::fail, "speed",
              fmt::format("Top speed {} mph; an LSV must reach more than {} and at most {} mph.",
                          format_quantity(mph, 1), format_quantity(min_mph->value),
                          format_quantity(max_mph->value)),
              lsv_max_mph_, max_mph));
  } else {
    unknown = true;
    p.missing_fields.push_back("top_speed_kmh");
  }
  if (max_gvwr != nullptr) {
    if (v.gross_mass_kg) {
      const bool ok = *v.gross_mass_kg < max_gvwr->value;
      meets = meets && ok;
      p.reasons.push_back(cited(ok ? Outcome::pass : Outcome::fail, "gvwr",
                                fmt::format("GVWR {} kg; an LSV's must be under {} kg.", *v.gross_mass_kg,
                                            format_quantity(max_gvwr->value)),
                                lsv_max_gvwr_, max_gvwr));
    } else {
      unknown = true;
      p.missing_fields.push_back("gross_mass_kg");
    }
  }
  if (v.body && is_goods_body(*v.body)) {
    const ParamValue* trucks = lsv_trucks_->in_force(date);
    const bool ok = trucks != nullptr && trucks->value != 0;
    meets = meets && ok;
    p.reasons.push_back(cited(ok ? Outcome::pass : Outcome::fail, "trucks",
                              ok ? "Trucks may be LSVs." : "Trucks could not be LSVs on the date.",
                              lsv_trucks_, trucks));
  }
  const ParamValue* conversion = lsv_conversion_->in_force(date);
  const bool convertible = conversion == nullptr || conversion->value != 0;
  if (!convertible) {
    p.reasons.push_back(
        cited(Outcome::fail, "certified_at_manufacture",
              "Only a vehicle certified as an LSV when manufactured qualifies; an importer cannot "
              "make a kei vehicle into one after the fact.",
              lsv_conversion_, conversion));
  }
  // A kei vehicle as built for Japan was not certified to FMVSS 500, so the route needs a maker's LSV
  // variant; the checks above say whether the vehicle's figures could meet the class at all.
  p.status = (!convertible || (!meets && !unknown)) ? PathwayStatus::not_available
             : unknown                              ? PathwayStatus::unknown
                                                    : PathwayStatus::not_available;
  if (meets && !unknown && !convertible) {
    p.conditions.push_back(
        "its figures fit the class: the maker would have to build and certify it as an LSV");
  }
  p.conditions.push_back(
      "LSV equipment: headlamps, turn signals, tail and stop lamps, reflectors, mirrors, parking "
      "brake, FMVSS 205 windshield, VIN, belts at every seat (571.500 S5(b))");
  attach_forms(p);
  return p;
}

Pathway ImportRule::registered_importer(Date date) const {
  Pathway p =
      make_pathway("registered_importer", "Conversion by a registered importer (49 U.S.C. 30141)", true);
  const ParamValue* decisions = ri_decisions_->in_force(date);
  if (decisions != nullptr && decisions->value == 0) {
    p.status = PathwayStatus::not_available;
    p.reasons.push_back(
        cited(Outcome::fail, "eligibility",
              "No US-certified vehicle is substantially similar to any kei model, and NHTSA has made "
              "no import-eligibility decision for one; a petition would have to show the vehicle "
              "can be made to meet every FMVSS (in practice, crash evidence).",
              ri_decisions_, decisions));
  } else {
    p.status = PathwayStatus::unknown;
    p.reasons.push_back(
        cited(Outcome::unknown, "eligibility",
              "An eligibility decision may exist: check NHTSA's list (49 CFR 593) for this model.",
              ri_decisions_, decisions));
  }
  attach_forms(p);
  return p;
}

Pathway ImportRule::part555_exemption(const Vehicle& v, Date date) const {
  Pathway p = make_pathway("part555_exemption",
                           "Maker's temporary FMVSS exemption (49 U.S.C. 30113, 49 CFR Part 555)", true);
  const ParamValue* makers = part555_makers_->in_force(date);
  const ParamValue* cap = part555_cap_->in_force(date);
  if (makers == nullptr || cap == nullptr) {
    p.status = PathwayStatus::off;
    p.reasons.push_back(Reason{Outcome::not_applicable,
                               "exemption",
                               "No temporary exemption programme is recorded on the date.",
                               {}});
    return p;
  }
  p.conditions.push_back(fmt::format(
      "a new vehicle its maker builds under an exemption NHTSA grants, at most {} a year per maker, "
      "labelled with the standards it is exempt from (30113(h)); not a used vehicle built for Japan",
      format_quantity(cap->value)));
  if (makers->value == 0) {
    p.status = PathwayStatus::not_available;
    p.reasons.push_back(
        cited(Outcome::fail, "exemption",
              fmt::format("No maker holds a Part 555 exemption for a kei vehicle; a maker may petition for "
                          "one, for up to {} vehicles a year, two years at a time.",
                          format_quantity(cap->value)),
              part555_makers_, makers));
    attach_forms(p);
    return p;
  }
  const Date opened = class_opened_on(part555_makers_, date);  // the first day of the run with makers
  p.reasons.push_back(
      cited(Outcome::pass, "exemption",
            fmt::format("{} maker(s) sell kei vehicles under an exemption from {}, each up "
                        "to {} a year.",
                        format_quantity(makers->value), opened.str(), format_quantity(cap->value)),
            part555_makers_, makers));
  if (v.built && v.built->first_day() < opened) {
    p.status = PathwayStatus::not_available;
    p.reasons.push_back(cited(Outcome::fail, "built",
                              fmt::format("Built {}, before any exemption was granted.", v.built->str()),
                              part555_makers_, makers));
  } else {
    p.status = PathwayStatus::unknown;
    p.reasons.push_back(Reason{Outcome::unknown,
                               "exemption_label",
                               "Only a vehicle its maker built under the exemption and labelled so may "
                               "enter this way: check the vehicle's exemption label.",
                               {}});
  }
  attach_forms(p);
  return p;
}

Pathway ImportRule::small_vehicle_class(const Vehicle& v, Date date) const {
  Pathway p = make_pathway("small_vehicle_class", "New US small-vehicle class (policy scenario)", true);
  if (!is_true(small_in_effect_, date)) {
    const std::optional<Date> opens = first_true_from(small_in_effect_, date);
    const ParamValue* now = small_in_effect_->at(date);
    p.status = opens ? PathwayStatus::not_yet : PathwayStatus::off;
    p.earliest = opens;
    p.reasons.push_back(cited(Outcome::not_applicable, "in_effect",
                              opens ? fmt::format("The class opens on {} (scenario).", opens->str())
                                    : "No US small-vehicle class exists; a scenario can create one "
                                      "(data/scenarios/us_small_vehicle_class.toml).",
                              small_in_effect_, now));
    if (!opens) return p;
  }
  const Date on = p.earliest.value_or(date);
  if (p.status != PathwayStatus::not_yet) {
    p.reasons.push_back(cited(Outcome::pass, "in_effect",
                              "A US small-vehicle class is in effect on the date.", small_in_effect_,
                              small_in_effect_->at(date)));
  }
  bool fits = true;
  bool unknown = false;
  auto check_max = [&](const Parameter* param, std::optional<int> value, std::string_view field,
                       std::string_view what, std::string_view unit) {
    const ParamValue* limit = param->in_force(on);
    if (limit == nullptr) return;
    if (!value) {
      unknown = true;
      p.missing_fields.emplace_back(field);
      return;
    }
    const bool ok = *value <= limit->value;
    // An assumed figure is an upper bound: over the limit, the true figure may still fit.
    if (!ok && is_assumed(v, field)) {
      unknown = true;
      p.missing_fields.emplace_back(field);
      return;
    }
    fits = fits && ok;
    p.reasons.push_back(cited(ok ? Outcome::pass : Outcome::fail, std::string(field),
                              fmt::format("{} {} {}; the class allows {} {}.", what, *value, unit,
                                          format_quantity(limit->value), unit),
                              param, limit));
  };
  check_max(small_length_, v.length_mm, "length_mm", "Length", "mm");
  check_max(small_width_, v.width_mm, "width_mm", "Width", "mm");
  check_max(small_gvwr_, v.gross_mass_kg, "gross_mass_kg", "GVWR", "kg");
  if (const ParamValue* speed = small_speed_->in_force(on)) {
    p.conditions.push_back(fmt::format("governed to {} mph or less", format_quantity(speed->value)));
  }
  const ParamValue* crash = small_crash_->in_force(on);
  const ParamValue* used = small_used_->in_force(on);
  if (crash != nullptr && crash->value != 0) {
    fits = false;
    p.reasons.push_back(
        cited(Outcome::fail, "crash_standards",
              "The crash standards apply to the class: a kei vehicle built for Japan does not meet "
              "them as built.",
              small_crash_, crash));
  }
  if (used == nullptr || used->value == 0) {
    fits = false;
    p.reasons.push_back(cited(Outcome::fail, "used_imports",
                              "Only vehicles certified to the class when made qualify, not used imports.",
                              small_used_, used));
  }
  if (!fits) {
    p.status = PathwayStatus::not_available;
  } else if (unknown) {
    p.status = PathwayStatus::unknown;
  } else if (p.status != PathwayStatus::not_yet) {
    // Open since the day the class took effect (not the day asked), and never before the vehicle was built.
    p.status = PathwayStatus::available;
    Date opened = class_opened_on(small_in_effect_, date);
    if (v.built && v.built->first_day() > opened) opened = v.built->first_day();
    p.earliest = opened;
  }
  attach_forms(p);
  return p;
}

ImportDetermination ImportRule::explain(const Vehicle& v, Date date) const {
  ImportDetermination d;
  d.date = date;
  d.pathways = {fmvss_25_year(v, date),      epa_21_year(v, date),      off_road(date),
                low_speed_vehicle(v, date),  registered_importer(date), part555_exemption(v, date),
                small_vehicle_class(v, date)};
  for (const Pathway& p : d.pathways) {
    if (!p.road_use || !p.earliest) continue;
    if (p.status != PathwayStatus::available && p.status != PathwayStatus::not_yet) continue;
    const Date when = *p.earliest;
    if (!d.earliest_road_entry || when < *d.earliest_road_entry) {
      d.earliest_road_entry = when;
      d.earliest_road_pathway = p.id;
    }
  }
  return d;
}

}  // namespace keipath
