// US import duties on a vehicle from Japan on an entry date: the tariff heading (8703 passenger / 8704 goods,
// from data/law/us/federal/hts_headings.csv and the customs rulings it cites) and each duty layered on it —
// the general rate, Section 232 and its age exclusion, the US-Japan arrangement, the IEEPA duties until the
// Supreme Court ended them, and the Section 122 surcharge — with the reasons and citations.
//
// A point the sources leave open is a parameter with `binding = false`; its duty line is `unsettled`: shown
// with the amount it would add, never counted in the settled total, so the answer is a range.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/determination.hpp"
#include "keipath/money.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"
#include "keipath/vehicle.hpp"

namespace keipath {

struct TariffHeading {
  std::string heading;  // "8704.31.0120"
  std::string description;
  std::vector<Body> bodies;
  std::vector<Powertrain> powertrains;
  std::optional<int> max_displacement_cc;
  const Parameter* rate = nullptr;  // the general (MFN) rate, percent
  bool goods_vehicle = false;       // heading 8704
  std::string ref;
  Confidence confidence = Confidence::unstated;
  std::string note;
  SourceLocation where;
};

class TariffHeadings {
 public:
  // Parses hts_headings.csv; every rate parameter must exist in `params` with unit percent.
  static Result<TariffHeadings> parse(std::string_view csv_text, std::string_view file_label,
                                      const ParamStore& params);
  // The headings a vehicle may fall under: one when settled, several when the rulings leave it open (a
  // cargo van), none when a field that decides it is unknown (see missing).
  std::vector<const TariffHeading*> match(const Vehicle& v, std::vector<std::string>* missing) const;
  const TariffHeading* find(std::string_view heading) const;
  const std::vector<TariffHeading>& all() const { return headings_; }

 private:
  std::vector<TariffHeading> headings_;
};

enum class DutyStatus : uint8_t { applies, not_applicable, unsettled };
std::string_view to_string(DutyStatus s);

struct DutyLine {
  std::string id;    // "mfn", "section_232", "ieepa", "section_122"
  std::string name;  // for people
  DutyStatus status = DutyStatus::not_applicable;
  double rate_percent = 0;
  Money amount;
  Reason reason;
};

struct DutyDetermination {
  Date entry;
  const TariffHeading* heading = nullptr;
  Money customs_value;
  std::vector<DutyLine> lines;
  double settled_percent = 0;    // the lines that apply
  double unsettled_percent = 0;  // the lines that may apply
  Money settled;
  Money unsettled;
  std::vector<Reason> reasons;  // the heading's reason and any missing input
};

class DutyRule {
 public:
  static Result<DutyRule> bind(const ParamStore& params, TariffHeadings headings);

  // Duties under one heading for a vehicle built in `built` (Section 232 counts calendar years) entered on
  // `entry` at `customs_value`.
  DutyDetermination assess(const TariffHeading& heading, YearMonth built, Date entry,
                           Money customs_value) const;
  // The days on which some duty parameter changes, from `from` to `to` inclusive: the tariff windows.
  std::vector<Date> window_starts(Date from, Date to) const;
  const TariffHeadings& headings() const { return headings_; }

 private:
  TariffHeadings headings_;
  const Parameter* s232_ = nullptr;
  const Parameter* s232_exclusion_years_ = nullptr;
  const Parameter* s232_stacks_ = nullptr;
  const Parameter* japan_all_in_ = nullptr;
  const Parameter* ieepa_baseline_ = nullptr;
  const Parameter* ieepa_japan_ = nullptr;
  const Parameter* ieepa_excludes_232_ = nullptr;
  const Parameter* ieepa_age_excluded_ = nullptr;
  const Parameter* s122_ = nullptr;
  const Parameter* s122_exempts_232_ = nullptr;
  const Parameter* s122_age_excluded_ = nullptr;
};

}  // namespace keipath
