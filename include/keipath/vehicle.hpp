// A vehicle as keipath's rules see it. Every measured field is optional: an unknown field is absent, never
// zero, and a rule that needs it answers "unknown" and says which field was missing.
//
// Vehicles are built from named text fields (a catalog row, CLI flags, later a batch CSV row) by
// set_vehicle_field, so every source gets the same parsing and the same messages ("vehicle.length_mm: 'abc'
// is not a whole number"). validate_vehicle then checks ranges and contradictions and names each field.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/result.hpp"

namespace keipath {

enum class Body : uint8_t { truck, van, car, suv, sports };
enum class EngineKind : uint8_t { four_stroke, two_stroke, electric };
enum class Powertrain : uint8_t { ice, hybrid, battery_electric };
enum class SteeringSide : uint8_t { right, left };

std::string_view to_string(Body b);
std::string_view to_string(EngineKind e);
std::string_view to_string(Powertrain p);
std::string_view to_string(SteeringSide s);

// Goods vehicles (trucks and vans) carry the payload limit of the kei class.
constexpr bool is_goods_body(Body b) {
  return b == Body::truck || b == Body::van;
}

struct Vehicle {
  std::string make;
  std::string model;
  std::string chassis;  // chassis / model code, e.g. "DA16T"; "S500P/S510P" lists the 2WD/4WD codes
  std::optional<Body> body;
  std::optional<YearMonth> built;
  std::optional<int> length_mm, width_mm, height_mm, wheelbase_mm, track_front_mm, track_rear_mm;
  std::optional<EngineKind> engine;
  std::optional<int> displacement_cc;  // always absent for an electric vehicle
  std::optional<double> power_kw;
  std::optional<int> curb_mass_kg, gross_mass_kg, seats, payload_kg;
  std::optional<Powertrain> powertrain;
  std::optional<std::string> drive;  // "2WD", "4WD", "2WD/4WD", with the layout where known ("2WD (MR)")
  std::optional<SteeringSide> steering;
  std::optional<int> top_speed_kmh;

  // Fields that hold no maker's figure but an assumed one from a cited generic figure (a catalog row's
  // dimension no source gave is at most the kei limit of the month the generation went on sale): every
  // answer shows them as assumed, with why. Setting the field (set_vehicle_field) drops its entry.
  struct Assumed {
    std::string field;  // a vehicle field name, e.g. "length_mm"
    std::string why;    // the figure's basis and citation, in words
    // The range the true figure lies in, in the field's unit (a dimension: at most the kei limit, no floor).
    // A rule whose threshold falls inside it cannot be decided by the assumed value.
    std::optional<double> low, high;
  };
  std::vector<Assumed> assumed;

  // "Suzuki Carry DA16T", or "the described vehicle" when make and model are empty.
  std::string display_name() const;
};

// Whether `field` holds an assumed figure (Vehicle::assumed), and its entry.
bool is_assumed(const Vehicle& v, std::string_view field);
const Vehicle::Assumed* assumed_figure(const Vehicle& v, std::string_view field);
// The assumed figures in a few words: "length_mm at most 3400, top_speed_kmh 100 (100 to 120)"; "" if none.
std::string assumed_summary(const Vehicle& v);

// The field names set_vehicle_field accepts, in a stable order (also the CSV columns of a vehicle).
std::span<const std::string_view> vehicle_field_names();

// Sets one field from text. An empty text leaves the field unknown. `field` must be one of
// vehicle_field_names(); errors read "vehicle.<field>: ...".
Result<void> set_vehicle_field(Vehicle& v, std::string_view field, std::string_view text);

// The range validate_vehicle accepts for a numeric field (declared once, in the field table), for help
// texts and forms; nullopt for a field that is not a measured number.
struct VehicleFieldRange {
  double min = 0, max = 0;
  std::string_view what;  // "a length in mm"
  bool whole = true;      // whole numbers only
};
std::optional<VehicleFieldRange> vehicle_field_range(std::string_view field);

// Whether the field holds a number (for JSON output); the others hold text or a named choice.
bool vehicle_field_is_numeric(std::string_view field);

// The field's value as text ("" when unknown), the inverse of set_vehicle_field.
std::string vehicle_field_text(const Vehicle& v, std::string_view field);

// Checks physical ranges and contradictions; `today` bounds the build month. Reports every problem, one
// per line, each naming its field.
Result<void> validate_vehicle(const Vehicle& v, Date today);

}  // namespace keipath
