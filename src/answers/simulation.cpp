// /api/simulate: a scenario against a baseline on the fleet model, the same run and serialiser as
// `keipath simulate SCENARIO --baseline --by state` (fleet::run_paired, fleet::tornado,
// fleet::difference_json).
#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>

#include "keipath/answers.hpp"
#include "keipath/fleet.hpp"
#include "keipath/fleet_json.hpp"
#include "keipath/rule_base.hpp"

namespace keipath::answers {
namespace {

// The fleet model of a rule base, bound on first use and kept while the process runs (a rule base never
// moves or goes away while a server holds it).
Result<const fleet::FleetModel*> model_of(const RuleBase& base) {
  static std::mutex mutex;
  static std::map<const RuleBase*, std::unique_ptr<fleet::FleetModel>> models;
  std::lock_guard lock(mutex);
  if (auto it = models.find(&base); it != models.end()) return it->second.get();
  auto tables = fleet::FleetTables::load(base.data_dir());
  if (!tables) return std::unexpected(tables.error());
  auto model = fleet::FleetModel::bind(base.params(), base.crash(), base.state_roads(), base.catalog(),
                                       std::move(*tables));
  if (!model) return std::unexpected(model.error());
  return models.emplace(&base, std::make_unique<fleet::FleetModel>(std::move(*model))).first->second.get();
}

}  // namespace

Result<nlohmann::json> answer_simulation(const RuleBase& scenario, const RuleBase& baseline,
                                         const SimulationRequest& request) {
  auto s = model_of(scenario);
  if (!s) return std::unexpected(s.error());
  auto b = model_of(baseline);
  if (!b) return std::unexpected(b.error());
  fleet::RunOptions o;
  o.draws = request.draws;
  o.seed = request.seed;
  o.threads = request.threads;
  o.by_state = true;
  o.last_year = request.last_year;
  auto paired = fleet::run_paired(**s, **b, o);
  if (!paired) return std::unexpected(paired.error());
  std::vector<int> years;
  for (int y : {2035, 2050})
    if (y <= request.last_year) years.push_back(y);
  auto tornado = fleet::tornado(**s, **b, request.seed, years, request.threads);
  if (!tornado) return std::unexpected(tornado.error());
  const fleet::Provenance p{scenario.scenario_name(), scenario.content_hash(), KEIPATH_VERSION};
  const fleet::Provenance base_p{baseline.scenario_name(), baseline.content_hash(), KEIPATH_VERSION};
  nlohmann::json out;
  out["schema_version"] = 1;
  out["answer"] = "simulation";
  out["provenance"] = provenance_json(scenario);
  out["simulation"] = fleet::difference_json(**s, {&*paired, std::move(*tornado), base_p}, p);
  return out;
}

}  // namespace keipath::answers
