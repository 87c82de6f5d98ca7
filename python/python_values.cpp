// Python values to the answer layer's requests, and JSON documents to Python objects (python_values.hpp).
#include "python_values.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

#include "keipath/units.hpp"
#include "keipath/vehicle.hpp"

namespace keipath::python {

py::object to_python(const nlohmann::json& j) {
  using Type = nlohmann::json::value_t;
  switch (j.type()) {
    case Type::null:
    case Type::discarded:
      return py::none();
    case Type::boolean:
      return py::bool_(j.get<bool>());
    case Type::number_integer:
      return py::int_(j.get<int64_t>());
    case Type::number_unsigned:
      return py::int_(j.get<uint64_t>());
    case Type::number_float: {
      const double v = j.get<double>();
      return std::isfinite(v) ? py::object(py::float_(v)) : py::object(py::none());
    }
    case Type::string:
      return py::str(j.get_ref<const std::string&>());
    case Type::array: {
      py::list out(j.size());
      size_t i = 0;
      for (const nlohmann::json& e : j) out[i++] = to_python(e);
      return out;
    }
    case Type::object: {
      py::dict out;
      for (const auto& [key, value] : j.items()) out[py::str(key)] = to_python(value);
      return out;
    }
    case Type::binary:
      break;  // answers never hold binary values
  }
  throw Error("internal: a JSON answer holds a binary value");
}

std::optional<std::string> value_text(py::handle value, std::string_view name) {
  if (value.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  // Before int: bool is a subclass of int, and True is not the number 1 to a user.
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  // int, and numpy's integers (anything with __index__).
  if (PyIndex_Check(value.ptr())) {
    auto index = py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()));
    if (!index) throw py::error_already_set();
    return py::str(index).cast<std::string>();
  }
  // float, and other real numbers (numpy.float32, Decimal, Fraction: anything with __float__).
  if (py::isinstance<py::float_>(value) || py::hasattr(value, "__float__")) {
    const double v = PyFloat_AsDouble(value.ptr());
    if (v == -1.0 && PyErr_Occurred()) throw py::error_already_set();
    // 3395.0 is "3395", as a user types it (the integer fields reject "3395.0"). Past 2^53 a double no
    // longer holds every whole number; such values are out of every range anyway.
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15)
      return fmt::format("{}", static_cast<int64_t>(v));
    // A Python float: its shortest exact text (fmt's, as repr). Another number type (numpy.float32,
    // Decimal) prints its own shortest form, which for a float32 is the one the user typed ("1.2").
    if (py::isinstance<py::float_>(value)) return fmt::format("{}", v);
    return py::str(value).cast<std::string>();
  }
  throw Error(fmt::format("{}: {} is not text or a number", name,
                          py::str(py::type::of(value).attr("__name__")).cast<std::string>()));
}

answers::VehicleRequest vehicle_request(py::handle vehicle) {
  answers::VehicleRequest r;
  if (py::isinstance<py::str>(vehicle)) {
    r.model = vehicle.cast<std::string>();
    return r;
  }
  if (!py::isinstance<py::dict>(vehicle))
    throw Error(fmt::format("vehicle: a dict of vehicle fields or a catalog model name, not {}",
                            py::str(py::type::of(vehicle).attr("__name__")).cast<std::string>()));
  for (const auto& [key, value] : vehicle.cast<py::dict>()) {
    if (!py::isinstance<py::str>(key))
      throw Error(fmt::format("vehicle: field names are text, not {}", py::repr(key).cast<std::string>()));
    const std::string field = key.cast<std::string>();
    auto text = value_text(value, "vehicle." + field);
    if (!text) continue;
    if (field == "model") {
      r.model = *text;
    } else if (field == "chassis") {
      r.chassis = *text;
    } else if (field == "frame") {
      r.frame = *text;
    } else {
      r.fields[field] = *text;  // unknown names are the library's error ("vehicle.colour: no such field")
    }
  }
  return r;
}

std::optional<Date> date_arg(py::handle value, std::string_view name) {
  if (value.is_none()) return std::nullopt;
  std::string text;
  if (py::isinstance<py::str>(value)) {
    text = value.cast<std::string>();
  } else if (py::isinstance(value, py::module_::import("datetime").attr("date"))) {
    text = value.attr("isoformat")().cast<std::string>();  // a datetime's date part only
    text = text.substr(0, text.find('T'));
  } else {
    throw Error(fmt::format("{}: a date is \"YYYY-MM-DD\" or a datetime.date, not {}", name,
                            py::str(py::type::of(value).attr("__name__")).cast<std::string>()));
  }
  auto d = Date::parse(text);
  if (!d) throw Error(fmt::format("{}: {}", name, d.error().message));
  return *d;
}

Date date_or_today(py::handle value, std::string_view name) {
  return date_arg(value, name).value_or(Date::today());
}

std::optional<double> number_arg(py::handle value, std::string_view name, const answers::NumberSpec& spec) {
  auto text = value_text(value, name);
  if (!text) return std::nullopt;
  if (text->find_first_not_of(" \t") == std::string::npos) throw Error(fmt::format("{}: empty value", name));
  auto v = answers::check_number(*text, spec);
  if (!v) throw Error(fmt::format("{}: {}", name, v.error().message));
  return *v;
}

std::string text_arg(py::handle value, std::string_view name, std::string fallback) {
  if (value.is_none()) return fallback;
  if (!py::isinstance<py::str>(value))
    throw Error(fmt::format("{}: text, not {}", name,
                            py::str(py::type::of(value).attr("__name__")).cast<std::string>()));
  std::string text = value.cast<std::string>();
  if (text.find_first_not_of(" \t") == std::string::npos) throw Error(fmt::format("{}: empty value", name));
  return text;
}

std::vector<std::string> text_list(py::handle value, std::string_view name) {
  std::vector<std::string> out;
  if (value.is_none()) return out;
  if (py::isinstance<py::str>(value) || !py::isinstance<py::iterable>(value))
    throw Error(fmt::format("{}: a list of texts", name));
  for (py::handle item : value) out.push_back(text_arg(item, name));
  return out;
}

namespace {

bool flag_arg(py::handle value, std::string_view name) {
  if (value.is_none()) return false;
  if (!py::isinstance<py::bool_>(value)) throw Error(fmt::format("{}: True or False", name));
  return value.cast<bool>();
}

// Cost line overrides: {"ID": amount} or ["ID=AMOUNT", ...], as the CLI's --set ID=AMOUNT.
std::vector<std::string> overrides_arg(py::handle value) {
  if (!py::isinstance<py::dict>(value)) return text_list(value, "set");
  std::vector<std::string> out;
  for (const auto& [id, amount] : value.cast<py::dict>()) {
    const std::string name = fmt::format("set.{}", py::str(id).cast<std::string>());
    auto text = value_text(amount, name);
    if (!text) throw Error(fmt::format("{}: needs an amount", name));
    out.push_back(fmt::format("{}={}", py::str(id).cast<std::string>(), *text));
  }
  return out;
}

}  // namespace

const std::vector<std::string_view>& cost_input_names() {
  static const std::vector<std::string_view> kNames = {"price_jpy",
                                                       "price_includes_tax",
                                                       "jpy_per_usd",
                                                       "freight",
                                                       "port",
                                                       "inland_miles",
                                                       "agent_commission_dutiable",
                                                       "heading",
                                                       "set",
                                                       "years",
                                                       "miles_per_year",
                                                       "km_per_l",
                                                       "cycle",
                                                       "mpg",
                                                       "wh_per_km",
                                                       "insurance_usd",
                                                       "depreciation_percent",
                                                       "registration_usd",
                                                       "compare"};
  return kNames;
}

void fill_cost_request(const py::dict& in, answers::CostRequest& r) {
  auto get = [&](const char* name) -> py::object {
    return in.contains(name) ? py::object(in[name]) : py::object(py::none());
  };
  auto whole = [&](const char* name, const answers::NumberSpec& spec) -> std::optional<int64_t> {
    auto v = number_arg(get(name), name, spec);
    return v ? std::optional(static_cast<int64_t>(*v)) : std::nullopt;
  };
  r.price_jpy = whole("price_jpy", answers::kPriceJpy);
  r.price_includes_tax = flag_arg(get("price_includes_tax"), "price_includes_tax");
  r.jpy_per_usd = number_arg(get("jpy_per_usd"), "jpy_per_usd", answers::kJpyPerUsd);
  r.freight = text_arg(get("freight"), "freight", r.freight);
  r.port = text_arg(get("port"), "port", r.port);
  r.inland_miles = static_cast<int>(whole("inland_miles", answers::kInlandMiles).value_or(0));
  r.agent_commission_dutiable = flag_arg(get("agent_commission_dutiable"), "agent_commission_dutiable");
  r.heading = text_arg(get("heading"), "heading");
  if (!get("set").is_none()) r.set = overrides_arg(get("set"));
  if (auto v = whole("years", answers::kYears)) r.years = static_cast<int>(*v);
  if (auto v = whole("miles_per_year", answers::kMilesPerYear)) r.miles_per_year = static_cast<int>(*v);
  r.km_per_l = number_arg(get("km_per_l"), "km_per_l", answers::kKmPerL);
  r.cycle = text_arg(get("cycle"), "cycle");
  r.mpg = number_arg(get("mpg"), "mpg", answers::kMpg);
  r.wh_per_km = number_arg(get("wh_per_km"), "wh_per_km", answers::kWhPerKm);
  r.insurance_usd = number_arg(get("insurance_usd"), "insurance_usd", answers::kInsuranceUsd);
  r.depreciation_percent =
      number_arg(get("depreciation_percent"), "depreciation_percent", answers::kDepreciationPercent);
  r.registration_usd = number_arg(get("registration_usd"), "registration_usd", answers::kRegistrationUsd);
  r.compare = text_list(get("compare"), "compare");
}

}  // namespace keipath::python
