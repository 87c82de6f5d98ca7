// JSON forms of every answer, shared by the CLI's --json and the HTTP API (include/keipath/answers.hpp).
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>

#include "keipath/answers.hpp"

namespace keipath::answers {
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

// A whole number as a JSON integer (3395, not 3395.0), so that strictly typed clients read it as one.
nlohmann::json number_json(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9.0e15) return static_cast<int64_t>(v);
  return v;
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

nlohmann::json provenance_json(const RuleBase& base) {
  return {{"rule_base_hash", base.content_hash()},
          {"scenario", base.scenario_name()},
          {"program_version", KEIPATH_VERSION}};
}

nlohmann::json stamped(std::string_view answer, nlohmann::json body, const RuleBase& base) {
  body["schema_version"] = kSchemaVersion;
  body["answer"] = std::string(answer);
  body["provenance"] = provenance_json(base);
  return body;
}

nlohmann::json vehicle_json(const Vehicle& v) {
  nlohmann::json out = nlohmann::json::object();
  for (std::string_view field : vehicle_field_names()) {
    const std::string text = vehicle_field_text(v, field);
    if (text.empty()) continue;
    if (vehicle_field_is_numeric(field)) {
      double number = 0;
      std::from_chars(text.data(), text.data() + text.size(), number);
      out[std::string(field)] = number_json(number);
    } else {
      out[std::string(field)] = text;
    }
  }
  if (!v.assumed.empty()) {
    nlohmann::json assumed = nlohmann::json::object();
    for (const Vehicle::Assumed& a : v.assumed) assumed[a.field] = a.why;
    out["assumed"] = std::move(assumed);
  }
  return out;
}

nlohmann::json reason_json(const Reason& r) {
  nlohmann::json out = {{"check", r.check}, {"outcome", to_string(r.outcome)}, {"text", r.text}};
  if (r.citation) {
    const Citation& c = *r.citation;
    out["citation"] = {{"parameter", c.parameter},
                       {"unit", c.unit},
                       {"value", c.value ? number_json(*c.value) : nlohmann::json(nullptr)},
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
    j["value"] = f.value ? number_json(*f.value) : nlohmann::json(nullptr);
    j["limit"] = f.limit ? number_json(*f.limit) : nlohmann::json(nullptr);
    if (f.excess) j["excess"] = number_json(*f.excess);
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

nlohmann::json pathway_json(const Pathway& p) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const Reason& r : p.reasons) reasons.push_back(reason_json(r));
  nlohmann::json forms = nlohmann::json::array();
  for (const PathwayForm& f : p.forms) forms.push_back({{"form", f.form}, {"what", f.what}, {"ref", f.ref}});
  return {{"id", p.id},
          {"name", p.name},
          {"road_use", p.road_use},
          {"status", to_string(p.status)},
          {"earliest", p.earliest ? nlohmann::json(p.earliest->str()) : nlohmann::json(nullptr)},
          {"conditions", p.conditions},
          {"forms", std::move(forms)},
          {"missing_fields", p.missing_fields},
          {"reasons", std::move(reasons)}};
}

nlohmann::json catalog_entry_json(const CatalogEntry& e) {
  nlohmann::json j = vehicle_json(e.vehicle);
  j["produced_from"] = e.produced_from.str();
  j["produced_to"] = e.produced_to ? nlohmann::json(e.produced_to->str()) : nlohmann::json(nullptr);
  j["price_jpy"] = e.price_jpy ? nlohmann::json(*e.price_jpy) : nlohmann::json(nullptr);
  j["fuel_economy"] = e.fuel_economy;
  j["source"] = e.source;
  j["confidence"] = to_string(e.confidence);
  j["checked"] = e.checked.str();
  j["notes"] = e.notes;
  return j;
}

nlohmann::json road_limits_json(const RoadLimits& l) {
  nlohmann::json out = {{"no_interstate", l.no_interstate},
                        {"no_limited_access", l.no_limited_access},
                        {"no_divided", l.no_divided},
                        {"no_highways", l.no_highways},
                        {"local_ordinance", l.local_ordinance},
                        {"farm_use_only", l.farm_use_only},
                        {"daylight_only", l.daylight_only},
                        {"collector_plates_only", l.collector_plates_only},
                        {"may_cross", l.may_cross}};
  out["max_posted_mph"] = l.max_posted_mph ? nlohmann::json(*l.max_posted_mph) : nlohmann::json(nullptr);
  out["governor_mph"] = l.governor_mph ? nlohmann::json(*l.governor_mph) : nlohmann::json(nullptr);
  return out;
}

nlohmann::json state_rule_json(const StateRule& r) {
  nlohmann::json out = {{"kinds", nlohmann::json::array()},
                        {"from", r.from.str()},
                        {"from_kind", to_string(r.from_kind)},
                        {"status", to_string(r.status)},
                        {"basis", to_string(r.basis)},
                        {"conditions", r.conditions},
                        {"ref", r.ref},
                        {"sources", r.sources},
                        {"confidence", to_string(r.confidence)},
                        {"checked", r.checked.str()},
                        {"where", r.where.str()}};
  for (StateKind k : r.kinds) out["kinds"].push_back(to_string(k));
  if (!r.plate.empty()) out["plate"] = r.plate;
  if (!r.note.empty()) out["note"] = r.note;
  if (r.definition) out["class"] = r.definition->name;
  return out;
}

nlohmann::json state_answer_json(const StateAnswer& a, const std::optional<RoadVerdict>& road) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const Reason& r : a.reasons) reasons.push_back(reason_json(r));
  nlohmann::json out = {{"state", a.code},
                        {"name", a.name},
                        {"date", a.date.str()},
                        {"entry", to_string(a.entry)},
                        {"status", to_string(a.status)},
                        {"title", to_string(a.title)},
                        {"registration", to_string(a.registration)},
                        {"road_use", to_string(a.road_use)},
                        {"road_use_scope", a.road_use_scope.empty() ? nlohmann::json(nullptr)
                                                                    : nlohmann::json(a.road_use_scope)},
                        {"limits", road_limits_json(a.limits)},
                        {"grandfathered", a.grandfathered},
                        {"confidence", to_string(a.confidence)},
                        {"missing_fields", a.missing_fields},
                        {"reasons", std::move(reasons)}};
  out["kind"] = a.kind ? nlohmann::json(to_string(*a.kind)) : nlohmann::json(nullptr);
  out["in_class"] = a.in_class ? nlohmann::json(*a.in_class) : nlohmann::json(nullptr);
  if (a.if_in_class) out["status_if_in_class"] = to_string(*a.if_in_class);
  if (a.transferable) out["transferable"] = *a.transferable;
  out["rule"] = a.rule ? state_rule_json(*a.rule) : nlohmann::json(nullptr);
  if (road) {
    out["road"] = {{"allowed", to_string(road->allowed)}, {"conditions", road->conditions}};
    nlohmann::json rr = nlohmann::json::array();
    for (const Reason& r : road->reasons) rr.push_back(reason_json(r));
    out["road"]["reasons"] = std::move(rr);
  }
  return out;
}

nlohmann::json status_counts_json(const StatusCounts& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (int i = 0; i < kRoadStatusCount; ++i)
    out[std::string(to_string(static_cast<RoadStatus>(i)))] = counts[static_cast<size_t>(i)];
  return out;
}

nlohmann::json to_json(const KeiAnswer& a, const RuleBase& base) {
  nlohmann::json out = kei_json(a.determination);
  out["vehicle"] = vehicle_json(a.chosen.vehicle);
  return stamped("kei", std::move(out), base);
}

nlohmann::json to_json(const ImportAnswer& a, const RuleBase& base) {
  const ImportDetermination& d = a.determination;
  nlohmann::json list = nlohmann::json::array();
  for (const Pathway& p : d.pathways) list.push_back(pathway_json(p));
  nlohmann::json out = {
      {"date", d.date.str()}, {"vehicle", vehicle_json(a.chosen.vehicle)}, {"pathways", std::move(list)}};
  out["earliest_road_entry"] = d.earliest_road_entry ? nlohmann::json{{"date", d.earliest_road_entry->str()},
                                                                      {"pathway", d.earliest_road_pathway}}
                                                     : nlohmann::json(nullptr);
  auto day = [](const std::optional<Date>& x) {
    return x ? nlohmann::json(x->str()) : nlohmann::json(nullptr);
  };
  out["production"] = a.production ? nlohmann::json{{"first_built", a.production->first_built.str()},
                                                    {"last_built", a.production->last_built.str()},
                                                    {"first_eligible", day(a.production->first_eligible)},
                                                    {"last_eligible", day(a.production->last_eligible)},
                                                    {"all_eligible", a.production->all_eligible},
                                                    {"some_never", a.production->some_never}}
                                   : nlohmann::json(nullptr);
  return stamped("import", std::move(out), base);
}

nlohmann::json to_json(const CoverageAnswer& a, const RuleBase& base) {
  nlohmann::json catalog = nlohmann::json::array();
  for (const CatalogCoverage& c : a.catalog) {
    catalog.push_back(
        {{"vehicle", vehicle_json(c.entry->vehicle)},
         {"built", c.built.str()},
         {"kei", to_string(c.kei)},
         {"kei_missing", c.kei_missing},
         {"road_entry", c.road_entry ? nlohmann::json(c.road_entry->str()) : nlohmann::json(nullptr)},
         {"duty_heading", c.duty_heading.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.duty_heading)},
         {"duty_missing", c.duty_missing},
         {"catalog_price", c.catalog_price},
         {"cost_problem", c.cost_problem.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.cost_problem)},
         {"states_unknown", c.states_unknown},
         {"states_missing", c.states_missing}});
  }
  nlohmann::json states = nlohmann::json::array();
  for (const JurisdictionCoverage& j : a.jurisdictions) {
    nlohmann::json kinds = nlohmann::json::object();
    const char* names[] = {"truck", "van", "car"};
    for (size_t k = 0; k < 3; ++k) {
      const StateRule* r = j.rules[k];
      kinds[names[k]] = r == nullptr ? nlohmann::json(nullptr)
                                     : nlohmann::json{{"status", to_string(r->status)},
                                                      {"confidence", to_string(r->confidence)},
                                                      {"basis", to_string(r->basis)}};
    }
    states.push_back({{"code", j.code}, {"kinds", std::move(kinds)}});
  }
  return stamped(
      "coverage",
      {{"date", a.date.str()}, {"catalog", std::move(catalog)}, {"jurisdictions", std::move(states)}}, base);
}

nlohmann::json to_json(const EligibleInAnswer& a, const RuleBase& base) {
  nlohmann::json list = nlohmann::json::array();
  for (const EligibleGeneration& g : a.generations) {
    list.push_back({{"vehicle", vehicle_json(g.entry->vehicle)},
                    {"first_built", g.first_built.str()},
                    {"last_built", g.last_built.str()},
                    {"first_day", g.first_day.str()},
                    {"last_day", g.last_day.str()},
                    {"pathway", g.pathway}});
  }
  return stamped("eligible_in", {{"month", a.month.str()}, {"generations", std::move(list)}}, base);
}

nlohmann::json to_json(const StatesAnswer& a, const RuleBase& base) {
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i < a.answers.size(); ++i) list.push_back(state_answer_json(a.answers[i], a.roads[i]));
  const StateLaw& law = base.state_law();
  nlohmann::json out = {
      {"date", a.question.date.str()},
      {"vehicle", vehicle_json(a.question.vehicle)},
      {"answers", std::move(list)},
      {"counts", status_counts_json(a.counts)},
      {"confidence_counts",
       {{"high", a.confidence_counts[static_cast<size_t>(Confidence::high)]},
        {"medium", a.confidence_counts[static_cast<size_t>(Confidence::medium)]},
        {"low", a.confidence_counts[static_cast<size_t>(Confidence::low)]},
        {"unstated", a.confidence_counts[static_cast<size_t>(Confidence::unstated)]}}},
      {"secondary_only", a.secondary_only},
      {"data_checked", {{"oldest", law.oldest_check().str()}, {"newest", law.newest_check().str()}}}};
  if (a.road) out["road"] = {{"posted_mph", a.road->posted_mph}, {"class", to_string(a.road->road_class)}};
  return stamped("states", std::move(out), base);
}

nlohmann::json to_json(const ChangesAnswer& a, const RuleBase& base) {
  nlohmann::json list = nlohmann::json::array();
  for (const StateChange& c : a.changes) {
    nlohmann::json item = state_rule_json(*c.rule);
    item["state"] = c.code;
    item["before"] = c.before ? nlohmann::json(to_string(*c.before)) : nlohmann::json(nullptr);
    list.push_back(std::move(item));
  }
  nlohmann::json out = {{"changes", std::move(list)},
                        {"data_checked", base.state_law().newest_check().str()}};
  return stamped("state_changes", std::move(out), base);
}

nlohmann::json catalog_json(const std::vector<const CatalogEntry*>& entries, const RuleBase& base) {
  nlohmann::json list = nlohmann::json::array();
  for (const CatalogEntry* e : entries) list.push_back(catalog_entry_json(*e));
  return stamped("catalog", {{"vehicles", std::move(list)}}, base);
}

}  // namespace keipath::answers
