#include <charconv>

#include "cli/commands.hpp"

namespace keipath::cli {

nlohmann::json vehicle_json(const Vehicle& v) {
  nlohmann::json out = nlohmann::json::object();
  for (std::string_view field : vehicle_field_names()) {
    const std::string text = vehicle_field_text(v, field);
    if (text.empty()) continue;
    if (vehicle_field_is_numeric(field)) {
      double number = 0;
      std::from_chars(text.data(), text.data() + text.size(), number);
      out[std::string(field)] = number;
    } else {
      out[std::string(field)] = text;
    }
  }
  return out;
}

nlohmann::json reason_json(const Reason& r) {
  nlohmann::json out = {{"check", r.check}, {"outcome", to_string(r.outcome)}, {"text", r.text}};
  if (r.citation) {
    const Citation& c = *r.citation;
    out["citation"] = {{"parameter", c.parameter},
                       {"unit", c.unit},
                       {"value", c.value ? nlohmann::json(*c.value) : nlohmann::json(nullptr)},
                       {"in_force_since", c.in_force_since.str()},
                       {"ref", c.ref},
                       {"confidence", to_string(c.confidence)},
                       {"checked", c.checked.str()}};
    if (!c.origin.empty()) out["citation"]["scenario"] = c.origin;
    if (!c.note.empty()) out["citation"]["note"] = c.note;
  }
  return out;
}

nlohmann::json kei_json(const KeiDetermination& d) {
  nlohmann::json findings = nlohmann::json::array();
  for (const KeiFinding& f : d.findings) {
    nlohmann::json j = {{"check", to_string(f.check)},
                        {"outcome", to_string(f.outcome)},
                        {"unit", f.unit},
                        {"binding", f.binding}};
    j["value"] = f.value ? nlohmann::json(*f.value) : nlohmann::json(nullptr);
    j["limit"] = f.limit ? nlohmann::json(*f.limit) : nlohmann::json(nullptr);
    if (f.excess) j["excess"] = *f.excess;
    findings.push_back(std::move(j));
  }
  nlohmann::json reasons = nlohmann::json::array();
  for (const Reason& r : d.reasons) reasons.push_back(reason_json(r));
  return {{"date", d.date.str()},
          {"verdict", to_string(d.verdict)},
          {"class_in_effect", d.class_in_effect},
          {"findings", std::move(findings)},
          {"missing_fields", d.missing_fields},
          {"reasons", std::move(reasons)}};
}

}  // namespace keipath::cli
