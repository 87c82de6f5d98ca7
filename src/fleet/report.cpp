// A run's files: yearly tables (CSV), one JSON document with provenance, and SVG charts. The SVG is written
// by hand: Debian packages no C++ charting library, and a line with a band needs a few dozen elements.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "keipath/csv.hpp"
#include "keipath/fleet.hpp"
#include "keipath/fleet_json.hpp"

namespace keipath::fleet {
namespace {

Result<void> write_file(const std::filesystem::path& file, const std::string& text, OutputFiles& out) {
  std::ofstream f(file, std::ios::binary);
  f << text;
  f.close();
  if (!f) return fail(fmt::format("{}: cannot be written", file.string()));
  out.written.push_back(file);
  return {};
}

std::string number(double v) {
  return fmt::format("{:.6g}", v);
}

// Round axis steps: 1, 2 or 5 times a power of ten.
double nice_step(double span, int ticks) {
  const double raw = span / ticks;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * p) return m * p;
  return 10 * p;
}

// Values are shown in a readable multiple of the unit ("million vehicles").
std::pair<double, std::string> scale_for(double max, const std::string& unit) {
  if (unit == "share") return {0.01, "%"};
  if (max >= 5e11) return {1e12, "trillion " + unit};
  if (max >= 5e8) return {1e9, "billion " + unit};
  if (max >= 5e5) return {1e6, "million " + unit};
  if (max >= 5e3) return {1e3, "thousand " + unit};
  return {1, unit};
}

std::string escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The differences charted, in order.
constexpr std::array<int, 9> kDifferenceCharted = {kKeiSales,
                                                   kKeiStock,
                                                   kSales,
                                                   kGasoline,
                                                   kCo2,
                                                   kDeaths,
                                                   kDeathsKeiOccupants,
                                                   kDeathsNotInvolvingKei,
                                                   kSpendingPerHousehold};

// The metrics charted, in order.
constexpr std::array<int, 10> kCharted = {
    kStock,  kSales,    kVmt,           kGasoline,   kCo2,
    kDeaths, kKeiStock, kBevShareSales, kAverageAge, kSpendingPerHousehold};

}  // namespace

std::string chart_svg(const FleetModel& model, const FleetRun& run, int metric, const Provenance& p,
                      const std::vector<CalibrationFigure>& calibration, bool difference) {
  const MetricInfo info = metric_info(metric, model.tables());
  const int years = run.years();
  std::vector<Band> bands;
  double hi = 0, lo = 0;
  for (int i = 0; i < years; ++i) {
    bands.push_back(national_band(run, i, metric));
    hi = std::max(hi, bands.back().p95);
    lo = std::min(lo, bands.back().p05);
  }
  std::vector<const CalibrationFigure*> points;
  for (const auto& c : calibration) {
    if (difference) break;  // published figures are levels, not differences
    const bool same = c.id == info.id || (metric == kGasoline && c.id == "fuel") ||
                      c.id == info.id + "_2025" || c.id == info.id + "_2050";
    if (same && c.year >= run.first_year && c.year <= run.last_year && c.unit == info.unit) {
      points.push_back(&c);
      hi = std::max(hi, c.published);
    }
  }
  if (hi <= lo) hi = lo + 1;
  const auto [div, unit_label] = scale_for(std::max(hi, -lo), info.unit);
  const double step = nice_step((hi - lo) / div, 5);
  const double top = std::ceil(hi / div / step) * step, bottom = std::floor(lo / div / step) * step;
  const double W = 720, H = 420, L = 80, R = 20, T = 60, Bm = 50;
  auto x = [&](double year) { return L + (year - run.first_year) / std::max(1, years - 1) * (W - L - R); };
  auto y = [&](double v) { return T + (top - v / div) / (top - bottom) * (H - T - Bm); };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      W, H);
  s += fmt::format("<text x=\"{}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{}{}, {}-{}</text>\n", L,
                   difference ? "Change in: " : "", escape(info.title), run.first_year, run.last_year);
  s += fmt::format(
      "<text x=\"{}\" y=\"40\" fill=\"#444\">{}: {} · {} {}draws (seed {}) · median with 5-95 % "
      "band</text>\n",
      L, difference ? "Scenario minus baseline" : "Scenario", escape(p.scenario), run.draws,
      difference ? "paired " : "", run.seed);
  // Axes and grid.
  for (double v = bottom; v <= top + step / 2; v += step) {
    s += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n", L, W - R,
                     y(v * div), y(v * div));
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", L - 6, y(v * div) + 4,
                     number(v));
  }
  for (int year = (run.first_year + 4) / 5 * 5; year <= run.last_year; year += 5) {
    s += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#999\"/>\n", x(year),
                     H - Bm, H - Bm + 5);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x(year), H - Bm + 18,
                     year);
  }
  s += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#333\"/>\n", L, W - R, H - Bm);
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">year</text>\n", (L + W - R) / 2, H - 12);
  s += fmt::format("<text transform=\"translate(16,{}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                   (T + H - Bm) / 2, escape(unit_label));
  if (difference && bottom < 0 && top > 0)
    s += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#333\"/>\n", L,
                     W - R, y(0));
  // Band, then median.
  std::string band = "<polygon fill=\"#9ecae1\" fill-opacity=\"0.6\" points=\"";
  for (int i = 0; i < years; ++i)
    band += fmt::format("{:.1f},{:.1f} ", x(run.first_year + i), y(bands[static_cast<size_t>(i)].p95));
  for (int i = years - 1; i >= 0; --i)
    band += fmt::format("{:.1f},{:.1f} ", x(run.first_year + i), y(bands[static_cast<size_t>(i)].p05));
  s += band + "\"/>\n<polyline fill=\"none\" stroke=\"#08519c\" stroke-width=\"2\" points=\"";
  for (int i = 0; i < years; ++i)
    s += fmt::format("{:.1f},{:.1f} ", x(run.first_year + i), y(bands[static_cast<size_t>(i)].p50));
  s += "\"/>\n";
  for (const auto* c : points) {
    s += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\"><title>{}: {} ({})</title></circle>\n",
        x(c->year), y(c->published), c->calibrated ? "#d94801" : "#31a354", escape(c->what),
        number(c->published), escape(c->source));
  }
  if (!points.empty())
    s += fmt::format(
        "<text x=\"{}\" y=\"{}\" fill=\"#444\">dots: published figures (orange: calibrated to, green: "
        "checked against)</text>\n",
        L + 8, T - 4);
  s += "</svg>\n";
  return s;
}

namespace {

// One metric's bands by year as JSON (region -1: the nation): its unit and p05, p50, p95, with its title and
// draw 0 ("point") when `full`, to `digits` significant digits (0: as computed).
nlohmann::json series_json(const FleetRun& run, const FleetTables& tables, int region, int metric, bool full,
                           int digits) {
  const MetricInfo info = metric_info(metric, tables);
  auto round = [digits](double v) { return digits > 0 ? std::stod(fmt::format("{:.{}g}", v, digits)) : v; };
  nlohmann::json p05 = nlohmann::json::array(), p50 = nlohmann::json::array(), p95 = nlohmann::json::array(),
                 point = nlohmann::json::array();
  for (int i = 0; i < run.years(); ++i) {
    const Band b = region < 0 ? national_band(run, i, metric) : state_band(run, region, i, metric);
    p05.push_back(round(b.p05));
    p50.push_back(round(b.p50));
    p95.push_back(round(b.p95));
    point.push_back(round(b.point));
  }
  nlohmann::json s = {{"unit", info.unit}, {"p05", p05}, {"p50", p50}, {"p95", p95}};
  if (full) {
    s["title"] = info.title;
    s["point"] = std::move(point);
  }
  return s;
}

// The yearly tables of a run, long form (year, region, metric, unit, p05, p50, p95, point):
// `prefix`_national.csv, and `prefix`_by_state.csv when the run has states.
Result<void> write_tables(const FleetModel& model, const FleetRun& run, const std::string& prefix,
                          const std::filesystem::path& dir, OutputFiles& out) {
  const auto& tables = model.tables();
  const int years = run.years();
  auto rows = [&](std::string& csv, int region, int metrics) {
    const std::string code = region < 0 ? "US" : tables.regions[static_cast<size_t>(region)].code;
    for (int m = 0; m < metrics; ++m) {
      const MetricInfo info = metric_info(m, tables);
      for (int i = 0; i < years; ++i) {
        const Band b = region < 0 ? national_band(run, i, m) : state_band(run, region, i, m);
        csv += fmt::format("{},{},{},{},{},{},{},{}\n", run.first_year + i, code, info.id, info.unit,
                           number(b.p05), number(b.p50), number(b.p95), number(b.point));
      }
    }
  };
  const std::string head = "year,region,metric,unit,p05,p50,p95,point\n";
  std::string csv = head;
  rows(csv, -1, kMetrics);
  if (auto w = write_file(dir / (prefix + "_national.csv"), csv, out); !w) return std::unexpected(w.error());
  if (!run.by_state) return {};
  std::string scsv = head;
  for (size_t r = 0; r < tables.regions.size(); ++r) rows(scsv, static_cast<int>(r), kStateMetrics);
  return write_file(dir / (prefix + "_by_state.csv"), scsv, out);
}

}  // namespace

Result<OutputFiles> write_outputs(const FleetModel& model, const FleetRun& run,
                                  const Calibration& calibration, const Provenance& p,
                                  const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(fmt::format("{}: cannot create the output folder ({})", dir.string(), ec.message()));
  OutputFiles out;
  const auto& tables = model.tables();
  if (auto written = write_tables(model, run, "fleet", dir, out); !written)
    return std::unexpected(written.error());
  nlohmann::json national = nlohmann::json::object(), states = nlohmann::json::object();
  for (int m = 0; m < kMetrics; ++m)
    national[metric_info(m, tables).id] = series_json(run, tables, -1, m, /*full=*/true, /*digits=*/0);
  if (run.by_state)
    for (size_t r = 0; r < tables.regions.size(); ++r)
      for (int m = 0; m < kStateMetrics; ++m)
        states[tables.regions[r].code][metric_info(m, tables).id] =
            series_json(run, tables, static_cast<int>(r), m, /*full=*/false, /*digits=*/0);

  nlohmann::json doc;
  doc["kind"] = "fleet_simulation";
  doc["scenario"] = p.scenario;
  doc["draws"] = run.draws;
  doc["seed"] = run.seed;
  doc["first_year"] = run.first_year;
  doc["last_year"] = run.last_year;
  doc["bands"] =
      "p05, p50 and p95 are the 5th, 50th and 95th percentiles over draws; point is draw 0 (every parameter "
      "at its value)";
  doc["national"] = std::move(national);
  if (run.by_state) doc["states"] = std::move(states);
  nlohmann::json cal = nlohmann::json::array();
  for (const auto& c : calibration.figures)
    cal.push_back({{"id", c.id},
                   {"what", c.what},
                   {"unit", c.unit},
                   {"year", c.year},
                   {"published", c.published},
                   {"modelled", c.modelled},
                   {"tolerance", c.tolerance},
                   {"calibrated", c.calibrated},
                   {"source", c.source}});
  doc["calibration"] = std::move(cal);
  nlohmann::json fitted = nlohmann::json::object();
  for (const auto& [name, v] : calibration.fitted) fitted[name] = v;
  doc["fitted"] = std::move(fitted);
  nlohmann::json params = nlohmann::json::array();
  for (const auto& c : model.citations())
    params.push_back({{"parameter", c.parameter},
                      {"unit", c.unit},
                      {"value", c.value ? nlohmann::json(*c.value) : nlohmann::json()},
                      {"ref", c.ref},
                      {"confidence", std::string(to_string(c.confidence))},
                      {"checked", c.checked.str()},
                      {"scenario", c.origin}});
  doc["parameters"] = std::move(params);
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : tables.files) files.push_back(f.filename().string());
  doc["provenance"] = {{"content_hash", p.content_hash}, {"version", p.version}, {"tables", files}};
  if (auto w = write_file(dir / "fleet.json", doc.dump(1) + "\n", out); !w) return std::unexpected(w.error());

  for (const int m : kCharted) {
    const std::string name = "chart_" + metric_info(m, tables).id + ".svg";
    if (auto w = write_file(dir / name, chart_svg(model, run, m, p, calibration.figures), out); !w)
      return std::unexpected(w.error());
  }
  return out;
}

nlohmann::json difference_json(const FleetModel& model, const DifferenceOutputs& d, const Provenance& p) {
  const FleetRun& diff = d.run->difference;
  const FleetRun& scenario = d.run->scenario;
  const auto& tables = model.tables();
  const int years = diff.years();
  // Six significant digits: the draws are floats, and the document is read by people and pages.
  auto series = [&](const FleetRun& run, int region, int m) {
    return series_json(run, tables, region, m, /*full=*/true, /*digits=*/6);
  };

  nlohmann::json national = nlohmann::json::object();
  for (int m = 0; m < kMetrics; ++m) national[metric_info(m, tables).id] = series(diff, -1, m);
  nlohmann::json tornado = nlohmann::json::array();
  for (const TornadoRow& r : d.tornado)
    tornado.push_back({{"metric", r.metric},
                       {"year", r.year},
                       {"parameter", r.parameter},
                       {"at_point", r.at_point},
                       {"at_low", r.at_low},
                       {"at_high", r.at_high},
                       {"swing", r.swing()}});
  nlohmann::json law = nlohmann::json::array();
  for (const auto& y : model.law_years()) {
    nlohmann::json cars = nlohmann::json::object(), trucks = nlohmann::json::object();
    for (int s = 0; s < kRoadStatusCount; ++s) {
      cars[std::string(to_string(static_cast<RoadStatus>(s)))] = y.car_status[static_cast<size_t>(s)];
      trucks[std::string(to_string(static_cast<RoadStatus>(s)))] = y.truck_status[static_cast<size_t>(s)];
    }
    law.push_back({{"year", y.year},
                   {"pathway", y.pathway},
                   {"bev_only", y.bev_only},
                   {"import_age", y.import_age},
                   {"new_kei_car_states", cars},
                   {"new_kei_truck_states", trucks}});
  }
  nlohmann::json doc;
  doc["kind"] = "fleet_difference";
  doc["scenario"] = p.scenario;
  doc["baseline"] = d.baseline.scenario;
  doc["draws"] = diff.draws;
  doc["seed"] = diff.seed;
  doc["first_year"] = diff.first_year;
  doc["last_year"] = diff.last_year;
  doc["bands"] =
      "scenario minus baseline, draw by draw on the same random numbers (paired draws); p05, p50 and p95 "
      "are percentiles of the paired differences, point is draw 0";
  doc["national"] = std::move(national);
  nlohmann::json kei_access = series(scenario, -1, kKeiAccess);
  doc["kei_access"] = std::move(kei_access);
  if (diff.by_state) {
    nlohmann::json states = nlohmann::json::object(), adoption = nlohmann::json::object();
    for (size_t r = 0; r < tables.regions.size(); ++r) {
      const int region = static_cast<int>(r);
      nlohmann::json one = nlohmann::json::object();
      for (int m = 0; m < kStateMetrics; ++m) one[metric_info(m, tables).id] = series(diff, region, m);
      states[tables.regions[r].code] = std::move(one);
      // Kei vehicles per 1,000 in operation, and kei sales, in the scenario (medians by year).
      nlohmann::json per_1000 = nlohmann::json::array(), sales = nlohmann::json::array();
      for (int i = 0; i < years; ++i) {
        const double stock = state_band(scenario, region, i, kStock).p50;
        const double kei = stock > 0 ? 1000 * state_band(scenario, region, i, kKeiStock).p50 / stock : 0;
        per_1000.push_back(std::stod(fmt::format("{:.4g}", kei)));
        sales.push_back(std::round(state_band(scenario, region, i, kKeiSales).p50));
      }
      adoption[tables.regions[r].code] = {
          {"name", tables.regions[r].name}, {"kei_per_1000_vehicles", per_1000}, {"kei_sales", sales}};
    }
    doc["states"] = std::move(states);
    doc["adoption"] = std::move(adoption);
  }
  doc["tornado"] = std::move(tornado);
  doc["law"] = std::move(law);
  doc["provenance"] = {{"content_hash", p.content_hash},
                       {"baseline_content_hash", d.baseline.content_hash},
                       {"version", p.version}};
  return doc;
}

Result<OutputFiles> write_difference_outputs(const FleetModel& model, const DifferenceOutputs& d,
                                             const Provenance& p, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(fmt::format("{}: cannot create the output folder ({})", dir.string(), ec.message()));
  OutputFiles out;
  const FleetRun& diff = d.run->difference;
  if (auto written = write_tables(model, diff, "difference", dir, out); !written)
    return std::unexpected(written.error());
  std::string csv = "metric,year,parameter,difference_at_point,difference_at_low,difference_at_high,swing\n";
  for (const TornadoRow& r : d.tornado)
    csv += fmt::format("{},{},{},{},{},{},{}\n", r.metric, r.year, r.parameter, number(r.at_point),
                       number(r.at_low), number(r.at_high), number(r.swing()));
  if (!d.tornado.empty())
    if (auto w = write_file(dir / "tornado.csv", csv, out); !w) return std::unexpected(w.error());
  if (auto w = write_file(dir / "difference.json", difference_json(model, d, p).dump(1) + "\n", out); !w)
    return std::unexpected(w.error());
  for (const int m : kDifferenceCharted) {
    const std::string name = "chart_difference_" + metric_info(m, model.tables()).id + ".svg";
    if (auto w = write_file(dir / name, chart_svg(model, diff, m, p, {}, /*difference=*/true), out); !w)
      return std::unexpected(w.error());
  }
  return out;
}

}  // namespace keipath::fleet
