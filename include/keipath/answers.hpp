// The answer layer: one question, one answer, one JSON form, for every front end (the CLI's --json, the HTTP
// API, later the Python module), so that they can never differ.
//
// A request names its inputs as the API does ("price_jpy", "vehicle.length_mm", "state"); an error names
// the input that is wrong with that name as its first word ("state: 'ZZ' is not a state code"), and each
// front end renames it to what its user typed (the CLI: "--state: ..."). Every JSON answer carries
// "schema_version", "answer" (its kind) and "provenance" (rule base hash, scenario, program version).
#pragma once

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keipath/crash.hpp"
#include "keipath/landed_cost.hpp"
#include "keipath/ownership.hpp"
#include "keipath/rule_base.hpp"

namespace keipath::answers {

// Bumped when a field changes meaning or disappears (adding a field does not bump it).
inline constexpr int kSchemaVersion = 1;

// The vehicle a question is about: a catalog row picked by model, chassis code or frame number (the build
// month picks among generations that share them) with any fields replacing its values; or a vehicle
// described by its fields alone.
struct VehicleRequest {
  std::string model;
  std::string chassis;  // one code ("HA6") or the catalog's list ("HA6/HA7"); alone it searches every row
  std::string frame;    // a frame number, "DA16T-123456": the code before the hyphen is the chassis
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

// When the build months of a catalog generation may enter for road use: the import rule's earliest road
// entry for each month of its production (to `last_built`: the production's end, or this month).
struct ProductionEligibility {
  YearMonth first_built, last_built;
  std::optional<Date> first_eligible, last_eligible;  // of the first and the last build month
  bool all_eligible = false;  // every build month may enter for road use on the date asked
  bool some_never = false;    // some build month has no road pathway at all
};
ProductionEligibility production_eligibility(const RuleBase& base, const CatalogEntry& entry, Date date,
                                             Date today);

struct ImportAnswer {
  ChosenVehicle chosen;
  ImportDetermination determination;
  // Without a build month, for a catalog generation: the range over its production.
  std::optional<ProductionEligibility> production;
};
Result<ImportAnswer> answer_import(const RuleBase& base, const VehicleRequest& vehicle, Date date);
ImportAnswer answer_import(const RuleBase& base, const ChosenVehicle& chosen, Date date);

// What the data can answer, worked out from it (`keipath coverage`): each catalog generation, judged as built
// in its first production month, through the kei, entry, duty, landed-cost and state rules, with what is
// unknown and the fields that would settle it; and the rule in force for each jurisdiction and kind.
struct CatalogCoverage {
  const CatalogEntry* entry = nullptr;
  YearMonth built;
  KeiVerdict kei = KeiVerdict::unknown;
  std::vector<std::string> kei_missing;
  std::optional<Date> road_entry;
  std::string duty_heading;  // empty when no heading is chosen
  std::vector<std::string> duty_missing;
  bool catalog_price = false;
  std::string cost_problem;                 // why no landed cost can be worked out, or ""
  int states_unknown = 0;                   // of the 51 answers on the date
  std::vector<std::string> states_missing;  // the fields that would settle some of them
};
struct JurisdictionCoverage {
  std::string code;
  std::array<const StateRule*, 3> rules{};  // truck, van, car: in force on the date (null: none recorded)
};
struct CoverageAnswer {
  Date date;
  std::vector<CatalogCoverage> catalog;
  std::vector<JurisdictionCoverage> jurisdictions;
};
CoverageAnswer answer_coverage(const RuleBase& base, Date date);

// The catalog generations whose build months first may enter for road use in `month` (an importer's "what
// becomes legal next month"), each with the build months and the first days.
struct EligibleGeneration {
  const CatalogEntry* entry = nullptr;
  YearMonth first_built, last_built;
  Date first_day, last_day;  // their earliest road entries, inside the month
  std::string pathway;
};
struct EligibleInAnswer {
  YearMonth month;
  std::vector<EligibleGeneration> generations;
};
EligibleInAnswer answer_eligible_in(const RuleBase& base, YearMonth month, Date today);

// The range of a numeric input, declared once for every front end (the CLI's options and their --help, the
// API's parameters and its OpenAPI document).
struct NumberSpec {
  double min = 0, max = 0;
  bool min_exclusive = false;  // (min, max] instead of [min, max]
  bool whole = false;          // whole numbers only
};
// Checks one number: a plain decimal ("350,000" allowed: commas only group), no nan, inf or hex, within the
// spec; the error reads "'x' is not a number" or "5 is out of range (...)".
Result<double> check_number(std::string_view text, const NumberSpec& spec);
// A random seed, 0 to 2^64-1, read exactly (not through a double); the error names `name` ("--seed", "seed").
Result<uint64_t> parse_seed(std::string_view text, std::string_view name);

inline constexpr NumberSpec kPostedMph{5, 85, false, true};     // posted US speed limits
inline constexpr NumberSpec kGovernorMph{5, 200, false, true};  // a governed top speed
// The cost question's numbers.
inline constexpr NumberSpec kPriceJpy{0, 1e12, true, true};
inline constexpr NumberSpec kJpyPerUsd{1, 10'000};
inline constexpr NumberSpec kInlandMiles{0, 6'000, false, true};
inline constexpr NumberSpec kYears{1, 30, false, true};
inline constexpr NumberSpec kMilesPerYear{0, 100'000, false, true};
inline constexpr NumberSpec kKmPerL{0, 100, true};
inline constexpr NumberSpec kMpg{0, 200, true};
inline constexpr NumberSpec kWhPerKm{0, 1'000, true};
inline constexpr NumberSpec kInsuranceUsd{0, 1e6};
inline constexpr NumberSpec kDepreciationPercent{0, 100};
inline constexpr NumberSpec kRegistrationUsd{0, 1e6};
// The safety question's simulation sizes.
inline constexpr NumberSpec kDraws{1, 100'000, false, true};
inline constexpr NumberSpec kSamples{1'000, 1'000'000'000, false, true};
inline constexpr NumberSpec kThreads{1, 256, false, true};

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
  std::array<int, 4> confidence_counts{};  // by Confidence: unstated, low, medium, high
  // The jurisdictions whose answer rests on no statute, regulation or agency statement (basis none, or
  // nothing recorded), in answer order.
  std::vector<std::string> secondary_only;
};
// Errors: "state: ...", "entered_as: ...", "registered_on: ...", and the vehicle's.
Result<StatesAnswer> answer_states(const RuleBase& base, const StatesRequest& request);
// The same for a vehicle already chosen (request.vehicle is not read): `keipath check` asks several
// questions about one vehicle.
Result<StatesAnswer> answer_states(const RuleBase& base, const StatesRequest& request,
                                   const ChosenVehicle& chosen);

// The list of dated state-rule changes, newest first; one state's when `state` is given.
struct ChangesAnswer {
  std::vector<StateChange> changes;
};
Result<ChangesAnswer> answer_changes(const RuleBase& base, const std::string& state);

// Landed cost (and, with `years`, the cost of owning it against new US reference vehicles). Inputs are
// named as the API names them; errors name them ("price_jpy: required ...", "km_per_l: needs cycle ...").
struct CostRequest {
  VehicleRequest vehicle;
  Date entry;
  std::optional<int64_t> price_jpy;  // required
  bool price_includes_tax = false;
  std::optional<double> jpy_per_usd;
  std::string freight = "roro";  // roro | container
  std::string port = "USLAX";
  int inland_miles = 0;
  bool agent_commission_dutiable = false;
  std::string heading;
  std::vector<std::string> set;  // "ID=AMOUNT": yen for the Japan-side lines, dollars for the others
  // Ownership, when `years` is given.
  std::optional<int> years;
  std::optional<int> miles_per_year;
  std::optional<double> km_per_l;
  std::string cycle;  // of km_per_l: wltc, jc08 or 10-15
  std::optional<double> mpg;
  std::optional<double> wh_per_km;
  std::optional<double> insurance_usd;
  std::optional<double> depreciation_percent;
  std::optional<double> registration_usd;
  std::vector<std::string> compare;  // reference vehicle ids; empty: all
  // When the kei vehicle's fuel economy is not known: an error (false), or no ownership table and a note
  // saying what would settle it (true; `keipath check` asks for the cost when it can).
  bool ownership_optional = false;
};
struct OwnershipTable {
  int years = 0;
  std::vector<OwnershipCost> costs;  // the kei vehicle first
  int miles_per_year = 0;
};
struct CostAnswer {
  ChosenVehicle chosen;
  LandedCostQuestion question;
  LandedCost landed;
  // Empty when the vehicle may enter for road use on the entry date; else why the cost is hypothetical.
  std::string admissibility;
  std::optional<OwnershipTable> ownership;
  std::string ownership_note;  // why there is no ownership table, when `years` was given
};
Result<CostAnswer> answer_cost(const RuleBase& base, const CostRequest& request);
Result<CostAnswer> answer_cost(const RuleBase& base, const CostRequest& request, const ChosenVehicle& chosen);
// The landed-cost question a request asks of the chosen vehicle (its price, when given, included); errors
// name the request's field (freight, set).
Result<LandedCostQuestion> cost_question(const CostRequest& request, const ChosenVehicle& chosen);
// Why a cost for a vehicle entering on `entry` is hypothetical ("" when it may enter for road use then).
std::string admissibility(const ImportDetermination& pathways, Date entry);

// Two-vehicle crash risk against the fleet, one partner and reference vehicles (Monte Carlo).
struct SafetyRequest {
  VehicleRequest vehicle;
  Date date;
  std::string partner = "ford_f150";
  int draws = 100;
  int64_t samples = 200'000;
  uint64_t seed = 1;
  int threads = 1;
  const CrashPartners* fleet = nullptr;  // another partner fleet (a scenario); null: the rule base's
  std::string fleet_name;                // where `fleet` came from
};
struct SafetyAnswer {
  ChosenVehicle chosen;
  Date date;
  bool kei = false;  // a catalog model is a kei vehicle; one described by its fields is not assumed one
  const CrashPartner* partner = nullptr;
  RiskSummary vs_fleet, vs_partner;
  std::vector<std::pair<const CrashPartner*, RiskSummary>> references;  // same crashes, reference vehicles
  SimulationOptions simulation;
  std::string fleet_name;  // empty: the rule base's fleet
};
Result<SafetyAnswer> answer_safety(const RuleBase& base, const SafetyRequest& request);
// The ratio of two per-draw series with a percentile interval over the draws (common random numbers).
Interval risk_ratio(const std::vector<double>& a, const std::vector<double>& b);

// A policy scenario against a baseline over the US fleet to 2050 (src/fleet): paired draws by state, the
// differences with their bands, each state's kei adoption, the tornado and the law each year read. The
// fleet models are bound once per rule base and kept (a server asks again and again).
struct SimulationRequest {
  int draws = 200;
  uint64_t seed = 1;
  int threads = 1;
  int last_year = 2050;
};
// The JSON answer (schema_version, answer "simulation", provenance, simulation: fleet::difference_json).
Result<nlohmann::json> answer_simulation(const RuleBase& scenario, const RuleBase& baseline,
                                         const SimulationRequest& request);

// The buyer's one-shot answer: a vehicle, a state and a date. Kei then (when built) and now, the earliest
// lawful entry and its pathway, the state's answer (and, when entry opens later, the state's answer on that
// day), the landed cost and the five-year cost (when a price is given or the catalog has one), and about ten
// plain lines that say it all.
struct CheckRequest {
  VehicleRequest vehicle;
  Date date;
  std::string state;  // required
  std::string entered_as;
  std::optional<Date> registered_on;
  CostRequest cost;  // its vehicle and entry are set from the question; price_jpy may be missing
};
struct CheckAnswer {
  ChosenVehicle chosen;
  Date date;
  KeiDetermination kei_on_date;
  std::optional<KeiDetermination> kei_when_built;
  ImportDetermination entry;
  StatesAnswer state;
  std::optional<StatesAnswer> state_at_entry;  // on the earliest road entry, when it is after `date`
  std::optional<CostAnswer> cost;
  std::string cost_note;  // why there is no cost, or on which day it was computed
  std::vector<std::string> summary;
};
Result<CheckAnswer> answer_check(const RuleBase& base, const CheckRequest& request);

// "KEI", "NOT KEI (length over by 95 mm)", "UNKNOWN (length not known)".
std::string kei_summary(const KeiDetermination& d);
// Road limits in a few words: "roads ≤55 mph; no interstates; may cross" (empty when there are none).
std::string limits_phrase(const RoadLimits& l);

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
nlohmann::json to_json(const ChangesAnswer& a, const RuleBase& base);
nlohmann::json to_json(const CostAnswer& a, const RuleBase& base);
nlohmann::json to_json(const EligibleInAnswer& a, const RuleBase& base);
nlohmann::json to_json(const CoverageAnswer& a, const RuleBase& base);
nlohmann::json to_json(const SafetyAnswer& a, const RuleBase& base);
nlohmann::json to_json(const CheckAnswer& a, const RuleBase& base);
nlohmann::json catalog_json(const std::vector<const CatalogEntry*>& entries, const RuleBase& base);
// Stamps schema_version, answer and provenance on an answer assembled elsewhere.
nlohmann::json stamped(std::string_view answer, nlohmann::json body, const RuleBase& base);

// An error as JSON: {"error": the whole message, "option" | "field" | "file" and "line" where its first line
// names one, "problems": every line, each with the same keys}.
nlohmann::json error_json(const std::string& message);

}  // namespace keipath::answers
