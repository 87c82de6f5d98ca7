// `keipath kei`: is a vehicle a kei vehicle under Japanese law on a date, and why.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "keipath/text.hpp"

namespace keipath::cli {
namespace {

struct KeiOptions {
  CommonOptions common;
  VehicleOptions vehicle;
};

std::string_view outcome_mark(Outcome o) {
  switch (o) {
    case Outcome::pass:
      return "pass";
    case Outcome::fail:
      return "FAIL";
    case Outcome::unknown:
      return "unknown";
    case Outcome::not_applicable:
      return "n/a";
    case Outcome::note:
      return "note";
  }
  return "";
}

void print_citation(const Citation& c) {
  const std::string value = c.value ? format_quantity(*c.value) : std::string("abolished");
  fmt::print("          {} = {}{} since {} · confidence {} · checked {}{}\n", c.parameter,
             c.unit == "bool" ? (c.value && *c.value != 0 ? "true" : "false") : value,
             c.unit == "bool" || !c.value ? "" : " " + c.unit, c.in_force_since.str(),
             to_string(c.confidence), c.checked.str(),
             c.origin.empty() ? "" : fmt::format(" · set by scenario {}", c.origin));
  fmt::print("          ref: {}\n", c.ref);
  if (!c.note.empty()) fmt::print("          note: {}\n", c.note);
}

}  // namespace

void print_reason(const Reason& r) {
  fmt::print("  {:<7} {}\n", outcome_mark(r.outcome), r.text);
  if (r.citation) print_citation(*r.citation);
}

void print_assumed(const Vehicle& v) {
  for (const Vehicle::Assumed& a : v.assumed)
    fmt::print("Assumed {} = {}: {}; give {} to replace it\n", a.field, vehicle_field_text(v, a.field), a.why,
               vehicle_option_name(a.field));
}

void print_kei_text(const Vehicle& v, const KeiDetermination& d) {
  fmt::print("{} ({}), judged under Japanese law as it stood on {}\n", v.display_name(),
             v.body ? to_string(*v.body) : "?", d.date.str());
  print_assumed(v);
  fmt::print("Verdict: {}\n", kei_summary(d));
  if (!d.missing_fields.empty()) {
    std::vector<std::string> options;
    for (const std::string& f : d.missing_fields) options.push_back(vehicle_option_name(f) + " VALUE");
    fmt::print("To settle it, give: {}\n", fmt::join(options, " "));
  }
  fmt::print("\n");
  for (const Reason& r : d.reasons) print_reason(r);
}

void add_kei_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<KeiOptions>();
  CLI::App* cmd = app.add_subcommand(
      "kei", "Is a vehicle a kei vehicle under Japanese law on a date? Which limit fails?");
  add_vehicle_options(*cmd, options->vehicle);
  cmd->add_option("--date", options->common.date,
                  "Judge under the law of this date, YYYY-MM-DD (default: today)");
  add_common_options(*cmd, options->common, /*tabular=*/false);
  cmd->callback([options, &action] {
    action = [options]() -> Result<int> {
      auto base = load_rule_base(options->common);
      if (!base) return std::unexpected(base.error());
      auto date = date_option(options->common);
      if (!date) return std::unexpected(date.error());
      auto vehicle = vehicle_from_options(options->vehicle, **base, Date::today());
      if (!vehicle) return std::unexpected(vehicle.error());
      const answers::KeiAnswer a{*vehicle, (*base)->kei_class().explain(vehicle->vehicle, *date)};
      if (options->common.json) {
        fmt::print("{}\n", answers::to_json(a, **base).dump(2));
      } else {
        print_kei_text(vehicle->vehicle, a.determination);
        fmt::print("\n{}\n", provenance_line(**base));
      }
      return kExitAnswer;
    };
  });
}

}  // namespace keipath::cli
