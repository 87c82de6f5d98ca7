// The batch header: which input columns keipath reads (by name or a common alias), and the answer columns it
// adds.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "batch/internal.hpp"
#include "keipath/csv.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"
#include "keipath/us_states.hpp"

namespace keipath::batch {
namespace {

struct Input {
  Role role;
  std::string_view field;  // the vehicle field, for Role::field; else the input's own name
  std::vector<std::string_view> aliases;
};

// Each input with the names people's spreadsheets give it. A vehicle field is also accepted under its own
// name (vehicle_field_names), which comes first.
const std::vector<Input>& inputs() {
  static const std::vector<Input> kInputs = {
      {Role::model, "model", {"model_name", "vehicle", "vehicle_model"}},
      {Role::chassis, "chassis", {"chassis_code", "model_code", "type_code", "katashiki"}},
      {Role::frame, "frame", {"frame_number", "frame_no", "chassis_number", "chassis_no"}},
      {Role::field, "make", {"maker", "manufacturer", "brand"}},
      {Role::field, "body", {"body_type", "body_style"}},
      {Role::field,
       "built",
       {"build_month", "built_month", "build_date", "manufactured", "production_month",
        "date_of_manufacture"}},
      {Role::field, "length_mm", {"length", "overall_length_mm"}},
      {Role::field, "width_mm", {"width", "overall_width_mm"}},
      {Role::field, "height_mm", {"height", "overall_height_mm"}},
      {Role::field, "wheelbase_mm", {"wheelbase"}},
      {Role::field, "track_front_mm", {"front_track_mm"}},
      {Role::field, "track_rear_mm", {"rear_track_mm"}},
      {Role::field, "engine", {"engine_kind", "engine_type"}},
      {Role::field, "displacement_cc", {"displacement", "engine_cc", "cc"}},
      {Role::field, "power_kw", {"power", "kw", "max_power_kw"}},
      {Role::field, "curb_mass_kg", {"curb_mass", "curb_weight_kg", "curb_weight", "weight_kg", "mass_kg"}},
      {Role::field, "gross_mass_kg", {"gross_mass", "gvw_kg", "gvwr_kg", "gross_weight_kg"}},
      {Role::field, "seats", {"seating", "seating_capacity"}},
      {Role::field, "payload_kg", {"payload", "max_load_kg", "load_capacity_kg"}},
      {Role::field, "powertrain", {}},
      {Role::field, "drive", {"drivetrain", "drive_type"}},
      {Role::field, "steering", {"steering_side"}},
      {Role::field, "top_speed_kmh", {"top_speed", "max_speed_kmh"}},
      {Role::date, "date", {"as_of", "judged_on"}},
      {Role::state, "state", {"state_code", "us_state", "registration_state"}},
      {Role::price_jpy, "price_jpy", {"price_yen", "price", "yen", "jpy", "auction_price_jpy"}},
      {Role::entered_as, "entered_as", {"us_entry", "entry_as"}},
      {Role::registered_on, "registered_on", {"first_registered", "registration_date"}},
      {Role::governor_mph, "governor_mph", {"governed_mph", "governor"}},
  };
  return kInputs;
}

}  // namespace

std::string normalize_column(std::string_view header) {
  std::string out;
  for (unsigned char c : header) {
    char mapped = 0;
    if (c >= 'A' && c <= 'Z') {
      mapped = static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      mapped = static_cast<char>(c);
    } else if (c == ' ' || c == '-' || c == '_' || c == '.' || c == '(' || c == ')' || c == '[' || c == ']' ||
               c == '/' || c == '\t') {
      mapped = '_';
    } else {
      mapped = static_cast<char>(c);  // other bytes (UTF-8) are kept as they are
    }
    if (mapped == '_' && (out.empty() || out.back() == '_')) continue;
    out += mapped;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> accepted_columns() {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const Input& in : inputs()) {
    std::vector<std::string> names = {std::string(in.field)};
    for (std::string_view a : in.aliases) names.emplace_back(a);
    out.emplace_back(std::string(in.field), std::move(names));
  }
  return out;
}

Result<std::vector<ColumnRole>> column_roles(const std::vector<std::string>& header, std::string_view label) {
  std::map<std::string, const Input*> by_name;
  for (const Input& in : inputs()) {
    by_name.emplace(std::string(in.field), &in);
    for (std::string_view a : in.aliases) by_name.emplace(std::string(a), &in);
  }
  std::vector<std::string> problems;
  std::vector<ColumnRole> roles;
  std::map<const Input*, std::string> taken;  // input -> the header that names it
  std::map<std::string, int> seen;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i];
    if (name.find_first_not_of(" \t") == std::string::npos) {
      problems.push_back(row_problem(label, 1, fmt::format("column {} has no name", i + 1)));
      continue;
    }
    const std::string key = normalize_column(name);
    if (auto [it, fresh] = seen.emplace(key, static_cast<int>(i)); !fresh) {
      problems.push_back(row_problem(label, 1,
                                     fmt::format("column {} '{}' repeats column {} '{}'", i + 1, name,
                                                 it->second + 1, header[static_cast<size_t>(it->second)])));
      continue;
    }
    auto found = by_name.find(key);
    if (found == by_name.end()) continue;  // not an input: passed through
    const Input* in = found->second;
    if (auto [it, fresh] = taken.emplace(in, name); !fresh) {
      problems.push_back(row_problem(
          label, 1,
          fmt::format("columns '{}' and '{}' both give {}; keep one", it->second, name, in->field)));
      continue;
    }
    roles.push_back(ColumnRole{static_cast<int>(i), in->role,
                               in->role == Role::field ? std::string(in->field) : std::string(), name});
  }
  if (!problems.empty()) return fail(fmt::format("{}", fmt::join(problems, "\n")));
  return roles;
}

std::vector<std::string> answer_column_names(uint8_t asks, bool one_state) {
  std::vector<std::string> out;
  auto has = [&](Ask a) { return (asks & (1u << static_cast<int>(a))) != 0; };
  if (has(Ask::kei)) out.insert(out.end(), {"kei", "kei_failed", "kei_missing"});
  if (has(Ask::entry)) out.insert(out.end(), {"entry_earliest", "entry_pathway", "entry_eligible"});
  if (has(Ask::duty)) out.insert(out.end(), {"duty_heading", "duty_percent", "duty_unsettled_percent"});
  if (has(Ask::landed))
    out.insert(out.end(), {"landed_price_jpy", "landed_price_source", "landed_usd", "landed_high_usd"});
  if (has(Ask::states)) {
    if (one_state) {
      out.insert(out.end(), {"state_status", "state_road_use", "state_limits", "state_confidence"});
    } else {
      for (const JurisdictionName& j : us_jurisdictions()) out.push_back(fmt::format("state_{}", j.code));
    }
  }
  out.emplace_back("warnings");
  return out;
}

}  // namespace keipath::batch
