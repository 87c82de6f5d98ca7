// The answer layer: one question, one answer, one JSON form, for every front end (the CLI's --json, the HTTP
// API, later the Python module), so that they can never differ.
//
// A request names its inputs as the API does ("price_jpy", "vehicle.length_mm", "state"); an error names
// the input that is wrong with that name as its first word ("state: 'ZZ' is not a state code"), and each
// front end renames it to what its user typed (the CLI: "--state: ..."). Every JSON answer carries
// "schema_version", "answer" (its kind) and "provenance" (rule base hash, scenario, program version).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keipath/rule_base.hpp"

namespace keipath::answers {

// Bumped when a field changes meaning or disappears (adding a field does not bump it).
inline constexpr int kSchemaVersion = 1;

// The vehicle a question is about: a catalog row picked by model (and chassis, or the build month when
// several generations match) with any fields replacing its values; or a vehicle described by its fields
// alone.
struct VehicleRequest {
  std::string model;
  std::string chassis;
  std::map<std::string, std::string> fields;  // vehicle field name -> text
};
struct ChosenVehicle {
  Vehicle vehicle;
  const CatalogEntry* entry = nullptr;  // the catalog row, when the vehicle came from the catalog
};
// Errors name the field: "vehicle.length_mm: ...", "vehicle: say which vehicle ...".
Result<ChosenVehicle> choose_vehicle(const VehicleRequest& request, const RuleBase& base, Date today);

struct KeiAnswer {
  ChosenVehicle chosen;
  KeiDetermination determination;
};
Result<KeiAnswer> answer_kei(const RuleBase& base, const VehicleRequest& vehicle, Date date);

struct ImportAnswer {
  ChosenVehicle chosen;
  ImportDetermination determination;
};
Result<ImportAnswer> answer_import(const RuleBase& base, const VehicleRequest& vehicle, Date date);

// The ranges every front end accepts for the states question's speeds (the CLI's options, the API's
// parameters), declared once.
struct WholeRange {
  int min, max;
};
inline constexpr WholeRange kPostedMph{5, 85};     // posted US speed limits
inline constexpr WholeRange kGovernorMph{5, 200};  // a governed top speed

struct StatesRequest {
  VehicleRequest vehicle;
  Date date;
  std::string state;  // empty: all 50 states and DC
  std::string entered_as;
  std::optional<Date> registered_on;
  std::optional<int> governor_mph;
  std::optional<Road> road;
};
struct StatesAnswer {
  StateQuestion question;
  std::vector<StateAnswer> answers;
  std::vector<std::optional<RoadVerdict>> roads;  // one per answer, when a road was asked about
  std::optional<Road> road;
  StatusCounts counts{};
};
// Errors: "state: ...", "entered_as: ...", "registered_on: ...", and the vehicle's.
Result<StatesAnswer> answer_states(const RuleBase& base, const StatesRequest& request);

// JSON forms of the parts.
nlohmann::json provenance_json(const RuleBase& base);
nlohmann::json vehicle_json(const Vehicle& v);
nlohmann::json reason_json(const Reason& r);
nlohmann::json kei_json(const KeiDetermination& d);
nlohmann::json pathway_json(const Pathway& p);
nlohmann::json catalog_entry_json(const CatalogEntry& e);
nlohmann::json state_answer_json(const StateAnswer& a, const std::optional<RoadVerdict>& road);
nlohmann::json state_rule_json(const StateRule& r);
nlohmann::json road_limits_json(const RoadLimits& l);
nlohmann::json status_counts_json(const StatusCounts& counts);

// Whole answers, each with schema_version, answer and provenance.
nlohmann::json to_json(const KeiAnswer& a, const RuleBase& base);
nlohmann::json to_json(const ImportAnswer& a, const RuleBase& base);
nlohmann::json to_json(const StatesAnswer& a, const RuleBase& base);
nlohmann::json catalog_json(const std::vector<const CatalogEntry*>& entries, const RuleBase& base);
// Stamps schema_version, answer and provenance on an answer assembled elsewhere.
nlohmann::json stamped(std::string_view answer, nlohmann::json body, const RuleBase& base);

// An error as JSON: {"error": the whole message, "option" | "field" | "file" and "line" where its first line
// names one, "problems": every line, each with the same keys}.
nlohmann::json error_json(const std::string& message);

}  // namespace keipath::answers
