#include <cctype>
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

namespace keipath::cli {
namespace {

// What the start of one error line names: "--mpg: ...", "vehicle.length_mm: ...", "data/x.toml:12: ...".
nlohmann::json locate(std::string_view line) {
  nlohmann::json out = {{"message", std::string(line)}};
  const size_t colon = line.find(':');
  const std::string_view head = line.substr(0, colon);
  if (head.starts_with("--") && colon != std::string_view::npos) {
    out["option"] = std::string(head.substr(0, head.find(' ')));
    return out;
  }
  if (head.starts_with("vehicle.") && head.find(' ') == std::string_view::npos) {
    out["field"] = std::string(head);
    return out;
  }
  if (colon != std::string_view::npos) {
    // file:line: — the line number is the digits between the first two colons.
    const size_t next = line.find(':', colon + 1);
    const std::string_view digits =
        line.substr(colon + 1, next == std::string_view::npos ? 0 : next - colon - 1);
    int number = 0;
    if (!digits.empty() && head.find(' ') == std::string_view::npos &&
        std::from_chars(digits.data(), digits.data() + digits.size(), number).ptr ==
            digits.data() + digits.size()) {
      out["file"] = std::string(head);
      out["line"] = number;
      return out;
    }
  }
  // CLI11's messages name an option inside the text ("--price-jpy is required").
  if (const size_t dash = line.find("--"); dash != std::string_view::npos) {
    size_t end = dash + 2;
    while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '-'))
      ++end;
    if (end > dash + 2) out["option"] = std::string(line.substr(dash, end - dash));
  }
  return out;
}

}  // namespace

nlohmann::json error_json(const std::string& message) {
  nlohmann::json problems = nlohmann::json::array();
  size_t start = 0;
  while (start <= message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    if (end > start) problems.push_back(locate(std::string_view(message).substr(start, end - start)));
    start = end + 1;
  }
  nlohmann::json out = {{"error", message}};
  if (!problems.empty()) {
    for (const char* key : {"option", "field", "file", "line"})
      if (problems[0].contains(key)) out[key] = problems[0][key];
  }
  out["problems"] = std::move(problems);
  return out;
}

}  // namespace keipath::cli
