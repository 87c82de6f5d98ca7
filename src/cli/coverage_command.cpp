// `keipath coverage`: what the data can answer and what it cannot, generated from the data itself (each
// catalog generation through the rules; each jurisdiction's rule for each kind). Its output on a fixed date
// is a test fixture (tests/cli/coverage_2026-12-02.txt), so a change in coverage shows in review.
#include <fmt/format.h>

#include <map>

#include "cli/commands.hpp"

namespace keipath::cli {
namespace {

std::string fields_text(const std::vector<std::string>& fields) {
  return fields.empty() ? "-" : fmt::format("{}", fmt::join(fields, " "));
}

void print_catalog(const answers::CoverageAnswer& a) {
  fmt::print("Catalog generations on {}, each judged as built in its first production month\n\n",
             a.date.str());
  fmt::print("{:<40} {:<8} {:<8} {:<46} {:<11} {:<13} {:<22} {:<5} {:<5} {:<8} {}\n", "vehicle", "built",
             "kei", "kei: settled by", "road entry", "duty", "duty: settled by", "price", "cost", "unknown",
             "states: settled by");
  std::map<std::string, int> kei_wants;
  int kei_known = 0, costed = 0, assumed = 0;
  for (const answers::CatalogCoverage& c : a.catalog) {
    if (c.kei != KeiVerdict::unknown) ++kei_known;
    if (c.cost_problem.empty()) ++costed;
    for (const std::string& f : c.kei_missing) ++kei_wants[f];
    // A verdict that rests on assumed figures names them: a maker's figure would settle it for certain.
    std::vector<std::string> settle = c.kei_missing;
    for (const Vehicle::Assumed& f : c.entry->vehicle.assumed) settle.push_back("~" + f.field);
    if (!c.entry->vehicle.assumed.empty()) ++assumed;
    fmt::print("{:<40} {:<8} {:<8} {:<46} {:<11} {:<13} {:<22} {:<5} {:<5} {:<8} {}\n",
               c.entry->vehicle.display_name(), c.built.str(), to_string(c.kei), fields_text(settle),
               c.road_entry ? c.road_entry->str() : "-", c.duty_heading.empty() ? "-" : c.duty_heading,
               fields_text(c.duty_missing), c.catalog_price ? "yes" : "no",
               c.cost_problem.empty() ? "yes" : "no", fmt::format("{}/51", c.states_unknown),
               fields_text(c.states_missing));
  }
  std::vector<std::string> wants;
  for (const auto& [field, n] : kei_wants) wants.push_back(fmt::format("{} {}", field, n));
  fmt::print("\n{} of {} generations have a kei verdict; the unknown ones lack: {}\n", kei_known,
             a.catalog.size(), wants.empty() ? "nothing" : fmt::format("{}", fmt::join(wants, ", ")));
  fmt::print(
      "{} rest on assumed figures ('~' field: no source gave it; a dimension holds the kei limit of the "
      "month "
      "the generation went on sale, a truck's top speed or curb mass the generic figure of "
      "data/models/assumed_figures.toml)\n",
      assumed);
  fmt::print("{} of {} have what a landed cost needs (given a price)\n", costed, a.catalog.size());
}

void print_jurisdictions(const answers::CoverageAnswer& a) {
  fmt::print("\nJurisdictions on {}: the rule in force for each kind (status, confidence, basis)\n\n",
             a.date.str());
  fmt::print("{:<4} {:<36} {:<36} {}\n", "st", "truck", "van", "car");
  std::map<std::string, int> mix;  // "status confidence" -> rules
  for (const answers::JurisdictionCoverage& j : a.jurisdictions) {
    std::array<std::string, 3> cells;
    for (size_t k = 0; k < 3; ++k) {
      const StateRule* r = j.rules[k];
      cells[k] = r == nullptr ? "none recorded"
                              : fmt::format("{} · {} · {}", to_string(r->status), to_string(r->confidence),
                                            to_string(r->basis));
      ++mix[r == nullptr ? "none recorded"
                         : fmt::format("{} {}", to_string(r->status), to_string(r->confidence))];
    }
    fmt::print("{:<4} {:<36} {:<36} {}\n", j.code, cells[0], cells[1], cells[2]);
  }
  std::vector<std::string> counts;
  for (const auto& [key, n] : mix) counts.push_back(fmt::format("{} {}", key, n));
  fmt::print("\nStatus and confidence over the {} jurisdiction × kind rules: {}\n",
             3 * a.jurisdictions.size(), fmt::join(counts, " · "));
}

Result<int> run_coverage(const CommonOptions& o) {
  auto base = load_rule_base(o);
  if (!base) return std::unexpected(base.error());
  auto date = date_option(o);
  if (!date) return std::unexpected(date.error());
  const answers::CoverageAnswer a = answers::answer_coverage(**base, *date);
  if (o.json) {
    fmt::print("{}\n", answers::to_json(a, **base).dump(2));
    return kExitAnswer;
  }
  print_catalog(a);
  print_jurisdictions(a);
  fmt::print("\n{}\n", provenance_line(**base));
  return kExitAnswer;
}

}  // namespace

void add_coverage_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<CommonOptions>();
  CLI::App* cmd = app.add_subcommand(
      "coverage", "What the data can answer: each catalog generation through the rules, each state's rules");
  cmd->add_option("--date", options->date, "The date to judge on, YYYY-MM-DD (default: today)");
  add_common_options(*cmd, *options, /*tabular=*/false);
  cmd->callback([options, &action] { action = [options]() { return run_coverage(*options); }; });
}

}  // namespace keipath::cli
