// The loaded engine: the parameter store (baseline plus an optional scenario), the vehicle catalog, and every
// rule bound to its parameters. Loading fails, with every problem as `file:line: what`, if any file is
// malformed or any rule asks for a parameter the store lacks, so nothing is discovered at run time.
//
// Data layout under data_dir: law/**/*.toml (parameters), except law/us/states/*.toml (one state rule file
// per jurisdiction, see us_states.hpp); vehicles/kei_catalog.csv.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "keipath/catalog.hpp"
#include "keipath/crash.hpp"
#include "keipath/kei_class.hpp"
#include "keipath/landed_cost.hpp"
#include "keipath/ownership.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"
#include "keipath/scenario.hpp"
#include "keipath/us_duties.hpp"
#include "keipath/us_import.hpp"
#include "keipath/us_states.hpp"

namespace keipath {

struct RuleBaseOptions {
  std::filesystem::path data_dir;
  std::optional<std::filesystem::path> scenario_file;
  Date today = Date::today();  // bounds build dates in the catalog
};

class RuleBase {
 public:
  // Returned by pointer: the bound rules point into the store, so a RuleBase never moves.
  static Result<std::unique_ptr<const RuleBase>> load(const RuleBaseOptions& options);

  const ParamStore& params() const { return params_; }
  const Catalog& catalog() const { return catalog_; }
  const KeiClassRule& kei_class() const { return *kei_class_; }
  const StateLaw& state_law() const { return state_law_; }
  const StateRoadRule& state_roads() const { return *state_roads_; }
  const ImportRule& import_pathways() const { return *import_; }
  const DutyRule& duties() const { return *duties_; }
  const LandedCostModel& landed_cost() const { return *landed_cost_; }
  const OwnershipModel& ownership() const { return *ownership_; }
  const CrashRule& crash() const { return *crash_; }
  // Fingerprint of every file read (rule base, catalog, scenario): printed with every answer.
  const std::string& content_hash() const { return content_hash_; }
  // "baseline", or the scenario's name.
  std::string scenario_name() const;
  // The data folder it was loaded from (the fleet model's tables are under it, in fleet/).
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  RuleBase() = default;
  ParamStore params_;
  Catalog catalog_;
  std::optional<KeiClassRule> kei_class_;
  StateLaw state_law_;
  std::optional<StateRoadRule> state_roads_;
  std::optional<ImportRule> import_;
  std::optional<DutyRule> duties_;  // the landed-cost model points at it
  std::optional<LandedCostModel> landed_cost_;
  std::optional<OwnershipModel> ownership_;
  std::optional<CrashRule> crash_;
  std::string content_hash_;
  std::filesystem::path data_dir_;
};

}  // namespace keipath
