// `keipath demo`: the main job for now. For every catalog vehicle, the kei verdict under the law in force
// when it was first built and under today's law, and the first day one built in its first month may enter the
// US for road use; then one full kei explanation, the state counts and a landed cost.
#include <fmt/format.h>

#include "cli/commands.hpp"

namespace keipath::cli {
namespace {

// A table cell that never pushes the next column: cut to `width - 1` characters with "..." at the end.
std::string fit(const std::string& text, size_t width) {
  if (text.size() < width) return text;
  size_t cut = width - 4;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 char
  return text.substr(0, cut) + "...";
}

}  // namespace

void add_demo_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<CommonOptions>();
  CLI::App* cmd = app.add_subcommand("demo", "A report of kei verdicts for the catalog, then and now");
  cmd->add_option("--date", options->date, "The 'now' date, YYYY-MM-DD (default: today)");
  cmd->add_option("--data", options->data_dir, "Rule base folder");
  cmd->add_option("--scenario", options->scenario_file, "Scenario file of dated parameter overrides");
  cmd->callback([options, &action] {
    action = [options]() -> Result<int> {
      auto base = load_rule_base(*options);
      if (!base) return std::unexpected(base.error());
      auto now = date_option(*options);
      if (!now) return std::unexpected(now.error());
      const KeiClassRule& rule = (*base)->kei_class();
      fmt::print(
          "keipath demo: is it a kei vehicle, under the law of its first month of production and on {}?\n\n",
          now->str());
      fmt::print("{:<40} {:<9} {:<40} {:<40} {}\n", "vehicle", "first", "verdict then",
                 "verdict on " + now->str(), "US road entry from");
      // Cells are cut to the column ("..." marks a cut); `keipath kei --model ...` gives the whole reason.
      for (const CatalogEntry& e : (*base)->catalog().entries()) {
        const Date first = e.produced_from.first_day();
        const KeiDetermination then = rule.explain(e.vehicle, first);
        const KeiDetermination today = rule.explain(e.vehicle, *now);
        Vehicle built = e.vehicle;
        built.built = e.produced_from;
        const ImportDetermination entry = (*base)->import_pathways().explain(built, *now);
        fmt::print("{:<40} {:<9} {:<40} {:<40} {}\n", fit(e.vehicle.display_name(), 40),
                   e.produced_from.str(), fit(kei_summary(then), 40), fit(kei_summary(today), 40),
                   entry.earliest_road_entry ? entry.earliest_road_entry->str() : "none");
      }
      if (auto acty = (*base)->catalog().lookup("Honda Acty", "HA6")) {
        StateQuestion q;
        q.vehicle = (*acty)->vehicle;
        q.vehicle.built = YearMonth(1999, 6);
        q.date = *now;
        q.kei_model = true;
        const StatusCounts counts = StateRoadRule::count((*base)->state_roads().answer_all(q));
        fmt::print("\nA 1999 Honda Acty in the 50 states and DC on {} (keipath states for each one):",
                   now->str());
        for (int i = 0; i < kRoadStatusCount; ++i)
          fmt::print(" {} {}", to_string(static_cast<RoadStatus>(i)), counts[static_cast<size_t>(i)]);
        fmt::print("\n");
      }
      if (auto sambar = (*base)->catalog().lookup("Sambar Truck", "TT1")) {
        LandedCostQuestion q;
        q.vehicle = (*sambar)->vehicle;
        q.vehicle.built = YearMonth(1999, 6);
        q.entry = *now;
        q.price_jpy = 410'000;
        if (auto c = (*base)->landed_cost().compute(q)) {
          fmt::print(
              "A 1999 Subaru Sambar bought for 410,000 yen, landed at {} on {}: {} (keipath cost for the "
              "breakdown)\n",
              c->port->code, now->str(), c->total.str());
        }
      }
      if (auto carry = (*base)->catalog().lookup("Suzuki Carry", "DA16T")) {
        fmt::print("\nIn full, with every limit, value and citation:\n\n");
        print_kei_text((*carry)->vehicle, rule.explain((*carry)->vehicle, *now));
      }
      fmt::print("\n{}\n", provenance_line(**base));
      return kExitAnswer;
    };
  });
}

}  // namespace keipath::cli
