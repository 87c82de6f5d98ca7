// keipath: answers about Japanese kei vehicles coming to the United States. See README.md.
#include <fmt/format.h>

#include <cstdio>
#include <string_view>

#include "cli/commands.hpp"

namespace {

// Whether the command line asks for JSON, so an error is JSON too (on stderr, exit 2 as ever).
bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--json") return true;
  return false;
}

// An option given an empty value ("--date ''", an unset shell variable) is an error, never "not given".
void reject_empty_values(CLI::App& app) {
  const CLI::Validator non_empty(
      [](std::string& value) -> std::string {
        return value.find_first_not_of(" \t") == std::string::npos ? "empty value" : "";
      },
      "");
  for (CLI::Option* option : app.get_options()) {
    if (option->get_type_size() != 0) option->check(non_empty);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) reject_empty_values(*sub);
}

int report(const std::string& message, bool json) {
  using namespace keipath::cli;
  if (json) {
    fmt::print(stderr, "{}\n", keipath::answers::error_json(message).dump());
  } else {
    fmt::print(stderr, "keipath: {}\n", message);
  }
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace keipath::cli;
  const bool json = wants_json(argc, argv);
  CLI::App app{"keipath: Japanese kei vehicles and US law — every answer with its reasons and citations"};
  app.set_version_flag("--version", std::string(KEIPATH_VERSION));
  app.require_subcommand(1);
  Action action;
  add_kei_command(app, action);
  add_catalog_command(app, action);
  add_import_command(app, action);
  add_cost_command(app, action);
  add_states_command(app, action);
  add_safety_command(app, action);
  add_demo_command(app, action);
  add_serve_command(app, action);
  add_check_command(app, action);
  add_batch_command(app, action);
  add_coverage_command(app, action);
  add_simulate_command(app, action);
  reject_empty_values(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e) == 0 ? kExitAnswer : kExitBadInput;
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e) == 0 ? kExitAnswer : kExitBadInput;
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e) == 0 ? kExitAnswer : kExitBadInput;
  } catch (const CLI::ParseError& e) {
    // CLI11's own usage errors get the same prefix (or JSON) as every other error.
    return report(fmt::format("{} (keipath COMMAND -h lists the options)", e.what()), json);
  }
  auto result = action();
  if (!result) return report(result.error().message, json);
  return *result;
}
