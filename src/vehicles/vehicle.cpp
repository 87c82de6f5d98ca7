#include "keipath/vehicle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>

#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath {
namespace {

template <class E, size_t N>
Result<E> parse_enum(std::string_view field, std::string_view text, const std::array<E, N>& values) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::vector<std::string_view> names;
  for (E e : values) {
    if (to_string(e) == lower) return e;
    names.push_back(to_string(e));
  }
  return fail(fmt::format("vehicle.{}: '{}' is not one of {}", field, quote_for_message(text),
                          fmt::join(names, ", ")));
}

constexpr std::array kBodies = {Body::truck, Body::van, Body::car, Body::suv, Body::sports};
constexpr std::array kEngines = {EngineKind::four_stroke, EngineKind::two_stroke, EngineKind::electric};
constexpr std::array kPowertrains = {Powertrain::ice, Powertrain::hybrid, Powertrain::battery_electric};
constexpr std::array kSteering = {SteeringSide::right, SteeringSide::left};

Result<int> parse_int(std::string_view field, std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return fail(fmt::format("vehicle.{}: '{}' is not a whole number", field, quote_for_message(text)));
  }
  return value;
}

Result<double> parse_number(std::string_view field, std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return fail(fmt::format("vehicle.{}: '{}' is not a number", field, quote_for_message(text)));
  }
  return value;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

template <class T>
std::string opt_text(const std::optional<T>& v) {
  if (!v) return "";
  if constexpr (std::is_same_v<T, std::string>) {
    return *v;
  } else if constexpr (std::is_arithmetic_v<T>) {
    return fmt::format("{}", *v);
  } else if constexpr (std::is_same_v<T, YearMonth>) {
    return v->str();
  } else {
    return std::string(to_string(*v));
  }
}

struct FieldAccess {
  std::string_view name;
  std::function<Result<void>(Vehicle&, std::string_view)> set;
  std::function<std::string(const Vehicle&)> get;
  bool numeric = false;
  // For a numeric field: its value as a number, and the range a real vehicle's value lies in.
  std::function<std::optional<double>(const Vehicle&)> number;
  std::optional<VehicleFieldRange> range;
};

template <class T, class Parse>
FieldAccess optional_field(std::string_view name, std::optional<T> Vehicle::*member, Parse parse) {
  FieldAccess f{name,
                [name, member, parse](Vehicle& v, std::string_view text) -> Result<void> {
                  auto parsed = parse(name, text);
                  if (!parsed) return std::unexpected(parsed.error());
                  v.*member = *parsed;
                  return {};
                },
                [member](const Vehicle& v) { return opt_text(v.*member); },
                std::is_arithmetic_v<T>,
                {},
                {}};
  if constexpr (std::is_arithmetic_v<T>) {
    f.number = [member](const Vehicle& v) -> std::optional<double> {
      if (!(v.*member)) return std::nullopt;
      return static_cast<double>(*(v.*member));
    };
  }
  return f;
}

// A numeric field with the range a real vehicle's value lies in (checked by validate_vehicle).
FieldAccess ranged(FieldAccess f, double min, double max, std::string_view what, bool whole = true) {
  f.range = VehicleFieldRange{min, max, what, whole};
  return f;
}

FieldAccess string_field(std::string_view name, std::string Vehicle::*member) {
  return FieldAccess{name,
                     [member](Vehicle& v, std::string_view text) -> Result<void> {
                       v.*member = std::string(text);
                       return {};
                     },
                     [member](const Vehicle& v) { return v.*member; },
                     false,
                     {},
                     {}};
}

const std::vector<FieldAccess>& fields() {
  static const std::vector<FieldAccess> kFields = [] {
    auto int_field = [](std::string_view name, std::optional<int> Vehicle::*m) {
      return optional_field(name, m, parse_int);
    };
    std::vector<FieldAccess> f;
    f.push_back(string_field("make", &Vehicle::make));
    f.push_back(string_field("model", &Vehicle::model));
    f.push_back(string_field("chassis", &Vehicle::chassis));
    f.push_back(optional_field("body", &Vehicle::body, [](std::string_view n, std::string_view t) {
      return parse_enum(n, t, kBodies);
    }));
    f.push_back(optional_field("built", &Vehicle::built,
                               [](std::string_view n, std::string_view t) -> Result<YearMonth> {
                                 auto ym = YearMonth::parse(t);
                                 if (!ym) return fail(fmt::format("vehicle.{}: {}", n, ym.error().message));
                                 return ym;
                               }));
    f.push_back(ranged(int_field("length_mm", &Vehicle::length_mm), 1000, 13000, "a length in mm"));
    f.push_back(ranged(int_field("width_mm", &Vehicle::width_mm), 500, 2600, "a width in mm"));
    f.push_back(ranged(int_field("height_mm", &Vehicle::height_mm), 500, 4200, "a height in mm"));
    f.push_back(ranged(int_field("wheelbase_mm", &Vehicle::wheelbase_mm), 500, 8000, "a wheelbase in mm"));
    f.push_back(
        ranged(int_field("track_front_mm", &Vehicle::track_front_mm), 300, 2600, "a track width in mm"));
    f.push_back(
        ranged(int_field("track_rear_mm", &Vehicle::track_rear_mm), 300, 2600, "a track width in mm"));
    f.push_back(optional_field("engine", &Vehicle::engine, [](std::string_view n, std::string_view t) {
      return parse_enum(n, t, kEngines);
    }));
    f.push_back(ranged(int_field("displacement_cc", &Vehicle::displacement_cc), 20, 10000,
                       "an engine displacement in cc"));
    f.push_back(ranged(optional_field("power_kw", &Vehicle::power_kw, parse_number), 0.1, 1200.0,
                       "an engine or motor power in kW", /*whole=*/false));
    f.push_back(ranged(int_field("curb_mass_kg", &Vehicle::curb_mass_kg), 100, 8000, "a curb mass in kg"));
    f.push_back(ranged(int_field("gross_mass_kg", &Vehicle::gross_mass_kg), 100, 15000,
                       "a gross vehicle mass in kg"));
    f.push_back(ranged(int_field("seats", &Vehicle::seats), 1, 15, "a number of seats"));
    f.push_back(ranged(int_field("payload_kg", &Vehicle::payload_kg), 0, 10000, "a payload in kg"));
    f.push_back(optional_field(
        "powertrain", &Vehicle::powertrain,
        [](std::string_view n, std::string_view t) { return parse_enum(n, t, kPowertrains); }));
    f.push_back(optional_field(
        "drive", &Vehicle::drive,
        [](std::string_view, std::string_view t) -> Result<std::string> { return std::string(t); }));
    f.push_back(optional_field("steering", &Vehicle::steering, [](std::string_view n, std::string_view t) {
      return parse_enum(n, t, kSteering);
    }));
    f.push_back(ranged(int_field("top_speed_kmh", &Vehicle::top_speed_kmh), 5, 400, "a top speed in km/h"));
    return f;
  }();
  return kFields;
}

const std::vector<std::string_view>& field_names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const auto& f : fields()) names.push_back(f.name);
    return names;
  }();
  return kNames;
}

const FieldAccess* find_field(std::string_view name) {
  for (const auto& f : fields()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

std::string_view to_string(Body b) {
  switch (b) {
    case Body::truck:
      return "truck";
    case Body::van:
      return "van";
    case Body::car:
      return "car";
    case Body::suv:
      return "suv";
    case Body::sports:
      return "sports";
  }
  return "?";
}
std::string_view to_string(EngineKind e) {
  switch (e) {
    case EngineKind::four_stroke:
      return "four_stroke";
    case EngineKind::two_stroke:
      return "two_stroke";
    case EngineKind::electric:
      return "electric";
  }
  return "?";
}
std::string_view to_string(Powertrain p) {
  switch (p) {
    case Powertrain::ice:
      return "ice";
    case Powertrain::hybrid:
      return "hybrid";
    case Powertrain::battery_electric:
      return "battery_electric";
  }
  return "?";
}
std::string_view to_string(SteeringSide s) {
  return s == SteeringSide::right ? "right" : "left";
}

std::string Vehicle::display_name() const {
  std::string name = fmt::format("{} {}", make, model);
  if (!chassis.empty()) name += " " + chassis;
  name = std::string(trim(name));
  return name.empty() ? "the described vehicle" : name;
}

std::span<const std::string_view> vehicle_field_names() {
  return field_names();
}

const Vehicle::Assumed* assumed_figure(const Vehicle& v, std::string_view field) {
  for (const Vehicle::Assumed& a : v.assumed)
    if (a.field == field) return &a;
  return nullptr;
}

std::string assumed_summary(const Vehicle& v) {
  std::vector<std::string> parts;
  for (const Vehicle::Assumed& a : v.assumed) {
    const std::string value = vehicle_field_text(v, a.field);
    if (!a.low && a.high)
      parts.push_back(fmt::format("{} at most {}", a.field, value));
    else if (a.low && a.high)
      parts.push_back(
          fmt::format("{} {} ({} to {})", a.field, value, format_quantity(*a.low), format_quantity(*a.high)));
    else
      parts.push_back(fmt::format("{} {}", a.field, value));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

bool is_assumed(const Vehicle& v, std::string_view field) {
  return assumed_figure(v, field) != nullptr;
}

Result<void> set_vehicle_field(Vehicle& v, std::string_view field, std::string_view text) {
  const FieldAccess* f = find_field(field);
  if (f == nullptr) {
    return fail(fmt::format("vehicle.{}: no such field (fields: {})", field, fmt::join(field_names(), ", ")));
  }
  text = trim(text);
  if (text.empty()) return {};
  std::erase_if(v.assumed, [&](const Vehicle::Assumed& a) { return a.field == field; });
  return f->set(v, text);
}

std::optional<VehicleFieldRange> vehicle_field_range(std::string_view field) {
  const FieldAccess* f = find_field(field);
  return f == nullptr ? std::nullopt : f->range;
}

bool vehicle_field_is_numeric(std::string_view field) {
  const FieldAccess* f = find_field(field);
  return f != nullptr && f->numeric;
}

std::string vehicle_field_text(const Vehicle& v, std::string_view field) {
  const FieldAccess* f = find_field(field);
  return f == nullptr ? "" : f->get(v);
}

Result<void> validate_vehicle(const Vehicle& v, Date today) {
  std::vector<std::string> problems;
  if (!v.body) problems.push_back("vehicle.body: missing (one of truck, van, car, suv, sports)");
  std::vector<std::string_view> out_of_range;  // compared with nothing else: one problem, said once
  for (const FieldAccess& f : fields()) {
    if (!f.range) continue;
    const std::optional<double> value = f.number(v);
    if (value && (*value < f.range->min || *value > f.range->max)) {
      problems.push_back(fmt::format("vehicle.{}: {} is not {} (expected {} to {})", f.name, *value,
                                     f.range->what, f.range->min, f.range->max));
      out_of_range.push_back(f.name);
    }
  }
  auto in_range = [&](std::string_view a, std::string_view b) {
    return std::find(out_of_range.begin(), out_of_range.end(), a) == out_of_range.end() &&
           std::find(out_of_range.begin(), out_of_range.end(), b) == out_of_range.end();
  };
  if (v.wheelbase_mm && v.length_mm && in_range("wheelbase_mm", "length_mm") &&
      *v.wheelbase_mm >= *v.length_mm) {
    problems.push_back(fmt::format("vehicle.wheelbase_mm: {} is not shorter than length_mm {}",
                                   *v.wheelbase_mm, *v.length_mm));
  }
  for (auto [field, track] :
       {std::pair{"track_front_mm", v.track_front_mm}, {"track_rear_mm", v.track_rear_mm}}) {
    if (track && v.width_mm && in_range(field, "width_mm") && *track > *v.width_mm) {
      problems.push_back(fmt::format("vehicle.{}: {} is wider than width_mm {}", field, *track, *v.width_mm));
    }
  }
  const bool masses = in_range("curb_mass_kg", "gross_mass_kg") && in_range("payload_kg", "payload_kg");
  if (masses && v.curb_mass_kg && v.gross_mass_kg && *v.gross_mass_kg < *v.curb_mass_kg) {
    problems.push_back(fmt::format("vehicle.gross_mass_kg: {} is less than curb_mass_kg {}", *v.gross_mass_kg,
                                   *v.curb_mass_kg));
  } else if (masses && v.curb_mass_kg && v.gross_mass_kg && v.payload_kg &&
             int64_t{*v.curb_mass_kg} + *v.payload_kg > *v.gross_mass_kg) {  // no int overflow on any input
    problems.push_back(fmt::format("vehicle.payload_kg: {} plus curb_mass_kg {} exceeds gross_mass_kg {}",
                                   *v.payload_kg, *v.curb_mass_kg, *v.gross_mass_kg));
  }
  if (v.engine == EngineKind::electric && v.displacement_cc) {
    problems.push_back(
        fmt::format("vehicle.displacement_cc: {} given, but an electric vehicle has no displacement",
                    *v.displacement_cc));
  }
  if (v.powertrain && v.engine) {
    const bool electric_powertrain = *v.powertrain == Powertrain::battery_electric;
    const bool electric_engine = *v.engine == EngineKind::electric;
    if (electric_powertrain != electric_engine) {
      problems.push_back(fmt::format("vehicle.engine: '{}' contradicts powertrain '{}'", to_string(*v.engine),
                                     to_string(*v.powertrain)));
    }
  }
  if (v.built) {
    if (v.built->year() < 1886) {
      problems.push_back(
          fmt::format("vehicle.built: {} is before the first motor car (1886)", v.built->str()));
    } else if (*v.built > YearMonth(today.year(), today.month())) {
      problems.push_back(
          fmt::format("vehicle.built: {} is in the future (today is {})", v.built->str(), today.str()));
    }
  }
  if (!problems.empty()) return fail(fmt::format("{}", fmt::join(problems, "\n")));
  return {};
}

}  // namespace keipath
