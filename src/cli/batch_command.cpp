// `keipath batch`: a CSV of vehicles in, one answer row per input row out, every row written or rejected.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/mpi_batch.hpp"
#include "keipath/batch.hpp"
#include "keipath/text.hpp"

namespace keipath::cli {
namespace {

struct BatchOptions {
  CommonOptions common;
  std::string input = "-";
  std::string out;
  std::string rejects;
  std::string ask = "all";
  std::string state;
  std::string entered_as;
  std::string freight = "roro";
  std::string port = "USLAX";
  NumberOption threads{answers::kThreads};
  NumberOption chunk_mb{NumberSpec{1, 1024, false, true}};
  bool no_progress = false;
};

// trucks.csv -> trucks.rejects.csv, beside it.
std::string rejects_beside(const std::string& path) {
  std::filesystem::path p(path);
  const std::string stem = p.extension() == ".csv" ? p.stem().string() : p.filename().string();
  return (p.parent_path() / (stem + ".rejects.csv")).string();
}

std::string columns_help() {
  std::string out =
      "Input columns (a header row names them; case, spaces and brackets do not matter, \"Length (mm)\" is "
      "length_mm; other columns pass through):\n";
  for (const auto& [what, names] : batch::accepted_columns())
    out += fmt::format("  {:<16} {}\n", what, fmt::join(names, ", "));
  out +=
      "A row names its vehicle by model (with chassis or built where generations share a name), chassis "
      "alone, "
      "frame number (DA16T-123456), or measurements; cells override the catalog's values. Prices may be "
      "written \"350,000\"; UTF-8 byte-order mark, CRLF and quoted cells are read.";
  return out;
}

// A progress line on a terminal, redrawn at most four times a second.
class Progress {
 public:
  explicit Progress(std::optional<int64_t> total) : total_(total), start_(std::chrono::steady_clock::now()) {}
  void update(int64_t bytes, int64_t rows) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const std::string rate =
        seconds > 0 ? format_quantity(static_cast<double>(rows) / seconds / 1e6, 1) : "-";
    if (total_ && *total_ > 0) {
      fmt::print(stderr, "\rkeipath batch: {:>3}% · {} rows · {} M rows/s   ", bytes * 100 / *total_,
                 format_quantity(static_cast<double>(rows)), rate);
    } else {
      fmt::print(stderr, "\rkeipath batch: {} rows · {} M rows/s   ",
                 format_quantity(static_cast<double>(rows)), rate);
    }
    drawn_ = true;
  }
  void finish() {
    if (drawn_) fmt::print(stderr, "\r\033[K");
  }

 private:
  std::optional<int64_t> total_;
  std::chrono::steady_clock::time_point start_, last_{};
  bool drawn_ = false;
};

Result<int> run_batch(const BatchOptions& o) {
  auto base = load_rule_base(o.common);
  if (!base) return std::unexpected(base.error());
  batch::Options options;
  auto date = date_option(o.common);
  if (!date) return std::unexpected(date.error());
  options.date = *date;
  options.today = Date::today();
  auto asks = batch::parse_asks(o.ask);
  if (!asks) return fail(name_options(asks.error().message, {{"ask", "--ask"}}));
  options.asks = *asks;
  options.state = o.state;
  options.entered_as = o.entered_as;
  options.freight = o.freight;
  options.port = o.port;
  batch::RunOptions run;
  auto threads = o.threads.get();
  if (!threads) return std::unexpected(threads.error());
  if (*threads) run.threads = static_cast<int>(**threads);
  auto chunk = o.chunk_mb.get();
  if (!chunk) return std::unexpected(chunk.error());
  if (*chunk) run.chunk_bytes = static_cast<size_t>(**chunk) << 20;

  if (mpi::launched()) return mpi::run_batch(**base, options, run, o.input, o.out, o.rejects, !o.no_progress);

  const bool from_stdin = is_stdio(o.input);
  const int in_fd = from_stdin ? STDIN_FILENO : ::open(o.input.c_str(), O_RDONLY | O_CLOEXEC);
  if (in_fd < 0) return fail(fmt::format("{}: cannot open: {}", o.input, std::strerror(errno)));
  batch::Source in(in_fd, from_stdin ? "stdin" : o.input);
  std::string carry;
  auto header = batch::read_header(in, carry);
  if (!header) return std::unexpected(header.error());
  auto engine = batch::Engine::make(**base, options, *header, in.label());
  if (!engine) {
    return fail(name_options(engine.error().message, {{"state", "--state"},
                                                      {"entered_as", "--entered-as"},
                                                      {"freight", "--freight"},
                                                      {"port", "--port"},
                                                      {"ask", "--ask"}}));
  }
  const bool to_stdout = is_stdio(o.out);
  const std::string out_label = to_stdout ? "stdout" : o.out;
  const std::string rejects_file = rejects_path(o.input, o.out, o.rejects);
  if (!to_stdout && std::filesystem::exists(o.out) && std::filesystem::exists(o.input) &&
      std::filesystem::equivalent(o.out, o.input))
    return fail(fmt::format("--out: {} is the input file", o.out));
  const int out_fd =
      to_stdout ? STDOUT_FILENO : ::open(o.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0) return fail(fmt::format("--out: {}: cannot open: {}", o.out, std::strerror(errno)));
  const int rejects_fd = ::open(rejects_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (rejects_fd < 0)
    return fail(fmt::format("--rejects: {}: cannot open: {}", rejects_file, std::strerror(errno)));
  if (auto w = batch::write_all(out_fd, engine->output_header(), out_label); !w)
    return std::unexpected(w.error());
  if (auto w = batch::write_all(rejects_fd, batch::rejects_header(), rejects_file); !w)
    return std::unexpected(w.error());

  std::optional<Progress> progress;
  if (!o.no_progress && isatty(STDERR_FILENO)) {
    progress.emplace(in.size());
    run.progress = [&](int64_t bytes, int64_t rows) { progress->update(bytes, rows); };
  }
  const int64_t first_line = 2 + std::count(header->begin(), header->end(), '\n');
  auto counts =
      batch::run(*engine, in, std::move(carry), first_line, out_fd, out_label, rejects_fd, rejects_file, run);
  if (progress) progress->finish();
  if (!to_stdout && ::close(out_fd) != 0)
    return fail(fmt::format("--out: {}: cannot write: {}", o.out, std::strerror(errno)));
  ::close(rejects_fd);
  if (!from_stdin) ::close(in_fd);
  if (!counts) return std::unexpected(counts.error());
  if (counts->rejected == 0) std::filesystem::remove(rejects_file);
  fmt::print(stderr, "{}\n", count_line(*counts, rejects_file, 1));
  return counts->rejected > 0 ? kExitRowsRejected : kExitAnswer;
}

}  // namespace

std::string rejects_path(const std::string& input, const std::string& out, const std::string& rejects) {
  if (!rejects.empty()) return rejects;
  if (!is_stdio(out)) return rejects_beside(out);
  if (!is_stdio(input) && std::filesystem::is_regular_file(input)) return rejects_beside(input);
  return "batch.rejects.csv";
}

std::string count_line(const batch::Counts& counts, const std::string& rejects_path, int ranks) {
  return fmt::format("keipath batch: {} rows read, {} written, {} rejected{}{}{}", counts.read,
                     counts.written, counts.rejected,
                     counts.rejected > 0 ? fmt::format(" (see {})", rejects_path) : "",
                     counts.blank > 0 ? fmt::format("; {} blank lines skipped", counts.blank) : "",
                     ranks > 1 ? fmt::format(" · {} MPI ranks", ranks) : "");
}

void add_batch_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<BatchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "batch",
      "Answer every row of a CSV of vehicles: one output row per input row, rejects with their reasons");
  cmd->footer(columns_help());
  cmd->add_option("input", options->input, "The CSV to read (- or none: standard input)");
  cmd->add_option("--out,-o", options->out, "Where to write the answers (default: standard output)");
  cmd->add_option(
      "--rejects", options->rejects,
      "Where to write the rows that cannot be answered (default: beside the output, NAME.rejects.csv; "
      "removed when there are none)");
  cmd->add_option("--ask", options->ask,
                  "The questions, comma-separated: kei, entry, duty, landed, states, or all (default: all)");
  cmd->add_option("--date", options->common.date,
                  "Ask about this date, YYYY-MM-DD, unless a row has a date column (default: today)");
  cmd->add_option("--state", options->state,
                  "Every row's state, unless a row has a state column (default: all 51 as columns)");
  cmd->add_option(
      "--entered-as", options->entered_as,
      "How the vehicles entered the US: road, off_road, lsv or small_class (default: road if 25 years "
      "old, else off_road)");
  cmd->add_option("--freight", options->freight,
                  "Freight for the landed cost: roro or container (default roro)");
  cmd->add_option("--port", options->port, "US port of entry for the landed cost (default USLAX)");
  options->threads.add(*cmd, "--threads", "Worker threads (default: every core)");
  options->chunk_mb.add(*cmd, "--chunk-mb",
                        "Rows are handed to workers in chunks of about this many MB (default 1)");
  cmd->add_flag("--no-progress", options->no_progress, "No progress line, even on a terminal");
  cmd->add_option("--data", options->common.data_dir,
                  "Rule base folder (default: $KEIPATH_DATA, else the bundled data)");
  cmd->add_option("--scenario", options->common.scenario_file, "Scenario file of dated parameter overrides");
  cmd->callback([options, &action] { action = [options]() -> Result<int> { return run_batch(*options); }; });
}

}  // namespace keipath::cli
