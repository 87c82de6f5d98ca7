// `keipath serve`: the HTTP JSON API (src/server) on the bundled rule base, until SIGTERM or SIGINT.
#include <fmt/format.h>
#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>

#include "cli/commands.hpp"
#include "keipath/scenario.hpp"
#include "server/server.hpp"

namespace keipath::cli {
namespace {

struct ServeOptions {
  CommonOptions common;
  std::string host = "127.0.0.1";
  NumberOption port{{0, 65535, false, true}};
  NumberOption threads{{1, 256, false, true}};
  NumberOption cache_mb{{0, 65'536, false, true}};
  bool quiet = false;
  std::string web_dir = KEIPATH_WEB_DIR;
  bool no_web = false;
};

Result<int> run_serve(const ServeOptions& o) {
  auto base = load_rule_base(o.common);
  if (!base) return std::unexpected(base.error());
  auto port = o.port.get();
  if (!port) return std::unexpected(port.error());
  auto threads = o.threads.get();
  if (!threads) return std::unexpected(threads.error());
  server::ServerOptions options;
  // Every bundled scenario (data/scenarios/*.toml), for requests that name one with scenario=NAME.
  std::vector<std::unique_ptr<const RuleBase>> scenario_bases;
  const std::filesystem::path data_dir = data_folder(o.common);
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(data_dir / "scenarios", ec))
    if (f.path().extension() == ".toml") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    CommonOptions with_scenario = o.common;
    with_scenario.scenario_file = f.string();
    auto loaded = load_rule_base(with_scenario);
    if (!loaded) return std::unexpected(loaded.error());
    auto scenario = Scenario::load(f);
    if (!scenario) return std::unexpected(scenario.error());
    options.scenarios[f.stem().string()] = {loaded->get(), scenario->description};
    scenario_bases.push_back(std::move(*loaded));
  }
  options.host = o.host;
  options.port = static_cast<int>(port->value_or(8080));
  options.threads = static_cast<int>(threads->value_or(8));
  auto cache_mb = o.cache_mb.get();
  if (!cache_mb) return std::unexpected(cache_mb.error());
  options.cache_bytes = static_cast<size_t>(cache_mb->value_or(64)) * 1024 * 1024;
  options.log = o.quiet ? nullptr : stderr;
  std::string web_note;
  if (!o.no_web) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(std::filesystem::path(o.web_dir) / "index.html", ec)) {
      options.web_dir = o.web_dir;
    } else if (o.web_dir != KEIPATH_WEB_DIR) {
      return fail(
          fmt::format("--web: {} has no index.html (build the page with scripts/build-web)", o.web_dir));
    } else {
      web_note = " · web page not built (scripts/build-web), API only";
    }
  }

  // SIGTERM and SIGINT are taken by one thread that stops the server: requests in flight finish first.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  server::Server http(**base, options);
  if (auto bound = http.bind(); !bound) return std::unexpected(bound.error());
  fmt::print("keipath serving on http://{}:{}/ (API: /api/openapi.json){} · {}\n", options.host, http.port(),
             web_note, provenance_line(**base));
  std::fflush(stdout);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    fmt::print(stderr, "keipath: signal {}: stopping\n", sig);
    http.stop();
  });
  http.run();
  // run() also returns if listening fails; wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return kExitAnswer;
}

}  // namespace

void add_serve_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP JSON API on the rule base");
  cmd->add_option("--host", options->host, "Address to listen on (default 127.0.0.1)");
  options->port.add(*cmd, "--port", "Port (default 8080; 0 picks a free one)");
  options->threads.add(*cmd, "--threads", "Worker threads (default 8)");
  options->cache_mb.add(*cmd, "--cache-mb",
                        "Megabytes of answers kept for questions asked again (default 64; 0: none)");
  cmd->add_flag("--quiet", options->quiet, "No request log");
  cmd->add_option("--web", options->web_dir, "Folder of the web page's built files (default: build/web)");
  cmd->add_flag("--no-web", options->no_web, "Serve the API only");
  cmd->add_option("--data", options->common.data_dir,
                  "Rule base folder (default: $KEIPATH_DATA, else the bundled data)");
  cmd->add_option("--scenario", options->common.scenario_file, "Scenario file of dated parameter overrides");
  cmd->callback([options, &action] { action = [options]() { return run_serve(*options); }; });
}

}  // namespace keipath::cli
