#include "keipath/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "keipath/text.hpp"

namespace keipath {
namespace {

// Add a unit here when a new body of law or table needs one; anything else fails to load (it is almost
// always a typo). The bounds are wide: what the unit can mean at all, not what is typical.
constexpr std::array kUnits = {
    UnitSpec{"mm", 0, 100'000, "a length in mm"},
    UnitSpec{"in", 0, 4'000, "a length in inches"},
    UnitSpec{"cc", 0, 20'000, "an engine displacement in cc"},
    UnitSpec{"kW", 0, 5'000, "a power in kW"},
    UnitSpec{"kg", 0, 100'000, "a mass in kg"},
    UnitSpec{"lb", 0, 250'000, "a mass in lb"},
    UnitSpec{"persons", 0, 100, "a number of persons"},
    UnitSpec{"bool", 0, 1, "true or false"},
    UnitSpec{"percent", 0, 1'000, "a percentage"},
    UnitSpec{"ratio", 0, 1'000, "a ratio"},
    UnitSpec{"share", 0, 1, "a share between 0 and 1"},
    UnitSpec{"USD", 0, 1e9, "an amount in US dollars"},
    UnitSpec{"USD_cents", 0, 1e11, "an amount in US cents"},
    UnitSpec{"JPY", 0, 1e12, "an amount in yen"},
    UnitSpec{"JPY_per_USD", 1, 10'000, "an exchange rate in yen per dollar"},
    UnitSpec{"mph", 0, 500, "a speed in mph"},
    UnitSpec{"km/h", 0, 1'000, "a speed in km/h"},
    UnitSpec{"miles", 0, 1e7, "a distance in miles"},
    UnitSpec{"months", 0, 1'200, "a number of months"},
    UnitSpec{"years", 0, 200, "a number of years"},
    UnitSpec{"days", 0, 100'000, "a number of days"},
    UnitSpec{"year", 1'800, 2'200, "a calendar year"},
    UnitSpec{"count", 0, 1e12, "a count"},
    UnitSpec{"kWh", 0, 1e6, "an energy in kWh"},
    UnitSpec{"km/L", 0, 1'000, "a fuel economy in km/L"},
    UnitSpec{"ft2", 0, 1e7, "an area in square feet"},
    UnitSpec{"per_mph", -100, 100, "a coefficient per mph"},
    UnitSpec{"log_odds", -100, 100, "a log-odds"},
    UnitSpec{"percent_per_year", -100, 100, "a yearly rate of change in percent"},
    UnitSpec{"elasticity", -20, 20, "an elasticity"},
    UnitSpec{"vehicle_miles", 0, 1e14, "a distance travelled by a fleet in miles"},
    UnitSpec{"gal", 0, 1e13, "a volume in US gallons"},
    UnitSpec{"mpg", 0, 1'000, "a fuel economy in miles per US gallon"},
    UnitSpec{"g_per_gal", 0, 100'000, "grams of CO2 per gallon"},
    UnitSpec{"g_per_kWh", 0, 10'000, "grams of CO2 per kWh"},
    UnitSpec{"kWh_per_mile", 0, 10, "an energy use in kWh per mile"},
    UnitSpec{"USD_per_gal", 0, 100, "a price in dollars per gallon"},
    UnitSpec{"USD_per_kWh", 0, 10, "a price in dollars per kWh"},
};

// A number as a message shows it: grouped digits when it is of a sane size, else an exponent.
std::string number_text(double v) {
  return std::fabs(v) < 1e15 ? format_quantity(v, 6) : fmt::format("{:g}", v);
}

}  // namespace

std::span<const UnitSpec> known_units() {
  return kUnits;
}

const UnitSpec* find_unit(std::string_view name) {
  const auto it =
      std::find_if(kUnits.begin(), kUnits.end(), [&](const UnitSpec& u) { return u.name == name; });
  return it == kUnits.end() ? nullptr : &*it;
}

Result<void> check_quantity(double value, std::string_view unit) {
  const UnitSpec* u = find_unit(unit);
  if (u == nullptr) return fail(fmt::format("unit '{}' is not a known unit", quote_for_message(unit)));
  if (!std::isfinite(value)) return fail(fmt::format("{} is not a number", value));
  if (value < u->min || value > u->max) {
    return fail(fmt::format("{} is out of range for {} (unit {}: {} to {})", number_text(value), u->what,
                            u->name, number_text(u->min), number_text(u->max)));
  }
  return {};
}

Result<double> parse_finite_number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // from_chars also reads "inf", "nan" and "infinity": only finite numbers are numbers here.
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    if (ec == std::errc::result_out_of_range)
      return fail(fmt::format("'{}' is too large to be a number", quote_for_message(text)));
    return fail(fmt::format("'{}' is not a number", quote_for_message(text)));
  }
  return value;
}

Result<double> parse_quantity(std::string_view text, std::string_view unit) {
  auto value = parse_finite_number(text);
  if (!value) return value;
  if (auto ok = check_quantity(*value, unit); !ok) return std::unexpected(ok.error());
  return value;
}

std::string quote_for_message(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace keipath
