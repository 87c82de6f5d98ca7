// `keipath check`: the buyer's one-shot answer for a vehicle, a state and a date, in about ten plain lines
// (the answer layer's summary); --explain adds every reason with its citation, --json the same as
// /api/check.
#include <fmt/format.h>

#include "cli/commands.hpp"

namespace keipath::cli {
namespace {

struct CheckOptions {
  CommonOptions common;
  VehicleOptions vehicle;
  std::string state;
  std::string entered_as;
  std::string registered_on;
  CostInputs cost;
  bool explain = false;
};

void print_explanation(const answers::CheckAnswer& a) {
  fmt::print("\nKei class on {}:\n", a.date.str());
  for (const Reason& r : a.kei_on_date.reasons) print_reason(r);
  fmt::print("\nUS entry pathways on {}:\n", a.date.str());
  for (const Pathway& p : a.entry.pathways) {
    fmt::print("  {} — {}{}\n", p.name, to_string(p.status),
               p.earliest ? fmt::format(", from {}", p.earliest->str()) : "");
    for (const Reason& r : p.reasons) print_reason(r);
  }
  const auto print_state = [](const StateAnswer& s) {
    fmt::print("\n{} ({}) on {}:\n", s.name, s.code, s.date.str());
    for (const Reason& r : s.reasons) print_reason(r);
    if (s.rule != nullptr) {
      fmt::print("  rule: {} · {} · confidence {} · checked {}\n", s.rule->ref, to_string(s.rule->basis),
                 to_string(s.rule->confidence), s.rule->checked.str());
      for (const std::string& src : s.rule->sources) fmt::print("  source: {}\n", src);
    }
  };
  print_state(a.state.answers.front());
  if (a.state_at_entry) print_state(a.state_at_entry->answers.front());
  if (a.cost) {
    const LandedCost& c = a.cost->landed;
    fmt::print("\nLanded cost, entered {}:\n", c.entry.str());
    for (const CostLine& l : c.lines) fmt::print("  {:<18} {:>12}  {}\n", l.id, l.amount.str(), l.basis);
    for (const DutyLine& l : c.duties.lines) print_reason(l.reason);
    for (const Reason& r : c.reasons) print_reason(r);
  }
}

Result<int> run_check(const CheckOptions& o) {
  auto base = load_rule_base(o.common);
  if (!base) return std::unexpected(base.error());
  answers::CheckRequest r;
  auto date = date_option(o.common);
  if (!date) return std::unexpected(date.error());
  r.date = *date;
  r.vehicle = o.vehicle;
  r.state = o.state;
  r.entered_as = o.entered_as;
  auto registered = registered_on_option(o.registered_on);
  if (!registered) return std::unexpected(registered.error());
  r.registered_on = *registered;
  if (auto filled = fill_cost_request(o.cost, r.cost); !filled) return std::unexpected(filled.error());
  auto answered = answers::answer_check(**base, r);
  if (!answered) {
    return fail(name_options(
        cost_option_names(answered.error().message, o.vehicle),
        {{"state", "--state"}, {"entered_as", "--entered-as"}, {"registered_on", "--registered-on"}}));
  }
  if (o.common.json) {
    fmt::print("{}\n", answers::to_json(*answered, **base).dump(2));
    return kExitAnswer;
  }
  for (const std::string& line : answered->summary) fmt::print("{}\n", line);
  if (o.explain) {
    print_explanation(*answered);
  } else {
    fmt::print("Why, with citations: add --explain.\n");
  }
  fmt::print("{}\n", provenance_line(**base));
  return kExitAnswer;
}

}  // namespace

void add_check_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "May I import this vehicle, register and drive it in my state, and what will it cost? One answer.");
  add_vehicle_options(*cmd, options->vehicle);
  cmd->add_option("--state", options->state, "The state, e.g. OH (AL ... WY, DC)")->required();
  cmd->add_option("--date", options->common.date, "Answer under the law of this date (default: today)");
  add_entry_options(*cmd, options->entered_as, options->registered_on);
  add_cost_inputs(*cmd, options->cost, /*price_required=*/false);
  cmd->add_flag("--explain", options->explain, "Every reason, with its citation");
  add_common_options(*cmd, options->common, /*tabular=*/false);
  cmd->callback([options, &action] { action = [options]() { return run_check(*options); }; });
}

}  // namespace keipath::cli
