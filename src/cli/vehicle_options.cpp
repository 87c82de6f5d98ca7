// The vehicle options shared by every subcommand that asks about one vehicle.
#include <fmt/format.h>

#include <algorithm>

#include "cli/commands.hpp"

namespace keipath::cli {

std::string vehicle_option_name(std::string_view field) {
  std::string name(field);
  std::replace(name.begin(), name.end(), '_', '-');
  return "--" + name;
}

void add_vehicle_options(CLI::App& cmd, VehicleOptions& options) {
  cmd.add_option("--model,--vehicle", options.model,
                 "Catalog model, e.g. \"Suzuki Carry\" (see `keipath catalog`)");
  cmd.add_option("--chassis", options.chassis, "Catalog chassis code, e.g. DA16T");
  for (std::string_view field : vehicle_field_names()) {
    if (field == "model" || field == "chassis") continue;  // --model and --chassis pick a catalog row
    const std::string f(field);
    VehicleOptions* target = &options;
    CLI::Option* opt =
        cmd.add_option_function<std::string>(
               vehicle_option_name(field), [target, f](const std::string& text) { target->fields[f] = text; },
               fmt::format("Vehicle {} (replaces the catalog's value)", f))
            ->group("Vehicle fields");
    // The range shown is the one validate_vehicle applies (declared once, in the vehicle field table).
    if (auto range = vehicle_field_range(field))
      opt->type_name(NumberOption::type_name(NumberSpec{range->min, range->max, false, range->whole}));
  }
}

namespace {

// vehicle_from_options, with errors naming vehicle fields ("vehicle.length_mm: ...").
Result<ChosenVehicle> vehicle_from_options_unnamed(const VehicleOptions& o, const RuleBase& base,
                                                   Date today) {
  ChosenVehicle chosen;
  Vehicle& v = chosen.vehicle;
  if (!o.model.empty()) {
    std::optional<YearMonth> built;
    if (auto it = o.fields.find("built"); it != o.fields.end()) {
      auto ym = YearMonth::parse(it->second);
      if (!ym) return fail(fmt::format("vehicle.built: {}", ym.error().message));
      built = *ym;
    }
    auto found = base.catalog().lookup(o.model, o.chassis, built);
    if (!found) return std::unexpected(found.error());
    chosen.entry = *found;
    v = chosen.entry->vehicle;
  } else if (!o.chassis.empty()) {
    return fail("--chassis needs --model (the catalog is searched by model, then chassis)");
  } else if (o.fields.empty()) {
    return fail(
        "say which vehicle: --model NAME [--chassis CODE], or its measurements (--body, --length-mm, ...)");
  }
  for (const auto& [field, text] : o.fields) {
    // An empty option is a mistake (an unset shell variable, say), not "unknown".
    if (text.find_first_not_of(" \t") == std::string::npos)
      return fail(fmt::format("vehicle.{}: empty value", field));
    if (auto set = set_vehicle_field(v, field, text); !set) return std::unexpected(set.error());
  }
  if (auto valid = validate_vehicle(v, today); !valid) return std::unexpected(valid.error());
  if (chosen.entry != nullptr && v.built && !chosen.entry->produced_in(*v.built)) {
    return fail(fmt::format("vehicle.built: {} is outside the production of {} ({})", v.built->str(),
                            v.display_name(), chosen.entry->production_span()));
  }
  return chosen;
}

}  // namespace

Result<ChosenVehicle> vehicle_from_options(const VehicleOptions& o, const RuleBase& base, Date today) {
  auto chosen = vehicle_from_options_unnamed(o, base, today);
  if (!chosen) return fail(name_vehicle_options(chosen.error().message, o));
  return chosen;
}

}  // namespace keipath::cli
