// The `keipath` command's subcommands. Each is a thin layer over the library: parse options, load the rule
// base, ask the rule, print. Errors become one message on stderr and exit code 2 (see main.cpp).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "keipath/determination.hpp"
#include "keipath/kei_class.hpp"
#include "keipath/result.hpp"
#include "keipath/rule_base.hpp"

namespace keipath::cli {

// Exit codes: an answer (whatever the verdict) is 0; bad usage or bad input (a malformed vehicle, date, rule
// file or catalog) is 2.
inline constexpr int kExitAnswer = 0;
inline constexpr int kExitBadInput = 2;

// Options every subcommand that reads the rule base shares.
struct CommonOptions {
  std::string data_dir;  // empty: $KEIPATH_DATA, else the bundled data folder
  std::string scenario_file;
  std::string date;  // empty: today
  bool json = false;
  bool csv = false;
};

void add_common_options(CLI::App& command, CommonOptions& options, bool tabular);
Result<std::unique_ptr<const RuleBase>> load_rule_base(const CommonOptions& options);
// The --date option, or today.
Result<Date> date_option(const CommonOptions& options);

// The vehicle a question is about: a catalog row picked by --model (alias --vehicle) and --chassis, or by
// --built when several generations match, with any --<field> options replacing its values; or a vehicle
// described by its fields alone.
struct VehicleOptions {
  std::string model;
  std::string chassis;
  std::map<std::string, std::string> fields;  // vehicle field -> text, from --<field> options
};
struct ChosenVehicle {
  Vehicle vehicle;
  const CatalogEntry* entry = nullptr;  // the catalog row, when the vehicle came from the catalog
};
void add_vehicle_options(CLI::App& command, VehicleOptions& options);
Result<ChosenVehicle> vehicle_from_options(const VehicleOptions& o, const RuleBase& base, Date today);
// "--length-mm" for "length_mm".
std::string vehicle_option_name(std::string_view field);

// What a subcommand does once its options are parsed; returns the exit code.
using Action = std::function<Result<int>()>;

void add_kei_command(CLI::App& app, Action& action);
void add_catalog_command(CLI::App& app, Action& action);
void add_demo_command(CLI::App& app, Action& action);
void add_states_command(CLI::App& app, Action& action);
void add_import_command(CLI::App& app, Action& action);
void add_cost_command(CLI::App& app, Action& action);
void add_safety_command(CLI::App& app, Action& action);

// JSON forms shared by the subcommands.
nlohmann::json provenance_json(const RuleBase& base);
nlohmann::json vehicle_json(const Vehicle& v);
nlohmann::json reason_json(const Reason& r);
nlohmann::json kei_json(const KeiDetermination& d);
// The footer line of text output: rule base hash, scenario, program version.
std::string provenance_line(const RuleBase& base);

}  // namespace keipath::cli

namespace keipath::cli {
// "KEI", "NOT KEI (length over by 95 mm)", "UNKNOWN (length not known)".
std::string kei_summary(const KeiDetermination& d);
// The full explanation: verdict, then every reason with its citation.
void print_kei_text(const Vehicle& v, const KeiDetermination& d);
}  // namespace keipath::cli
