#include "keipath/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include "keipath/csv.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath {
namespace {

std::string lower(std::string_view s) {
  return lower_ascii(s);
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{lower(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// "2013" means the year's first (or, for an end, last) month; "2013-08" is exact.
Result<YearMonth> parse_production_month(std::string_view text, bool is_end) {
  if (text.size() == 4) {
    // Every character a digit: "20x5" is not the year 20.
    int year = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + 4, year);
    if (ec != std::errc{} || end != text.data() + 4 || text.front() == '-')
      return fail(fmt::format("'{}' is not a year (YYYY) or a month (YYYY-MM)", text));
    return YearMonth(year, is_end ? 12u : 1u);
  }
  return YearMonth::parse(text);
}

constexpr std::string_view kExtraColumns[] = {"produced_from", "produced_to", "price_jpy", "fuel_economy",
                                              "source",        "confidence",  "checked",   "notes"};

}  // namespace

std::string CatalogEntry::production_span() const {
  return fmt::format("{} to {}", produced_from.str(), produced_to ? produced_to->str() : "present");
}

bool CatalogEntry::produced_in(YearMonth ym) const {
  return ym >= produced_from && (!produced_to || ym <= *produced_to);
}

Result<Catalog> Catalog::parse(std::string_view csv_text, std::string_view file_label, Date today) {
  auto table = parse_csv(csv_text, file_label);
  if (!table) return std::unexpected(table.error());

  std::vector<std::string> expected;
  for (std::string_view f : vehicle_field_names()) {
    if (f != "built") expected.emplace_back(f);
  }
  for (std::string_view c : kExtraColumns) expected.emplace_back(c);
  if (table->header != expected) {
    return fail(fmt::format("{}:1: header must be exactly: {}", file_label, fmt::join(expected, ",")));
  }

  Catalog catalog;
  std::vector<std::string> problems;
  for (const CsvRow& row : table->rows) {
    CatalogEntry e;
    e.where = SourceLocation{std::string(file_label), row.line};
    std::vector<std::string> row_problems;
    auto cell = [&](std::string_view name) -> const std::string& { return row.fields[table->column(name)]; };
    for (std::string_view f : vehicle_field_names()) {
      if (f == "built") continue;
      if (auto set = set_vehicle_field(e.vehicle, f, cell(f)); !set)
        row_problems.push_back(set.error().message);
    }
    if (auto from = parse_production_month(cell("produced_from"), false)) {
      e.produced_from = *from;
    } else {
      row_problems.push_back(fmt::format("produced_from: {}", from.error().message));
    }
    if (!cell("produced_to").empty()) {
      if (auto to = parse_production_month(cell("produced_to"), true)) {
        e.produced_to = *to;
      } else {
        row_problems.push_back(fmt::format("produced_to: {}", to.error().message));
      }
    }
    if (!cell("price_jpy").empty()) {
      long long price = 0;
      const std::string& t = cell("price_jpy");
      const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), price);
      if (ec != std::errc{} || end != t.data() + t.size() || price <= 0 ||
          !check_quantity(static_cast<double>(price), "JPY")) {
        row_problems.push_back(fmt::format("price_jpy: '{}' is not a price in whole yen", t));
      } else {
        e.price_jpy = price;
      }
    }
    e.fuel_economy = cell("fuel_economy");
    e.source = cell("source");
    if (e.source.empty()) row_problems.push_back("source: missing (every row needs its source)");
    if (auto conf = parse_confidence(cell("confidence"))) {
      e.confidence = *conf;
    } else {
      row_problems.push_back(fmt::format("confidence: {}", conf.error().message));
    }
    if (auto checked = Date::parse(cell("checked"))) {
      e.checked = *checked;
    } else {
      row_problems.push_back(fmt::format("checked: {}", checked.error().message));
    }
    e.notes = cell("notes");
    if (auto valid = validate_vehicle(e.vehicle, today); !valid)
      row_problems.push_back(valid.error().message);
    if (e.produced_to && *e.produced_to < e.produced_from) {
      row_problems.push_back(fmt::format("produced_to: {} is before produced_from {}", e.produced_to->str(),
                                         e.produced_from.str()));
    }
    for (const auto& p : row_problems) {
      // A validation message may hold several lines; give each its own file:line prefix.
      std::istringstream lines{p};
      for (std::string line; std::getline(lines, line);)
        problems.push_back(fmt::format("{}: {}", e.where.str(), line));
    }
    catalog.search_text_.push_back(
        lower(fmt::format("{} {} {}", e.vehicle.make, e.vehicle.model, e.vehicle.chassis)));
    catalog.entries_.push_back(std::move(e));
  }
  if (!problems.empty()) return fail(fmt::format("{}", fmt::join(problems, "\n")));
  return catalog;
}

Result<Catalog> Catalog::load(const std::filesystem::path& file, std::string_view file_label, Date today) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(fmt::format("{}: cannot open the catalog", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), file_label, today);
}

std::vector<const CatalogEntry*> Catalog::search(std::string_view text) const {
  const std::vector<std::string> wanted = words(text);
  std::vector<const CatalogEntry*> out;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const std::string& hay = search_text_[i];
    if (std::all_of(wanted.begin(), wanted.end(),
                    [&](const std::string& w) { return hay.find(w) != std::string::npos; })) {
      out.push_back(&entries_[i]);
    }
  }
  return out;
}

Result<const CatalogEntry*> Catalog::lookup(std::string_view model, std::string_view chassis,
                                            std::optional<YearMonth> built) const {
  std::vector<const CatalogEntry*> found = search(model);
  if (!chassis.empty()) {
    const std::string want = lower(chassis);
    std::erase_if(found, [&](const CatalogEntry* e) {
      // One code of the row ("HA7" of "HA6/HA7"), or the row's whole chassis text as the catalog lists it.
      if (lower(e->vehicle.chassis) == want) return false;
      std::istringstream codes{lower(e->vehicle.chassis)};
      for (std::string code; std::getline(codes, code, '/');) {
        if (code == want) return false;
      }
      return true;
    });
  }
  const std::string asked = chassis.empty() ? fmt::format("'{}'", model)
                            : model.empty() ? fmt::format("chassis '{}'", chassis)
                                            : fmt::format("'{}' chassis '{}'", model, chassis);
  auto names = [](const std::vector<const CatalogEntry*>& entries) {
    std::vector<std::string> out;
    for (const auto* e : entries)
      out.push_back(fmt::format("{} ({})", e->vehicle.display_name(), e->production_span()));
    return fmt::format("{}", fmt::join(out, "; "));
  };
  if (built && found.size() > 1) {
    std::vector<const CatalogEntry*> produced;
    for (const auto* e : found)
      if (e->produced_in(*built)) produced.push_back(e);
    if (produced.empty()) {
      // --built was given and picks none of them: suggesting --built again would go round in circles.
      return fail(fmt::format(
          "vehicle.built: none of the {} catalog vehicles matching {} was built in {}: {}; check the build "
          "month, or give the chassis to pick one",
          found.size(), asked, built->str(), names(found)));
    }
    found = std::move(produced);
  }
  if (found.empty()) {
    return fail(
        fmt::format("no catalog vehicle matches {} (search the catalog: `keipath catalog --search WORDS`, or "
                    "/api/catalog?search=WORDS)",
                    asked));
  }
  if (found.size() > 1) {
    const std::string_view give = !chassis.empty() ? (built ? "the model" : "the model (or the build month)")
                                  : built          ? "the chassis"
                                                   : "the chassis (or the build month)";
    return fail(fmt::format("vehicle.chassis: {} matches {} catalog vehicles; give {} to pick one: {}", asked,
                            found.size(), give, names(found)));
  }
  return found.front();
}

}  // namespace keipath
