// The `keipath` command's subcommands. Each is a thin layer over the library: parse options, load the rule
// base, ask the rule, print. Errors become one message on stderr and exit code 2 (see main.cpp).
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "keipath/answers.hpp"
#include "keipath/determination.hpp"
#include "keipath/kei_class.hpp"
#include "keipath/result.hpp"
#include "keipath/rule_base.hpp"

namespace keipath::cli {

// Exit codes: an answer (whatever the verdict) is 0; bad usage or bad input (a malformed vehicle, date, rule
// file or catalog) is 2.
inline constexpr int kExitAnswer = 0;
inline constexpr int kExitBadInput = 2;
// `keipath batch` answered the rows it could and rejected at least one (see the rejects file).
inline constexpr int kExitRowsRejected = 1;

// Options every subcommand that reads the rule base shares.
struct CommonOptions {
  std::string data_dir;  // empty: $KEIPATH_DATA, else the bundled data folder
  std::string scenario_file;
  std::string date;  // empty: today
  bool json = false;
  bool csv = false;
};

void add_common_options(CLI::App& command, CommonOptions& options, bool tabular);

// A numeric option, parsed by keipath rather than CLI11 so that every one behaves alike: a plain decimal
// number (no nan, inf or hex), within its range, a whole number where it must be; an empty string is an
// error, never "not given". Its help shows the type and range ("NUMBER:(0,200]"), which is also how the
// CLI's property test finds every numeric option. Errors name the option: "--mpg: 0 is out of range
// (more than 0, at most 200)".
using answers::NumberSpec;
class NumberOption {
 public:
  explicit NumberOption(NumberSpec spec) : spec_(spec) {}
  CLI::Option* add(CLI::App& cmd, std::string name, std::string help);
  bool given() const { return text_.has_value(); }
  // nullopt when the option was not given.
  Result<std::optional<double>> get() const;
  const std::string& name() const { return name_; }
  static std::string type_name(const NumberSpec& spec);

 private:
  NumberSpec spec_;
  std::string name_;
  std::optional<std::string> text_;
};
using answers::check_number;
Result<std::unique_ptr<const RuleBase>> load_rule_base(const CommonOptions& options);
// --data, else $KEIPATH_DATA, else the bundled data folder.
std::filesystem::path data_folder(const CommonOptions& options);
// --seed: a uint64 parsed exactly (not through a double); 1 when not given.
Result<uint64_t> seed_option(const std::optional<std::string>& text);
// The --date option, or today.
Result<Date> date_option(const CommonOptions& options);
// --entered-as and --registered-on, the state question's entry options (states, check).
void add_entry_options(CLI::App& cmd, std::string& entered_as, std::string& registered_on);
// --registered-on (states, check): nullopt when not given.
Result<std::optional<Date>> registered_on_option(const std::string& text);

// The vehicle a question is about: a catalog row picked by --model (alias --vehicle) and --chassis, or by
// --built when several generations match, with any --<field> options replacing its values; or a vehicle
// described by its fields alone.
using VehicleOptions = answers::VehicleRequest;  // --<field> options fill `fields`
// Rewrites the first word of each line of an error message from a library field name to the option that
// sets it ("price_jpy: ..." -> "--price-jpy: ...", "vehicle.length_mm: ..." -> "--length-mm: ..."), so a
// message always names what the user typed.
std::string name_options(std::string message,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> fields);
// As name_options, for the vehicle fields the user gave as options (a catalog's own value keeps
// "vehicle.<field>").
std::string name_vehicle_options(std::string message, const VehicleOptions& o);
using answers::ChosenVehicle;
void add_vehicle_options(CLI::App& command, VehicleOptions& options);
Result<ChosenVehicle> vehicle_from_options(const VehicleOptions& o, const RuleBase& base, Date today);
// "--length-mm" for "length_mm".
std::string vehicle_option_name(std::string_view field);

// The cost question's options (price, freight, ownership terms), shared by `keipath cost` and `keipath
// check`; each number's range is the answer layer's (answers::kPriceJpy ...).
struct CostInputs {
  NumberOption price_jpy{answers::kPriceJpy};
  bool price_includes_tax = false;
  NumberOption jpy_per_usd{answers::kJpyPerUsd};
  std::string freight = "roro";
  std::string port = "USLAX";
  NumberOption inland_miles{answers::kInlandMiles};
  bool agent_commission_dutiable = false;
  std::string heading;
  std::vector<std::string> set;
  NumberOption years{answers::kYears};
  NumberOption miles_per_year{answers::kMilesPerYear};
  NumberOption km_per_l{answers::kKmPerL};
  std::string cycle;
  NumberOption mpg{answers::kMpg};
  NumberOption wh_per_km{answers::kWhPerKm};
  NumberOption insurance_usd{answers::kInsuranceUsd};
  NumberOption depreciation_percent{answers::kDepreciationPercent};
  NumberOption registration_usd{answers::kRegistrationUsd};
  std::vector<std::string> compare;
};
void add_cost_inputs(CLI::App& cmd, CostInputs& inputs, bool price_required);
// Fills every field of the request but its vehicle and entry date; errors name the option.
Result<void> fill_cost_request(const CostInputs& inputs, answers::CostRequest& request);
// Renames the cost question's input names in an error to the options that set them.
std::string cost_option_names(std::string message, const VehicleOptions& vehicle);

// What a subcommand does once its options are parsed; returns the exit code.
using Action = std::function<Result<int>()>;

void add_kei_command(CLI::App& app, Action& action);
void add_catalog_command(CLI::App& app, Action& action);
void add_demo_command(CLI::App& app, Action& action);
void add_states_command(CLI::App& app, Action& action);
void add_import_command(CLI::App& app, Action& action);
void add_cost_command(CLI::App& app, Action& action);
void add_safety_command(CLI::App& app, Action& action);
void add_serve_command(CLI::App& app, Action& action);
void add_check_command(CLI::App& app, Action& action);
void add_batch_command(CLI::App& app, Action& action);
void add_coverage_command(CLI::App& app, Action& action);
void add_simulate_command(CLI::App& app, Action& action);

// JSON forms come from the answer layer (keipath/answers.hpp), shared with the HTTP API.
using answers::provenance_json;
using answers::reason_json;
using answers::vehicle_json;
// The footer line of text output: rule base hash, scenario, program version.
std::string provenance_line(const RuleBase& base);

}  // namespace keipath::cli

namespace keipath::cli {
using answers::kei_summary;
// One reason: its outcome, its text and, indented below, its citation.
void print_reason(const Reason& r);
// The full explanation: verdict, then every reason with its citation.
void print_kei_text(const Vehicle& v, const KeiDetermination& d);
// The vehicle's assumed figures (Vehicle::assumed), one line each; nothing when there are none.
void print_assumed(const Vehicle& v);
}  // namespace keipath::cli
