// The JSON document of a scenario against its baseline: one serialiser for `keipath simulate SCENARIO
// --baseline` (difference.json, and --json) and the API's /api/simulate.
#pragma once

#include <nlohmann/json.hpp>

#include "keipath/fleet.hpp"

namespace keipath::fleet {

// kind, scenario, baseline, draws, seed, years, the national differences (and by state when the run has
// states) as bands by year, each state's kei adoption in the scenario, the tornado, the law each year read
// and the provenance of both rule bases.
nlohmann::json difference_json(const FleetModel& model, const DifferenceOutputs& d, const Provenance& p);

}  // namespace keipath::fleet
