#include "keipath/determination.hpp"

namespace keipath {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::pass:
      return "pass";
    case Outcome::fail:
      return "fail";
    case Outcome::unknown:
      return "unknown";
    case Outcome::not_applicable:
      return "not_applicable";
    case Outcome::note:
      return "note";
  }
  return "note";
}

Citation Citation::of(const Parameter& param, const ParamValue& value) {
  Citation c;
  c.parameter = param.name;
  c.unit = param.unit;
  if (!value.abolished) c.value = value.value;
  c.in_force_since = value.from;
  c.ref = value.ref;
  c.confidence = value.confidence;
  c.checked = param.checked;
  c.origin = value.origin;
  c.note = value.note;
  return c;
}

}  // namespace keipath
