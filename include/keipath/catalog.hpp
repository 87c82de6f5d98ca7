// The kei vehicle catalog (data/vehicles/kei_catalog.csv): one row per model generation, with its source and
// how sure that source is. Columns: every vehicle field except `built` (see vehicle_field_names), then
// produced_from, produced_to (YYYY or YYYY-MM; produced_to empty while in production), price_jpy,
// fuel_economy (text, with its test cycle), source, confidence (high/medium/low), checked (YYYY-MM-DD),
// notes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/params.hpp"
#include "keipath/result.hpp"
#include "keipath/vehicle.hpp"

namespace keipath {

struct CatalogEntry {
  Vehicle vehicle;  // `built` is unset: a catalog row is a generation, not one vehicle
  YearMonth produced_from;
  std::optional<YearMonth> produced_to;  // absent while still in production
  std::optional<long long> price_jpy;
  std::string fuel_economy;
  std::string source;
  Confidence confidence = Confidence::unstated;
  Date checked;
  std::string notes;
  SourceLocation where;

  // "2013-08 to present", "1999-01 to 2002-12".
  std::string production_span() const;
  bool produced_in(YearMonth ym) const;
};

class Catalog {
 public:
  static Result<Catalog> parse(std::string_view csv_text, std::string_view file_label, Date today);
  static Result<Catalog> load(const std::filesystem::path& file, std::string_view file_label, Date today);

  const std::vector<CatalogEntry>& entries() const { return entries_; }
  // Lets the rule base fill each row's missing figures with assumed ones (Vehicle::assumed), once at load.
  template <typename Fill>
  void fill_assumed(Fill fill) {
    for (CatalogEntry& e : entries_) fill(e);
  }

  // Rows whose "make model chassis" contains every word of `text` (case-insensitive). Empty text: all rows.
  std::vector<const CatalogEntry*> search(std::string_view text) const;

  // Rows matching a model name (as search) and, when given, a chassis code (one of the '/'-separated codes,
  // case-insensitive). When several generations match and `built` is given, the one produced that month.
  // Exactly one row, or an error listing the candidates / saying none matched.
  Result<const CatalogEntry*> lookup(std::string_view model, std::string_view chassis,
                                     std::optional<YearMonth> built = std::nullopt) const;

 private:
  std::vector<CatalogEntry> entries_;
  std::vector<std::string> search_text_;  // per entry: "make model chassis", lower case (built once)
};

}  // namespace keipath
