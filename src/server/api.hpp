// The HTTP API's endpoints, declared once: each endpoint's path, summary, parameters (name, kind, range,
// help) and answer schema. The same table checks every request (an unknown parameter, a malformed number or
// date is a 400 naming it), turns the inputs into the answer layer's request, and writes the OpenAPI 3.1
// document served at /api/openapi.json (its schemas: src/server/schemas.json).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keipath/answers.hpp"

namespace keipath::server {

using Params = std::map<std::string, std::string>;

enum class Kind {
  text,     // a string (a choice when `choices` is set)
  number,   // checked against `range`
  date,     // YYYY-MM-DD
  flag,     // true or false
  list,     // comma-separated strings
  vehicle,  // a vehicle field: checked by the answer layer (answers::choose_vehicle), which names it
};

struct Param {
  std::string name;
  Kind kind = Kind::text;
  std::optional<answers::NumberSpec> range;
  std::string help;
  std::vector<std::string> choices;
  bool required = false;
};

class Inputs;
struct Endpoint {
  std::string path;
  std::string summary;
  std::string description;
  std::string schema;  // the answer's schema in components.schemas
  std::vector<Param> params;
  Result<nlohmann::json> (*answer)(const RuleBase& base, const Inputs& inputs) = nullptr;
  bool post = true;  // also answers a POST with a JSON object body
  // An answer that compares the request's scenario with the server's own rule base (the baseline): called
  // instead of `answer` when set.
  Result<nlohmann::json> (*compare)(const RuleBase& scenario, const RuleBase& baseline,
                                    const Inputs& inputs) = nullptr;
};

// Every endpoint but /api/openapi.json itself.
const std::vector<Endpoint>& endpoints();

// A request's inputs after the endpoint's table has checked them.
class Inputs {
 public:
  // Errors name the parameter: "colour: not a parameter of this endpoint (...)", "draws: 0 is out of range".
  static Result<Inputs> read(const Params& params, const Endpoint& endpoint);
  bool has(const std::string& name) const { return text_.contains(name); }
  std::string text(const std::string& name, std::string fallback = "") const;
  std::optional<double> number(const std::string& name) const;
  std::optional<Date> date(const std::string& name) const;
  bool flag(const std::string& name) const;
  std::vector<std::string> list(const std::string& name) const;
  // The vehicle fields given (model, chassis and the rest).
  answers::VehicleRequest vehicle() const;
  // `date`, or today.
  Date date_or_today() const;

 private:
  Params text_;
  std::map<std::string, double> numbers_;
  std::map<std::string, Date> dates_;
};

// The OpenAPI 3.1 document: paths from endpoints(), schemas from src/server/schemas.json; `scenarios` are
// the values the `scenario` parameter takes.
nlohmann::json openapi_document(const RuleBase& base, const std::vector<std::string>& scenarios);

}  // namespace keipath::server
