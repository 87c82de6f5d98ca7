// A scenario (a "reform"): a named set of dated overrides of parameters, layered over the baseline by
// ParamStore::apply. An override sets a parameter to `value` (or abolishes it) from `from`, and, when `until`
// is given, only up to the day before `until`, after which the baseline timeline resumes.
//
// File format (TOML):
//   [scenario]
//   name = "longer-kei"
//   description = "..."
//   [[override]]
//   parameter = "jp.kei.max_length_mm"
//   from = 2027-04-01
//   until = 2030-04-01        # optional
//   value = 3600              # or: abolished = true
//   ref = "why / source"
//   low = 3000                # optional: an uncertainty range for Monte Carlo draws (both ends),
//   high = 4000               #   with distribution = "uniform" (default) or "log_uniform"
//   confidence = "low"        # optional, as in the rule base; note = "..." optional
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"

namespace keipath {

struct ParamOverride {
  std::string parameter;
  Date from;
  std::optional<Date> until;  // exclusive
  bool abolished = false;
  bool value_is_bool = false;
  double value = 0;
  std::optional<double> low, high;  // both or neither, around `value`
  bool log_uniform = false;
  std::optional<Confidence> confidence;
  std::string ref, note;
  SourceLocation where;
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<ParamOverride> overrides;
  SourceLocation where;

  static Result<Scenario> parse(std::string_view text, std::string_view file_label);
  static Result<Scenario> load(const std::filesystem::path& file);
};

}  // namespace keipath
