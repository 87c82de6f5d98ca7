#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "cli/commands.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath::cli {

void add_common_options(CLI::App& command, CommonOptions& options, bool tabular) {
  command.add_option("--data", options.data_dir,
                     "Rule base folder (default: $KEIPATH_DATA, else the bundled data)");
  command.add_option("--scenario", options.scenario_file, "Scenario file of dated parameter overrides");
  command.add_flag("--json", options.json, "Print JSON");
  if (tabular) command.add_flag("--csv", options.csv, "Print CSV");
}

std::filesystem::path data_folder(const CommonOptions& options) {
  if (!options.data_dir.empty()) return options.data_dir;
  if (const char* env = std::getenv("KEIPATH_DATA"); env != nullptr && *env != '\0') return env;
  return KEIPATH_DATA_DIR;
}

Result<std::unique_ptr<const RuleBase>> load_rule_base(const CommonOptions& options) {
  RuleBaseOptions load;
  load.data_dir = data_folder(options);
  if (!options.scenario_file.empty()) load.scenario_file = options.scenario_file;
  return RuleBase::load(load);
}

Result<uint64_t> seed_option(const std::optional<std::string>& text) {
  if (!text) return uint64_t{1};
  return answers::parse_seed(*text, "--seed");
}

Result<Date> date_option(const CommonOptions& options) {
  if (options.date.empty()) return Date::today();
  auto d = Date::parse(options.date);
  if (!d) return fail(fmt::format("--date: {}", d.error().message));
  return d;
}

void add_entry_options(CLI::App& cmd, std::string& entered_as, std::string& registered_on) {
  cmd.add_option("--entered-as", entered_as,
                 "How it entered the US: road, off_road, lsv or small_class (a scenario's class; default: "
                 "road if 25 years old, else off_road)");
  cmd.add_option("--registered-on", registered_on,
                 "When it was first registered in the state, YYYY-MM-DD (for grandfather clauses)");
}

Result<std::optional<Date>> registered_on_option(const std::string& text) {
  if (text.empty()) return std::optional<Date>{};
  auto d = Date::parse(text);
  if (!d) return fail(fmt::format("--registered-on: {}", d.error().message));
  return std::optional<Date>(*d);
}

std::string provenance_line(const RuleBase& base) {
  return fmt::format("rule base {} · scenario {} · keipath {}", base.content_hash(), base.scenario_name(),
                     KEIPATH_VERSION);
}

}  // namespace keipath::cli

namespace keipath::cli {

std::string NumberOption::type_name(const NumberSpec& spec) {
  // Plain digits (no grouping commas), so the range reads as one token: "INT:[1000,13000]".
  return fmt::format("{}:{}{},{}]", spec.whole ? "INT" : "NUMBER", spec.min_exclusive ? "(" : "[", spec.min,
                     spec.max);
}

CLI::Option* NumberOption::add(CLI::App& cmd, std::string name, std::string help) {
  name_ = name.substr(0, name.find(','));
  return cmd
      .add_option_function<std::string>(
          std::move(name), [this](const std::string& text) { text_ = text; }, std::move(help))
      ->type_name(type_name(spec_));
}

Result<std::optional<double>> NumberOption::get() const {
  if (!text_) return std::optional<double>{};
  if (text_->find_first_not_of(" \t") == std::string::npos)
    return fail(fmt::format("{}: empty value", name_));
  auto v = check_number(*text_, spec_);
  if (!v) return fail(fmt::format("{}: {}", name_, v.error().message));
  return std::optional<double>(*v);
}

std::string name_options(std::string message,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  std::string out;
  size_t start = 0;
  while (start <= message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    std::string line = message.substr(start, end - start);
    for (const auto& [field, option] : fields) {
      if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':') {
        line = std::string(option) + line.substr(field.size());
        break;
      }
    }
    if (!out.empty() || start > 0) out += '\n';
    out += line;
    start = end + 1;
  }
  return out;
}

std::string name_vehicle_options(std::string message, const VehicleOptions& o) {
  std::vector<std::pair<std::string, std::string>> owned;
  for (const auto& [field, text] : o.fields)
    owned.emplace_back("vehicle." + field, vehicle_option_name(field));
  std::string out = std::move(message);
  for (const auto& [field, option] : owned) out = name_options(std::move(out), {{field, option}});
  return out;
}

}  // namespace keipath::cli
