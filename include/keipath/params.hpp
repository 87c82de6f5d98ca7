// The parameter store: legal and model parameters as dated, cited values.
//
// A parameter has a name ("jp.kei.max_length_mm"), a unit, a description, the date its values were last
// checked against their sources, and a timeline of values. Each value is in force from its `from` date until
// the next value's `from`; past the last value it carries forward. A value may instead mark the day a limit
// was abolished. Before the first value the parameter has no value at all (the law did not exist yet).
//
// The store is loaded from TOML files (one per body of law) and validated as a whole: every problem is
// reported as `file:line: parameter: what is wrong`. A Scenario (see scenario.hpp) layers dated overrides on
// top; the baseline is the store with no scenario applied.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/result.hpp"

namespace keipath {

struct Scenario;

enum class Confidence : uint8_t { unstated, low, medium, high };
std::string_view to_string(Confidence c);
Result<Confidence> parse_confidence(std::string_view text);

struct SourceLocation {
  std::string file;
  int line = 0;
  std::string str() const;  // "file:line"
};

struct ParamValue {
  Date from;
  bool abolished = false;  // on `from` the parameter ceased to apply; `value` is meaningless
  double value = 0;        // booleans are stored as 0 or 1
  // The range the true value may lie in, for Monte Carlo draws of uncertain parameters (low <= value <=
  // high).
  std::optional<double> low, high;
  // How a draw takes the value from [low, high]: uniformly, or uniformly in its logarithm (for a value
  // whose range spans orders of magnitude; low > 0). TOML: distribution = "uniform" | "log_uniform".
  bool log_uniform = false;
  std::string ref;  // the citation that establishes this value
  Confidence confidence = Confidence::unstated;
  std::string note;
  std::string origin;  // empty for the baseline; the scenario's name for an override
  SourceLocation where;

  // The value a Monte Carlo draw takes for the uniform number u in [0, 1): `value` where there is no
  // range, else the point u of the way from low to high (in the logarithm for log_uniform).
  double drawn(double u) const;
};

struct Parameter {
  std::string name;
  std::string unit;
  std::string description;
  Date checked;  // when the values were last checked against their sources
  // A non-binding parameter states a convention whose legal force is unverified: rules report it, but it
  // does not decide a verdict.
  bool binding = true;
  std::vector<ParamValue> values;  // `from` strictly increasing
  SourceLocation where;

  // The value in force on `date`: the last with from <= date, or nullptr before the first.
  const ParamValue* at(Date date) const;
  // As `at`, but also nullptr where that value is an abolition: the value a rule can use, if any.
  const ParamValue* in_force(Date date) const;
};

// The units a parameter may declare; anything else is a load error (it is almost always a typo).
bool is_known_unit(std::string_view unit);

class ParamStore {
 public:
  // Loads every *.toml file under `dir`, recursively, in path order, except those under a folder in
  // `skip` (files of another format, such as the state rule files). File names in messages are relative to
  // `label_root` when given (so messages read "data/law/jp/kei_class.toml:12: ...").
  static Result<ParamStore> load_directory(const std::filesystem::path& dir,
                                           const std::filesystem::path& label_root = {},
                                           const std::vector<std::filesystem::path>& skip = {});

  // Adds the parameters of one TOML document; `file_label` names it in messages. On error nothing is added.
  Result<void> add_toml(std::string_view text, std::string_view file_label);

  // Layers a scenario's overrides over the current values. On error the store is unchanged.
  Result<void> apply(const Scenario& scenario);

  const Parameter* find(std::string_view name) const;
  // Looks a parameter up for a rule: an error if it does not exist or its unit is not `unit`.
  Result<const Parameter*> require(std::string_view name, std::string_view unit) const;
  // Binds every parameter a rule reads (name, unit, where to store it); reports every missing one at once.
  struct Slot {
    std::string_view name;
    std::string_view unit;
    const Parameter** target;
  };
  Result<void> require_all(std::initializer_list<Slot> slots) const;

  const std::vector<Parameter>& parameters() const { return params_; }
  // The names of the scenarios applied, in order; empty for the baseline.
  const std::vector<std::string>& scenarios() const { return scenarios_; }

 private:
  std::vector<Parameter> params_;  // sorted by name
  std::vector<std::string> scenarios_;
};

}  // namespace keipath
