// `keipath import`: by which federal pathway may a vehicle enter the US on a date, from which day, with which
// forms, and why.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "keipath/csv.hpp"
#include "keipath/text.hpp"

namespace keipath::cli {
namespace {

struct ImportOptions {
  CommonOptions common;
  VehicleOptions vehicle;
  std::string eligible_in;  // YYYY-MM: the catalog generations that become importable that month
};

Result<int> run_eligible_in(const ImportOptions& o) {
  if (!o.vehicle.model.empty() || !o.vehicle.chassis.empty() || !o.vehicle.frame.empty() ||
      !o.vehicle.fields.empty())
    return fail("--eligible-in: it lists the whole catalog; give no vehicle with it");
  if (o.common.csv) return fail("--eligible-in: --csv is not offered (use --json)");
  auto month = YearMonth::parse(o.eligible_in);
  if (!month) return fail(fmt::format("--eligible-in: {}", month.error().message));
  auto base = load_rule_base(o.common);
  if (!base) return std::unexpected(base.error());
  const answers::EligibleInAnswer a = answers::answer_eligible_in(**base, *month, Date::today());
  if (o.common.json) {
    fmt::print("{}\n", answers::to_json(a, **base).dump(2));
    return kExitAnswer;
  }
  fmt::print("Catalog generations whose build months first may enter the US for road use in {}\n\n",
             month->str());
  if (a.generations.empty()) fmt::print("  none in the catalog\n");
  for (const answers::EligibleGeneration& g : a.generations) {
    const std::string built = g.first_built == g.last_built
                                  ? g.first_built.str()
                                  : fmt::format("{} to {}", g.first_built.str(), g.last_built.str());
    const std::string days = g.first_day == g.last_day
                                 ? g.first_day.str()
                                 : fmt::format("{} to {}", g.first_day.str(), g.last_day.str());
    fmt::print("  {:<40} built {:<20} from {} ({})\n", g.entry->vehicle.display_name(), built, days,
               g.pathway);
  }
  fmt::print("\n{} generation(s). `keipath import --model M --chassis C --built YYYY-MM` explains one.\n",
             a.generations.size());
  fmt::print("{}\n", provenance_line(**base));
  return kExitAnswer;
}

void print_production(const answers::ProductionEligibility& p, Date date) {
  const std::string span = fmt::format("{} to {}", p.first_built.str(), p.last_built.str());
  if (p.all_eligible) {
    fmt::print(
        "Over its production ({}): eligible whatever the month: every build month may enter for road use "
        "on {}\n\n",
        span, date.str());
    return;
  }
  auto day = [](const std::optional<Date>& d) { return d ? d->str() : std::string("no road pathway"); };
  fmt::print(
      "Over its production ({}): road entry from {} (built {}) to {} (built {}){}; give --built for one "
      "vehicle\n\n",
      span, day(p.first_eligible), p.first_built.str(), day(p.last_eligible), p.last_built.str(),
      p.some_never ? "; some build months have no road pathway" : "");
}

void print_pathway(const Pathway& p) {
  fmt::print("{:<20} {:<14} {:<16} {}\n", p.id, to_string(p.status),
             p.earliest ? "from " + p.earliest->str() : "", p.name);
  for (const Reason& r : p.reasons) {
    fmt::print("    {:<7} {}\n", to_string(r.outcome), r.text);
    if (r.citation) {
      const Citation& c = *r.citation;
      const std::string value = !c.value           ? "none"
                                : c.unit == "bool" ? (*c.value != 0 ? "true" : "false")
                                : c.unit == "year" ? fmt::format("{:.0f}", *c.value)
                                                   : format_quantity(*c.value) + " " + c.unit;
      fmt::print("            {} = {} since {} · confidence {} · checked {}\n", c.parameter, value,
                 c.in_force_since.str(), to_string(c.confidence), c.checked.str());
      fmt::print("            ref: {}\n", c.ref);
    }
  }
  for (const std::string& c : p.conditions) fmt::print("    condition: {}\n", c);
  for (const PathwayForm& f : p.forms) fmt::print("    form: {} — {} ({})\n", f.form, f.what, f.ref);
  if (!p.missing_fields.empty()) {
    std::vector<std::string> options;
    for (const std::string& f : p.missing_fields) options.push_back(vehicle_option_name(f) + " VALUE");
    fmt::print("    {}, give: {}\n",
               p.status == PathwayStatus::unknown ? "to settle it" : "to check its figures against the class",
               fmt::join(options, " "));
  }
}

Result<int> run_import(const ImportOptions& o) {
  if (o.common.json && o.common.csv) return fail("--json and --csv: choose one");
  if (!o.eligible_in.empty()) return run_eligible_in(o);
  auto base = load_rule_base(o.common);
  if (!base) return std::unexpected(base.error());
  auto date = date_option(o.common);
  if (!date) return std::unexpected(date.error());
  auto chosen = vehicle_from_options(o.vehicle, **base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  const Vehicle& v = chosen->vehicle;
  const answers::ImportAnswer answer = answers::answer_import(**base, *chosen, *date);
  const ImportDetermination& d = answer.determination;
  if (o.common.json) {
    fmt::print("{}\n", answers::to_json(answer, **base).dump(2));
    return kExitAnswer;
  }
  if (o.common.csv) {
    fmt::print("pathway,status,earliest,road_use,name,conditions,forms,missing_fields\n");
    for (const Pathway& p : d.pathways) {
      std::vector<std::string> forms;
      for (const PathwayForm& f : p.forms) forms.push_back(f.form);
      fmt::print("{},{},{},{},{},{},{},{}\n", p.id, to_string(p.status), p.earliest ? p.earliest->str() : "",
                 p.road_use ? "yes" : "no", csv_escape(p.name),
                 csv_escape(fmt::format("{}", fmt::join(p.conditions, "; "))),
                 csv_escape(fmt::format("{}", fmt::join(forms, "; "))),
                 csv_escape(fmt::format("{}", fmt::join(p.missing_fields, " "))));
    }
    return kExitAnswer;
  }
  fmt::print("{} ({}{}): US entry as of {}\n", v.display_name(),
             v.body ? to_string(*v.body) : "body not given", v.built ? ", built " + v.built->str() : "",
             d.date.str());
  print_assumed(v);
  if (d.earliest_road_entry) {
    fmt::print("Earliest entry for road use: {} by {}{}\n\n", d.earliest_road_entry->str(),
               d.earliest_road_pathway, *d.earliest_road_entry <= d.date ? " (open now)" : "");
  } else {
    fmt::print("Earliest entry for road use: none known (see each pathway)\n\n");
  }
  if (answer.production) print_production(*answer.production, d.date);
  for (const Pathway& p : d.pathways) {
    print_pathway(p);
    fmt::print("\n");
  }
  fmt::print("{}\n", provenance_line(**base));
  return kExitAnswer;
}

}  // namespace

void add_import_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import", "By which federal pathway may a vehicle enter the US, from which day, with which forms?");
  add_vehicle_options(*cmd, options->vehicle);
  cmd->add_option("--date", options->common.date, "Entry date, YYYY-MM-DD (default: today)");
  cmd->add_option(
      "--eligible-in", options->eligible_in,
      "YYYY-MM: list the catalog generations and build months that first may enter for road use that "
      "month (no vehicle options)");
  add_common_options(*cmd, options->common, /*tabular=*/true);
  cmd->callback([options, &action] { action = [options]() { return run_import(*options); }; });
}

}  // namespace keipath::cli
