// US federal entry: by which pathway may a vehicle enter on a date, and from which day, with each pathway's
// conditions, forms and citations. Pathways: the FMVSS 25-year exemption (counted from the month of
// manufacture), EPA's separate 21-year exclusion (calendar years, original configuration), entry as an
// off-road vehicle, the low-speed vehicle class (FMVSS No. 500), registered-importer conversion, a maker's
// temporary FMVSS exemption (Part 555, within its volume cap), and a new US small-vehicle class that is off
// in the baseline and switched on by a scenario. EPA's pathway also carries the exclusion of gasoline
// vehicles built before 1968 (40 CFR 85.1511(f)(1)), which needs no age count.
//
// Parameters: data/law/us/federal/*.toml; forms: data/law/us/federal/pathway_forms.csv.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/determination.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"
#include "keipath/vehicle.hpp"

namespace keipath {

enum class PathwayStatus : uint8_t {
  available,      // the vehicle may enter this way on the date
  not_yet,        // it may from `earliest`
  not_available,  // it cannot (with the reason)
  unknown,        // an input or a point of law is missing (see missing_fields / reasons)
  off,            // the pathway does not exist on the date (a scenario may create it)
};
std::string_view to_string(PathwayStatus s);

struct PathwayForm {
  std::string pathway;
  std::string form;
  std::string what;
  std::string ref;
};

struct Pathway {
  std::string id;  // fmvss_25_year, epa_21_year, off_road, low_speed_vehicle, registered_importer,
                   // part555_exemption, small_vehicle_class
  std::string name;
  bool road_use = false;  // whether entering this way lets the vehicle be registered for public roads
  PathwayStatus status = PathwayStatus::unknown;
  std::optional<Date> earliest;  // the first day it is (or becomes) available
  std::vector<std::string> conditions;
  std::vector<PathwayForm> forms;
  std::vector<Reason> reasons;
  std::vector<std::string> missing_fields;
};

struct ImportDetermination {
  Date date;
  std::vector<Pathway> pathways;
  // The first day from which some road-use pathway is open (possibly before `date`), if any is known.
  std::optional<Date> earliest_road_entry;
  std::string earliest_road_pathway;
};

class ImportRule {
 public:
  static Result<ImportRule> bind(const ParamStore& params, std::vector<PathwayForm> forms);
  // Reads pathway_forms.csv (pathway, form, what, ref); unknown pathway ids are errors.
  static Result<std::vector<PathwayForm>> parse_forms(std::string_view csv_text, std::string_view file_label);

  ImportDetermination explain(const Vehicle& v, Date date) const;

 private:
  Pathway fmvss_25_year(const Vehicle& v, Date date) const;
  Pathway epa_21_year(const Vehicle& v, Date date) const;
  Pathway off_road(Date date) const;
  Pathway low_speed_vehicle(const Vehicle& v, Date date) const;
  Pathway registered_importer(Date date) const;
  Pathway part555_exemption(const Vehicle& v, Date date) const;
  Pathway small_vehicle_class(const Vehicle& v, Date date) const;
  void attach_forms(Pathway& p) const;

  std::vector<PathwayForm> forms_;
  const Parameter* fmvss_age_ = nullptr;
  const Parameter* epa_age_ = nullptr;
  const Parameter* epa_pre_year_ = nullptr;
  const Parameter* nonroad_cert_ = nullptr;
  const Parameter* kei_motor_vehicle_ = nullptr;
  const Parameter* ri_decisions_ = nullptr;
  const Parameter* part555_cap_ = nullptr;
  const Parameter* part555_makers_ = nullptr;
  const Parameter* lsv_in_effect_ = nullptr;
  const Parameter* lsv_min_mph_ = nullptr;
  const Parameter* lsv_max_mph_ = nullptr;
  const Parameter* lsv_max_gvwr_ = nullptr;
  const Parameter* lsv_trucks_ = nullptr;
  const Parameter* lsv_conversion_ = nullptr;
  const Parameter* small_in_effect_ = nullptr;
  const Parameter* small_speed_ = nullptr;
  const Parameter* small_gvwr_ = nullptr;
  const Parameter* small_length_ = nullptr;
  const Parameter* small_width_ = nullptr;
  const Parameter* small_crash_ = nullptr;
  const Parameter* small_used_ = nullptr;
};

}  // namespace keipath
