// Reading the data-driven case files (tests/cases/**): dates and the vehicle a case describes.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <string>

#include "keipath/vehicle.hpp"
#include "test_support.hpp"

namespace keipath::testing {

inline Date toml_date(const toml::node& n) {
  const toml::date d = *n.value<toml::date>();
  return *Date::parse(fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day));
}

// The case's vehicle: the catalog row named by `catalog = { model, chassis }` if any, then the fields of
// `vehicle = { ... }` over it. Sets `from_catalog` when a catalog row was used.
inline Vehicle case_vehicle(const toml::table& t, const std::string& file, int line,
                            bool* from_catalog = nullptr) {
  Vehicle v;
  if (const auto* cat = t["catalog"].as_table()) {
    auto e = bundled().catalog().lookup((*cat)["model"].value_or(std::string()),
                                        (*cat)["chassis"].value_or(std::string()));
    EXPECT_TRUE(e) << file << ":" << line << ": " << (e ? "" : e.error().message);
    if (e) v = (*e)->vehicle;
    if (from_catalog != nullptr) *from_catalog = true;
  }
  if (const auto* fields = t["vehicle"].as_table()) {
    for (const auto& [key, value] : *fields) {
      std::string text;
      if (auto s = value.value<std::string>()) {
        text = *s;
      } else if (auto n = value.value<double>()) {
        text = fmt::format("{}", *n);
      }
      auto set = set_vehicle_field(v, key.str(), text);
      EXPECT_TRUE(set) << file << ":" << line << ": " << (set ? "" : set.error().message);
    }
  }
  return v;
}

}  // namespace keipath::testing
