// keipath: answers about Japanese kei vehicles coming to the United States. See README.md.
#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace keipath::cli;
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitAnswer : kExitBadInput;
  }
  auto result = action();
  if (!result) {
    fmt::print(stderr, "keipath: {}\n", result.error().message);
    return kExitBadInput;
  }
  return *result;
}
