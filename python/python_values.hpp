// The Python module's edge: Python values in, the answer layer's requests and JSON documents out.
//
// Every input is turned into the text a user would have typed (3395 and 3395.0 both become "3395") and then
// read by the same library code that reads the CLI's options and the API's parameters, so the three front
// ends accept the same values and give the same messages. A bad input raises keipath.Error (a ValueError)
// whose message is the library's, naming the input: "vehicle.length_mm: ...", "price_jpy: ...", "date: ...".
#pragma once

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/answers.hpp"
#include "keipath/date.hpp"
#include "keipath/result.hpp"

namespace keipath::python {

namespace py = pybind11;

// Thrown inside the module and turned into keipath.Error at the pybind11 boundary; the library's errors
// stay values (Result), this is only how the edge raises them in Python.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The value of a Result, or keipath.Error with its message.
template <class T>
T value_or_raise(Result<T> result) {
  if (!result) throw Error(result.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// A JSON document as Python objects: objects as dicts (keys in the document's order), arrays as lists, whole
// numbers as int. A non-finite float becomes None, as nlohmann's dump writes it (null).
py::object to_python(const nlohmann::json& j);

// The text a user would type for a value: a str as given, an int in decimal, a whole float without its
// ".0" (3395.0 -> "3395"), another float in its shortest exact form, True/False as "true"/"false".
// nullopt for None (not given). Anything else raises keipath.Error naming `name`.
std::optional<std::string> value_text(py::handle value, std::string_view name);

// A vehicle: a dict of "model", "chassis", "frame" and any vehicle field name (None values are not given), or
// a str (a catalog model).
answers::VehicleRequest vehicle_request(py::handle vehicle);

// A date: "YYYY-MM-DD" or a datetime.date; None is nullopt. Errors name `name`.
std::optional<Date> date_arg(py::handle value, std::string_view name);
// The same, where None means today.
Date date_or_today(py::handle value, std::string_view name);

// A number checked against its range (answers::NumberSpec, the CLI's and the API's); None is nullopt.
std::optional<double> number_arg(py::handle value, std::string_view name, const answers::NumberSpec& spec);

// A text choice or name; None is `fallback`. An empty or blank text is an error, as in the API.
std::string text_arg(py::handle value, std::string_view name, std::string fallback = "");

// A list of texts (reference vehicle ids); None is empty.
std::vector<std::string> text_list(py::handle value, std::string_view name);

// The cost question's inputs (answer_cost and answer_check) from keyword arguments named as the API names
// them: price_jpy, price_includes_tax, jpy_per_usd, freight, port, inland_miles, agent_commission_dutiable,
// heading, set, years, miles_per_year, km_per_l, cycle, mpg, wh_per_km, insurance_usd,
// depreciation_percent, registration_usd, compare. Fills every field but the vehicle and the entry date.
void fill_cost_request(const py::dict& inputs, answers::CostRequest& request);

// The keyword names fill_cost_request reads, for the error on an unknown one.
const std::vector<std::string_view>& cost_input_names();

}  // namespace keipath::python
