#include <fmt/format.h>

#include <cstdlib>

#include "cli/commands.hpp"

namespace keipath::cli {

void add_common_options(CLI::App& command, CommonOptions& options, bool tabular) {
  command.add_option("--data", options.data_dir,
                     "Rule base folder (default: $KEIPATH_DATA, else the bundled data)");
  command.add_option("--scenario", options.scenario_file, "Scenario file of dated parameter overrides");
  command.add_flag("--json", options.json, "Print JSON");
  if (tabular) command.add_flag("--csv", options.csv, "Print CSV");
}

Result<std::unique_ptr<const RuleBase>> load_rule_base(const CommonOptions& options) {
  RuleBaseOptions load;
  if (!options.data_dir.empty()) {
    load.data_dir = options.data_dir;
  } else if (const char* env = std::getenv("KEIPATH_DATA"); env != nullptr && *env != '\0') {
    load.data_dir = env;
  } else {
    load.data_dir = KEIPATH_DATA_DIR;
  }
  if (!options.scenario_file.empty()) load.scenario_file = options.scenario_file;
  return RuleBase::load(load);
}

Result<Date> date_option(const CommonOptions& options) {
  if (options.date.empty()) return Date::today();
  auto d = Date::parse(options.date);
  if (!d) return fail(fmt::format("--date: {}", d.error().message));
  return d;
}

nlohmann::json provenance_json(const RuleBase& base) {
  return {{"rule_base_hash", base.content_hash()},
          {"scenario", base.scenario_name()},
          {"program_version", KEIPATH_VERSION}};
}

std::string provenance_line(const RuleBase& base) {
  return fmt::format("rule base {} · scenario {} · keipath {}", base.content_hash(), base.scenario_name(),
                     KEIPATH_VERSION);
}

}  // namespace keipath::cli
