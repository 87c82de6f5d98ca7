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

Result<ChosenVehicle> vehicle_from_options(const VehicleOptions& o, const RuleBase& base, Date today) {
  auto chosen = answers::choose_vehicle(o, base, today);
  if (!chosen) {
    return fail(name_options(
        name_vehicle_options(chosen.error().message, o),
        {{"vehicle.model", "--model"}, {"vehicle.chassis", "--chassis"}, {"vehicle", "keipath"}}));
  }
  return chosen;
}

}  // namespace keipath::cli
