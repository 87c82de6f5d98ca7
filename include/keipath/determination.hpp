// Determinations: an answer plus the chain of reasons that produced it.
//
// A rule is written once as a template over a Tracer. With RecordingTracer (explain mode) every check it
// makes becomes a Reason that names the parameter, its value on the date, the date that value took effect
// and its citation. With NullTracer (batch mode) `kRecords` is false, the rule's tracing branches are
// discarded at compile time, and the same code runs over millions of rows without allocating.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/params.hpp"

namespace keipath {

enum class Outcome : uint8_t {
  pass,            // the check was made and satisfied
  fail,            // the check was made and not satisfied
  unknown,         // the check needed an input that is not known
  not_applicable,  // the check does not apply to this case (reported so the answer is complete)
  note,            // information that does not decide the answer (a convention, a non-binding limit)
};
std::string_view to_string(Outcome o);

// The parameter behind a reason, as it stood on the date asked about.
struct Citation {
  std::string parameter;
  std::string unit;
  std::optional<double> value;  // absent when the value was abolished
  Date in_force_since;
  std::string ref;
  Confidence confidence = Confidence::unstated;
  Date checked;
  std::string origin;  // empty for the baseline, else the scenario that set this value
  std::string note;

  static Citation of(const Parameter& param, const ParamValue& value);
};

struct Reason {
  Outcome outcome = Outcome::note;
  std::string check;  // a short machine name for what was checked ("length", "class_in_effect")
  std::string text;   // one human sentence
  std::optional<Citation> citation;
};

struct NullTracer {
  static constexpr bool kRecords = false;
};

struct RecordingTracer {
  static constexpr bool kRecords = true;
  std::vector<Reason> reasons;
  void add(Reason r) { reasons.push_back(std::move(r)); }
};

}  // namespace keipath
