// Cost of ownership over N years and miles, in exact cents: purchase, the value left at the end, energy
// (gasoline or electricity, from an on-road consumption), insurance, maintenance and registration, for a kei
// vehicle and for reference US vehicles (data/vehicles/us_reference.csv). A kei vehicle's on-road
// consumption comes from its Japanese test-cycle figure times a stated, cited on-road ratio.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keipath/money.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"

namespace keipath {

enum class TestCycle : uint8_t { wltc, jc08, ten_fifteen };
Result<TestCycle> parse_test_cycle(std::string_view text);  // "wltc", "jc08", "10-15"
std::string_view to_string(TestCycle c);

// A fuel-economy figure as a Japanese catalog prints it, e.g. "WLTC 15.8 km/L" or "EV: ... ~121 Wh/km".
struct CatalogEconomy {
  std::optional<double> km_per_l;
  std::optional<TestCycle> cycle;
  std::optional<double> wh_per_km;
};
// Reads the first figure with a named cycle (or the Wh/km of an EV) from a catalog's fuel_economy text.
CatalogEconomy parse_catalog_economy(std::string_view text);

struct EnergyUse {
  bool electric = false;
  double per_mile = 0;  // gallons per mile, or kWh per mile
  std::string basis;    // how it was derived, with the parameters
  Confidence confidence = Confidence::unstated;
};

struct ReferenceVehicle {
  std::string id, name, segment;
  Money price;
  std::string price_basis;
  std::optional<double> mpg;
  std::optional<double> kwh_per_mile;
  bool full_coverage = true;
  std::string source;
  Confidence confidence = Confidence::unstated;
  std::string note;
};

enum class InsuranceCover : uint8_t { full, minimum };

struct OwnedVehicle {
  std::string id;  // a short column name: "kei", or the reference id
  std::string name;
  Money purchase;
  std::string purchase_basis;
  EnergyUse energy;
  InsuranceCover cover = InsuranceCover::full;
  bool new_vehicle = true;  // new: the new-vehicle depreciation; else the old-import rate
};

struct OwnershipTerms {
  Date start;
  int years = 5;
  std::optional<int> miles_per_year;                    // default market.usage.miles_per_year
  std::optional<Money> insurance_per_year;              // replaces the default for the kei vehicle only
  std::optional<double> depreciation_percent_per_year;  // replaces the default for the kei vehicle only
  std::optional<Money> registration_per_year;           // no default: state fees vary and none is sourced
};

struct OwnershipLine {
  std::string id;  // purchase, residual, energy, insurance, maintenance, registration
  std::string label;
  Money amount;  // the residual value is negative (it comes back)
  std::string basis;
  Confidence confidence = Confidence::unstated;
};

struct OwnershipCost {
  std::string id;
  std::string name;
  std::vector<OwnershipLine> lines;
  Money total;  // the sum of the lines
  int miles = 0;
  Money per_mile() const;
};

class OwnershipModel {
 public:
  static Result<OwnershipModel> bind(const ParamStore& params, std::vector<ReferenceVehicle> references);
  static Result<std::vector<ReferenceVehicle>> parse_references(std::string_view csv_text,
                                                                std::string_view label);

  // On-road consumption from a Japanese figure: km/L on a cycle, or Wh/km for an EV (WLTC ratio applied).
  Result<EnergyUse> from_japanese_cycle(double km_per_l, TestCycle cycle, Date on) const;
  Result<EnergyUse> from_japanese_ev(double wh_per_km, Date on) const;
  static EnergyUse from_us_mpg(double mpg, std::string basis);

  OwnedVehicle reference(const ReferenceVehicle& r) const;
  // `kei` selects the kei-only overrides in `terms`.
  Result<OwnershipCost> cost(const OwnedVehicle& v, const OwnershipTerms& terms, bool kei) const;
  const std::vector<ReferenceVehicle>& references() const { return references_; }

 private:
  Result<OwnershipCost> cost_checked(const OwnedVehicle& v, const OwnershipTerms& t, bool kei,
                                     int miles_per_year, const ParamValue* miles_default) const;
  std::vector<ReferenceVehicle> references_;
  const Parameter* gasoline_ = nullptr;
  const Parameter* electricity_ = nullptr;
  const Parameter* wltc_ = nullptr;
  const Parameter* jc08_ = nullptr;
  const Parameter* ten_fifteen_ = nullptr;
  const Parameter* miles_ = nullptr;
  const Parameter* full_ = nullptr;
  const Parameter* minimum_ = nullptr;
  const Parameter* maintenance_ = nullptr;
  const Parameter* new_depreciation_ = nullptr;
  const Parameter* old_depreciation_ = nullptr;
};

}  // namespace keipath
