// Loads data/fleet/*.csv: segments, the survival and mileage schedules, the sales and fuel-economy
// histories and the 51 jurisdictions. Every problem in every file is reported at once as file:line.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "keipath/csv.hpp"
#include "keipath/fleet.hpp"
#include "keipath/units.hpp"

namespace keipath::fleet {
namespace {

struct Reader {
  std::filesystem::path dir;
  std::filesystem::path label_root;
  std::vector<std::string> errors;
  std::vector<std::filesystem::path> files;

  std::string label(const std::string& name) const {
    return (dir / name).lexically_relative(label_root).string();
  }
  // The table, or nullopt with the problem recorded; `columns` must all be present.
  std::optional<CsvTable> table(const std::string& name, std::initializer_list<std::string_view> columns) {
    const auto path = dir / name;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      errors.push_back(fmt::format("{}: cannot be read", label(name)));
      return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    files.push_back(path);
    auto t = parse_csv(text.str(), label(name));
    if (!t) {
      errors.push_back(t.error().message);
      return std::nullopt;
    }
    if (auto cols = require_columns(*t, label(name), columns); !cols) {
      errors.push_back(cols.error().message);
      return std::nullopt;
    }
    if (t->rows.empty()) {
      errors.push_back(fmt::format("{}: has no rows", label(name)));
      return std::nullopt;
    }
    return std::move(*t);
  }
  // A numeric cell in `unit`'s range; records the problem and returns nullopt.
  std::optional<double> number(const CsvTable& t, const CsvRow& row, const std::string& file,
                               std::string_view column, std::string_view unit, bool whole = false) {
    const auto& text = row.fields[static_cast<size_t>(t.column(column))];
    auto v = cell_quantity(column, text, unit, whole);
    if (!v) {
      errors.push_back(row_problem(label(file), row.line, v.error().message));
      return std::nullopt;
    }
    return *v;
  }
  void problem(const std::string& file, int line, const std::string& what) {
    errors.push_back(row_problem(label(file), line, what));
  }
};

const std::string& cell(const CsvTable& t, const CsvRow& row, std::string_view column) {
  return row.fields[static_cast<size_t>(t.column(column))];
}

// A schedule file: one row per age 0..kMaxAge, a column per schedule, and a source column.
void read_schedules(Reader& r, const std::string& file, const std::vector<std::string>& names,
                    std::string_view unit, bool falling, std::vector<std::array<double, kAges>>& out) {
  auto t = r.table(file, {"age", "source"});
  if (!t) return;
  for (const auto& n : names) {
    if (t->column(n) < 0)
      r.problem(file, 1, fmt::format("missing column '{}' (a schedule in segments.csv)", n));
  }
  if (static_cast<int>(t->rows.size()) != kAges) {
    r.problem(file, 1, fmt::format("has {} rows; one per age 0 to {} is needed", t->rows.size(), kMaxAge));
    return;
  }
  out.assign(names.size(), {});
  for (int a = 0; a < kAges; ++a) {
    const CsvRow& row = t->rows[static_cast<size_t>(a)];
    auto age = r.number(*t, row, file, "age", "years", true);
    if (age && static_cast<int>(*age) != a)
      r.problem(file, row.line, fmt::format("age {} where {} was expected", *age, a));
    if (cell(*t, row, "source").empty()) r.problem(file, row.line, "source is empty");
    for (size_t s = 0; s < names.size(); ++s) {
      if (t->column(names[s]) < 0) continue;
      auto v = r.number(*t, row, file, names[s], unit);
      if (!v) continue;
      out[s][static_cast<size_t>(a)] = *v;
      // A cohort never grows: survival does not rise with age.
      if (falling && a > 0 && *v > out[s][static_cast<size_t>(a) - 1])
        r.problem(file, row.line,
                  fmt::format("{} is {} at age {}, more than {} at age {} (survival cannot rise with age)",
                              names[s], *v, a, out[s][static_cast<size_t>(a) - 1], a - 1));
    }
  }
}

// road_access.csv: long form, a row per (area, system, what) with value, optional low-high, and source.
void read_road_access(Reader& r, RoadAccessTable& out) {
  const std::string file = "road_access.csv";
  auto t = r.table(file, {"area", "system", "what", "value", "low", "high", "source"});
  if (!t) return;
  static constexpr std::array<std::string_view, RoadAccessTable::kSystems> kSystemIds = {
      "interstate", "other_arterial", "collector", "local"};
  // Which cells were given, to report the missing ones.
  std::array<std::array<std::array<bool, 3 + RoadAccessTable::kCaps.size()>, RoadAccessTable::kSystems>, 2>
      seen{};
  for (const CsvRow& row : t->rows) {
    const std::string& area = cell(*t, row, "area");
    const std::string& system = cell(*t, row, "system");
    const std::string& what = cell(*t, row, "what");
    const int a = area == "urban" ? 0 : area == "rural" ? 1 : -1;
    const auto sys = std::find(kSystemIds.begin(), kSystemIds.end(), system);
    if (a < 0 || sys == kSystemIds.end()) {
      r.problem(file, row.line,
                fmt::format("area '{}' / system '{}' is not urban or rural / one of interstate, "
                            "other_arterial, collector, local",
                            area, system));
      continue;
    }
    RoadAccessTable::System& s =
        out.areas[static_cast<size_t>(a)][static_cast<size_t>(sys - kSystemIds.begin())];
    RoadAccessTable::Share* share = nullptr;
    size_t slot = 0;
    if (what == "vmt_share") {
      share = &s.vmt_share;
    } else if (what == "limited_access") {
      share = &s.limited_access;
      slot = 1;
    } else if (what == "numbered_highway") {
      share = &s.numbered_highway;
      slot = 2;
    } else {
      for (size_t c = 0; c < RoadAccessTable::kCaps.size(); ++c)
        if (what == fmt::format("posted_le_{}", RoadAccessTable::kCaps[c])) {
          share = &s.posted[c];
          slot = 3 + c;
        }
    }
    if (share == nullptr) {
      r.problem(file, row.line,
                fmt::format("what '{}' is not vmt_share, limited_access, numbered_highway or posted_le_N "
                            "(N {})",
                            what, fmt::join(RoadAccessTable::kCaps, ", ")));
      continue;
    }
    auto v = r.number(*t, row, file, "value", "share");
    if (!v) continue;
    share->value = share->low = share->high = *v;
    const bool has_low = !cell(*t, row, "low").empty(), has_high = !cell(*t, row, "high").empty();
    if (has_low != has_high) {
      r.problem(file, row.line, "give both low and high, or neither");
    } else if (has_low) {
      auto lo = r.number(*t, row, file, "low", "share");
      auto hi = r.number(*t, row, file, "high", "share");
      if (!lo || !hi) continue;
      if (!(*lo <= *v && *v <= *hi)) {
        r.problem(file, row.line,
                  fmt::format("the range [{}, {}] does not contain the value {}", *lo, *hi, *v));
        continue;
      }
      share->low = *lo;
      share->high = *hi;
    }
    if (cell(*t, row, "source").empty()) r.problem(file, row.line, "source is empty");
    seen[static_cast<size_t>(a)][static_cast<size_t>(sys - kSystemIds.begin())][slot] = true;
  }
  for (size_t a = 0; a < 2; ++a) {
    double total = 0;
    for (size_t s = 0; s < RoadAccessTable::kSystems; ++s) {
      for (size_t k = 0; k < seen[a][s].size(); ++k)
        if (!seen[a][s][k])
          r.problem(file, 1,
                    fmt::format("{} {}: no row for {}", a == 0 ? "urban" : "rural", kSystemIds[s],
                                k == 0   ? std::string("vmt_share")
                                : k == 1 ? std::string("limited_access")
                                : k == 2 ? std::string("numbered_highway")
                                         : fmt::format("posted_le_{}", RoadAccessTable::kCaps[k - 3])));
      total += out.areas[a][s].vmt_share.value;
      // A road posted at most 25 mph is also posted at most 35: the shares may not fall as the cap rises.
      const auto& p = out.areas[a][s].posted;
      for (size_t c = 1; c < p.size(); ++c)
        if (p[c].value < p[c - 1].value || p[c].low < p[c - 1].low || p[c].high < p[c - 1].high)
          r.problem(file, 1,
                    fmt::format("{} {}: the share posted at most {} mph is below that at most {} mph",
                                a == 0 ? "urban" : "rural", kSystemIds[s], RoadAccessTable::kCaps[c],
                                RoadAccessTable::kCaps[c - 1]));
    }
    if (std::abs(total - 1) > 1e-3) {
      r.problem(
          file, 1,
          fmt::format("{}: the systems' vmt_share add up to {}, not 1", a == 0 ? "urban" : "rural", total));
    } else {
      // Shares rounded in the table: made to add up to one exactly.
      for (auto& sys : out.areas[a]) {
        sys.vmt_share.value /= total;
        sys.vmt_share.low /= total;
        sys.vmt_share.high /= total;
      }
    }
  }
}

}  // namespace

std::string_view powertrain_id(int p) {
  static constexpr std::array<std::string_view, kPowertrains> kIds = {"ice", "hybrid", "bev"};
  return kIds[static_cast<size_t>(p)];
}

int FleetTables::schedule_index(std::string_view name) const {
  const auto it = std::find(schedule_names.begin(), schedule_names.end(), name);
  return it == schedule_names.end() ? -1 : static_cast<int>(it - schedule_names.begin());
}

Result<FleetTables> FleetTables::load(const std::filesystem::path& data_dir) {
  Reader r{data_dir / "fleet", data_dir.parent_path(), {}, {}};
  FleetTables out;

  if (auto t = r.table("segments.csv", {"id", "name", "schedule", "history_group", "kei", "nest",
                                        "representative", "used_representative", "source"})) {
    for (const CsvRow& row : t->rows) {
      Segment s{cell(*t, row, "id"),
                cell(*t, row, "name"),
                cell(*t, row, "schedule"),
                cell(*t, row, "history_group"),
                cell(*t, row, "kei") == "true",
                cell(*t, row, "representative"),
                cell(*t, row, "used_representative"),
                cell(*t, row, "nest")};
      if (s.nest != "car" && s.nest != "truck")
        r.problem("segments.csv", row.line, fmt::format("nest '{}' is not car or truck", s.nest));
      if (s.kei && s.representative.empty())
        r.problem("segments.csv", row.line, "a kei segment names its representative catalog row");
      if (s.id.empty() || s.schedule.empty())
        r.problem("segments.csv", row.line, "id and schedule may not be empty");
      if (s.history_group != "car" && s.history_group != "light_truck" && s.history_group != "none")
        r.problem("segments.csv", row.line,
                  fmt::format("history_group '{}' is not car, light_truck or none", s.history_group));
      if (cell(*t, row, "kei") != "true" && cell(*t, row, "kei") != "false")
        r.problem("segments.csv", row.line, "kei must be true or false");
      if (std::find(out.schedule_names.begin(), out.schedule_names.end(), s.schedule) ==
          out.schedule_names.end())
        out.schedule_names.push_back(s.schedule);
      out.segments.push_back(std::move(s));
    }
    if (static_cast<int>(out.segments.size()) != kSegments)
      r.problem("segments.csv", 1,
                fmt::format("has {} segments; the model has {}", out.segments.size(), kSegments));
  }
  if (!out.schedule_names.empty()) {
    read_schedules(r, "survival.csv", out.schedule_names, "share", /*falling=*/true, out.survival);
    read_schedules(r, "miles_by_age.csv", out.schedule_names, "miles", /*falling=*/false, out.miles_by_age);
    for (size_t s = 0; s < out.survival.size(); ++s) {
      const auto& sv = out.survival[s];
      if (sv[0] != 1.0)
        r.problem("survival.csv", 2,
                  fmt::format("{}: the share left at age 0 must be 1", out.schedule_names[s]));
      for (int a = 1; a < kAges; ++a)
        if (sv[static_cast<size_t>(a)] > sv[static_cast<size_t>(a - 1)])
          r.problem("survival.csv", a + 2,
                    fmt::format("{}: survival rises from age {} to {}", out.schedule_names[s], a - 1, a));
    }
  }

  if (auto t = r.table("sales_history.csv",
                       {"year", "total", "car_share", "hybrid_share", "bev_share", "source"})) {
    for (const CsvRow& row : t->rows) {
      SalesYear y;
      auto year = r.number(*t, row, "sales_history.csv", "year", "count", true);
      auto total = r.number(*t, row, "sales_history.csv", "total", "count");
      auto car = r.number(*t, row, "sales_history.csv", "car_share", "share");
      auto hybrid = r.number(*t, row, "sales_history.csv", "hybrid_share", "share");
      auto bev = r.number(*t, row, "sales_history.csv", "bev_share", "share");
      if (!year || !total || !car || !hybrid || !bev) continue;
      y.year = static_cast<int>(*year);
      y.total = *total;
      y.car_share = *car;
      y.hybrid_share = *hybrid;
      y.bev_share = *bev;
      if (y.hybrid_share + y.bev_share > 1)
        r.problem("sales_history.csv", row.line, "hybrid and bev shares add up to more than 1");
      if (!out.sales_history.empty() && y.year != out.sales_history.back().year + 1)
        r.problem("sales_history.csv", row.line,
                  fmt::format("year {} does not follow {}", y.year, out.sales_history.back().year));
      if (cell(*t, row, "source").empty()) r.problem("sales_history.csv", row.line, "source is empty");
      out.sales_history.push_back(y);
    }
    if (static_cast<int>(out.sales_history.size()) < kAges)
      r.problem("sales_history.csv", 1,
                fmt::format("has {} years; the base year's stock needs {} (ages 0 to {})",
                            out.sales_history.size(), kAges, kMaxAge));
  }

  if (auto t = r.table("mpg_history.csv", {"model_year", "mpg", "source"})) {
    for (const CsvRow& row : t->rows) {
      auto my = r.number(*t, row, "mpg_history.csv", "model_year", "count", true);
      auto mpg = r.number(*t, row, "mpg_history.csv", "mpg", "mpg");
      if (!my || !mpg) continue;
      if (*mpg <= 0) r.problem("mpg_history.csv", row.line, "mpg must be more than 0");
      if (!out.mpg_history.empty() && static_cast<int>(*my) != out.mpg_history.back().model_year + 1)
        r.problem("mpg_history.csv", row.line,
                  fmt::format("model year {} does not follow {}", *my, out.mpg_history.back().model_year));
      out.mpg_history.push_back({static_cast<int>(*my), *mpg});
    }
  }

  if (auto t = r.table("regions.csv", {"code", "name", "vmt_million", "rural_vmt_million", "deaths",
                                       "deaths_vmt_million", "source"})) {
    double vmt_total = 0, deaths_total = 0, deaths_vmt_total = 0;
    std::vector<std::array<double, 3>> raw;
    for (const CsvRow& row : t->rows) {
      auto vmt = r.number(*t, row, "regions.csv", "vmt_million", "miles");
      auto rural = r.number(*t, row, "regions.csv", "rural_vmt_million", "miles");
      auto deaths = r.number(*t, row, "regions.csv", "deaths", "count", true);
      auto dvmt = r.number(*t, row, "regions.csv", "deaths_vmt_million", "miles");
      if (cell(*t, row, "code").size() != 2)
        r.problem("regions.csv", row.line, "code must be a two-letter postal code");
      if (!vmt || !deaths || !dvmt || !rural) continue;
      if (*vmt <= 0 || *dvmt <= 0) {
        r.problem("regions.csv", row.line, "vmt_million must be more than 0");
        continue;
      }
      if (*rural > *vmt) {
        r.problem("regions.csv", row.line, "rural_vmt_million is more than vmt_million");
        continue;
      }
      out.regions.push_back({cell(*t, row, "code"), cell(*t, row, "name"), 0, 1, 1, *rural / *vmt});
      raw.push_back({*vmt, *deaths, *dvmt});
      vmt_total += *vmt;
      deaths_total += *deaths;
      deaths_vmt_total += *dvmt;
    }
    if (out.regions.size() != 51)
      r.problem("regions.csv", 1, fmt::format("has {} jurisdictions; 51 are needed", out.regions.size()));
    // No table of light vehicles by state was found (MV-1 splits only automobiles by state), so a state's
    // share of the stock and of new sales is its share of travel, and its miles per vehicle the national
    // average; its death rate per mile is its own relative to the national.
    for (size_t i = 0; i < out.regions.size() && vmt_total > 0 && deaths_total > 0; ++i) {
      out.regions[i].stock_share = raw[i][0] / vmt_total;
      out.regions[i].death_rate = (raw[i][1] / raw[i][2]) / (deaths_total / deaths_vmt_total);
    }
    // Normalised so that the travel-weighted death rate is the national one (states sum to the US).
    double weighted = 0;
    for (const auto& reg : out.regions) weighted += reg.stock_share * reg.death_rate;
    for (auto& reg : out.regions)
      if (weighted > 0) reg.death_rate /= weighted;
  }

  read_road_access(r, out.road_access);

  if (auto t = r.table("checks.csv", {"id", "what", "metric", "unit", "year", "kind", "published",
                                      "parameter", "tolerance", "source"})) {
    for (const CsvRow& row : t->rows) {
      Check c;
      c.id = cell(*t, row, "id");
      c.what = cell(*t, row, "what");
      c.metric = cell(*t, row, "metric");
      c.unit = cell(*t, row, "unit");
      c.parameter = cell(*t, row, "parameter");
      c.source = cell(*t, row, "source");
      c.where = fmt::format("{}:{}", r.label("checks.csv"), row.line);
      const std::string& kind = cell(*t, row, "kind");
      if (kind != "calibrated" && kind != "checked")
        r.problem("checks.csv", row.line, fmt::format("kind '{}' is not calibrated or checked", kind));
      c.calibrated = kind == "calibrated";
      if (c.calibrated == c.parameter.empty())
        r.problem(
            "checks.csv", row.line,
            "a calibrated figure names its parameter; a checked one gives its published value and source");
      if (!c.calibrated) {
        // Figures in any unit (vehicles, miles, tonnes): a finite number, not below 0.
        const auto v = parse_finite_number(cell(*t, row, "published"));
        if (!v || *v < 0) {
          r.problem("checks.csv", row.line,
                    fmt::format("published: '{}' is not a number of 0 or more", cell(*t, row, "published")));
        } else {
          c.published = *v;
        }
        if (c.source.empty()) r.problem("checks.csv", row.line, "source is empty");
      }
      if (auto y = r.number(*t, row, "checks.csv", "year", "count", true)) c.year = static_cast<int>(*y);
      if (auto tol = r.number(*t, row, "checks.csv", "tolerance", "share")) c.tolerance = *tol;
      out.checks.push_back(std::move(c));
    }
  }

  if (!r.errors.empty()) return fail(fmt::format("{}", fmt::join(r.errors, "\n")));
  out.files = std::move(r.files);
  return out;
}

}  // namespace keipath::fleet
