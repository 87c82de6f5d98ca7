// `keipath catalog`: list and search the kei vehicle catalog.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "keipath/csv.hpp"

namespace keipath::cli {
namespace {

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

void print_csv(const std::vector<const CatalogEntry*>& rows) {
  std::vector<std::string> header;
  for (std::string_view f : vehicle_field_names()) {
    if (f != "built") header.emplace_back(f);
  }
  const size_t vehicle_columns = header.size();
  for (const char* c : {"produced_from", "produced_to", "price_jpy", "fuel_economy", "source", "confidence",
                        "checked", "notes"}) {
    header.emplace_back(c);
  }
  fmt::print("{}\n", fmt::join(header, ","));
  for (const CatalogEntry* e : rows) {
    std::vector<std::string> cells;
    // The catalog's own figures: an assumed value (Vehicle::assumed) is left empty, as in the data file.
    for (size_t i = 0; i < vehicle_columns; ++i)
      cells.push_back(is_assumed(e->vehicle, header[i])
                          ? std::string()
                          : csv_escape(vehicle_field_text(e->vehicle, header[i])));
    cells.push_back(e->produced_from.str());
    cells.push_back(e->produced_to ? e->produced_to->str() : "");
    cells.push_back(e->price_jpy ? std::to_string(*e->price_jpy) : "");
    for (const std::string* s : {&e->fuel_economy, &e->source}) cells.push_back(csv_escape(*s));
    cells.push_back(std::string(to_string(e->confidence)));
    cells.push_back(e->checked.str());
    cells.push_back(csv_escape(e->notes));
    fmt::print("{}\n", fmt::join(cells, ","));
  }
}

void print_text(const std::vector<const CatalogEntry*>& rows) {
  fmt::print("{:<17} {:<24} {:<14} {:<7} {:<17} {:>16} {:>6} {:>6} {:<10}\n", "make", "model", "chassis",
             "body", "produced", "L×W×H mm", "cc", "kW", "confidence");
  for (const CatalogEntry* e : rows) {
    const Vehicle& v = e->vehicle;
    auto num = [](const auto& o) { return o ? fmt::format("{}", *o) : std::string("?"); };
    auto dim = [&](const auto& o, std::string_view field) {
      return (is_assumed(v, field) ? "≤" : "") + num(o);
    };
    const std::string dims = fmt::format("{}×{}×{}", dim(v.length_mm, "length_mm"),
                                         dim(v.width_mm, "width_mm"), dim(v.height_mm, "height_mm"));
    const std::string cc =
        v.engine == EngineKind::electric ? "EV" : dim(v.displacement_cc, "displacement_cc");
    fmt::print("{:<17} {:<24} {:<14} {:<7} {:<17} {:>16} {:>6} {:>6} {:<10}\n", v.make, v.model,
               or_dash(v.chassis), v.body ? to_string(*v.body) : "?", e->production_span(), dims, cc,
               num(v.power_kw), to_string(e->confidence));
  }
  fmt::print(
      "{} vehicle{}; '?' marks a value no source gave, '≤' one assumed at most the kei limit of the month "
      "the generation went on sale\n",
      rows.size(), rows.size() == 1 ? "" : "s");
}

}  // namespace

void add_catalog_command(CLI::App& app, Action& action) {
  struct CatalogOptions {
    CommonOptions common;
    std::string search;
  };
  auto options = std::make_shared<CatalogOptions>();
  CLI::App* cmd = app.add_subcommand("catalog", "List or search the kei vehicle catalog (with sources)");
  cmd->add_option("--search", options->search, "Words that must all appear in make, model or chassis");
  add_common_options(*cmd, options->common, /*tabular=*/true);
  cmd->callback([options, &action] {
    action = [options]() -> Result<int> {
      if (options->common.json && options->common.csv) return fail("--json and --csv: choose one");
      auto base = load_rule_base(options->common);
      if (!base) return std::unexpected(base.error());
      const auto rows = (*base)->catalog().search(options->search);
      if (options->common.json) {
        fmt::print("{}\n", answers::catalog_json(rows, **base).dump(2));
      } else if (options->common.csv) {
        print_csv(rows);
      } else {
        print_text(rows);
        fmt::print("{}\n", provenance_line(**base));
      }
      return kExitAnswer;
    };
  });
}

}  // namespace keipath::cli
