// The endpoint table (api.hpp): parameters, their checks, the answer each endpoint gives, and the OpenAPI
// document written from the same table.
#include "server/api.hpp"

#include <fmt/format.h>

#include <thread>

#include "keipath/units.hpp"

namespace keipath::server {
namespace {

// The schemas, compiled in from src/server/schemas.json (see CMakeLists.txt).
constexpr std::string_view kSchemas =
#include "schemas.inc"
    ;

// The safety simulation is bounded for the API (one request must not hold a worker for long); the CLI
// allows more.
constexpr answers::NumberSpec kApiDraws{1, 200, false, true};
constexpr answers::NumberSpec kApiSamples{1'000, 200'000, false, true};
constexpr answers::NumberSpec kApiSimulationDraws{1, 500, false, true};

std::vector<Param> vehicle_params() {
  std::vector<Param> out;
  for (std::string_view f : vehicle_field_names()) {
    Param p{std::string(f), Kind::vehicle, std::nullopt, "", {}, false};
    if (f == "model") {
      p.help = "Catalog model, e.g. \"Suzuki Carry\" or \"Sakura\" (see /api/catalog)";
    } else if (f == "chassis") {
      p.help = "Catalog chassis code, e.g. DA16T (picks a generation when a model has several)";
    } else if (f == "built") {
      p.help = "Build month, YYYY-MM";
    } else {
      p.help = fmt::format("Vehicle {} (replaces the catalog's value)", f);
    }
    if (auto r = vehicle_field_range(f)) p.range = answers::NumberSpec{r->min, r->max, false, r->whole};
    out.push_back(std::move(p));
  }
  return out;
}

Param date_param(std::string help = "The law of this date, YYYY-MM-DD (default: today)") {
  return {"date", Kind::date, std::nullopt, std::move(help), {}, false};
}

std::vector<Param> with(std::vector<Param> a, const std::vector<Param>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<Param> state_question_params() {
  return {
      {"entered_as",
       Kind::text,
       std::nullopt,
       "How it entered the US (default: road if old enough for the age exemption, else off_road)",
       {"road", "off_road", "lsv", "small_class"},
       false},
      {"registered_on",
       Kind::date,
       std::nullopt,
       "When it was first registered in the state, YYYY-MM-DD (grandfather clauses)",
       {},
       false},
  };
}

std::vector<Param> cost_params(bool price_required) {
  return {
      {"price_jpy",
       Kind::number,
       answers::kPriceJpy,
       price_required ? "Purchase (auction hammer) price in yen"
                      : "Purchase price in yen (default: the catalog's typical price)",
       {},
       price_required},
      {"price_includes_tax",
       Kind::flag,
       std::nullopt,
       "The price includes Japan's consumption tax; it is netted out for export",
       {},
       false},
      {"jpy_per_usd",
       Kind::number,
       answers::kJpyPerUsd,
       "Exchange rate (default: the dated default)",
       {},
       false},
      {"freight", Kind::text, std::nullopt, "Shipping mode (default roro)", {"roro", "container"}, false},
      {"port", Kind::text, std::nullopt, "US port of entry, UN/LOCODE (default USLAX)", {}, false},
      {"inland_miles", Kind::number, answers::kInlandMiles, "Truck delivery from the port, miles", {}, false},
      {"agent_commission_dutiable",
       Kind::flag,
       std::nullopt,
       "The agent acted for the seller: the commission is part of customs value",
       {},
       false},
      {"heading", Kind::text, std::nullopt, "Tariff heading where the rulings leave it open", {}, false},
      {"set",
       Kind::list,
       std::nullopt,
       "Overrides of default cost lines, ID=AMOUNT (yen for Japan-side lines, dollars for the others)",
       {},
       false},
      {"years",
       Kind::number,
       answers::kYears,
       price_required ? "Also the cost of owning it for N years" : "Years of ownership (default 5)",
       {},
       false},
      {"miles_per_year", Kind::number, answers::kMilesPerYear, "Miles a year (default 15,000)", {}, false},
      {"km_per_l",
       Kind::number,
       answers::kKmPerL,
       "Japanese rated fuel economy, km/L (with cycle)",
       {},
       false},
      {"cycle", Kind::text, std::nullopt, "Test cycle of km_per_l", {"wltc", "jc08", "10-15"}, false},
      {"mpg", Kind::number, answers::kMpg, "On-road US mpg", {}, false},
      {"wh_per_km", Kind::number, answers::kWhPerKm, "EV consumption on WLTC, Wh/km", {}, false},
      {"insurance_usd",
       Kind::number,
       answers::kInsuranceUsd,
       "Insurance a year for the kei vehicle",
       {},
       false},
      {"depreciation_percent",
       Kind::number,
       answers::kDepreciationPercent,
       "Value the kei vehicle loses a year, percent",
       {},
       false},
      {"registration_usd",
       Kind::number,
       answers::kRegistrationUsd,
       "Registration and fees a year",
       {},
       false},
      {"compare", Kind::list, std::nullopt, "Reference vehicles to compare (ids; default all)", {}, false},
  };
}

void fill_cost(const Inputs& in, answers::CostRequest& r) {
  if (auto v = in.number("price_jpy")) r.price_jpy = static_cast<int64_t>(*v);
  r.price_includes_tax = in.flag("price_includes_tax");
  r.jpy_per_usd = in.number("jpy_per_usd");
  r.freight = in.text("freight", "roro");
  r.port = in.text("port", "USLAX");
  r.inland_miles = static_cast<int>(in.number("inland_miles").value_or(0));
  r.agent_commission_dutiable = in.flag("agent_commission_dutiable");
  r.heading = in.text("heading");
  r.set = in.list("set");
  if (auto v = in.number("years")) r.years = static_cast<int>(*v);
  if (auto v = in.number("miles_per_year")) r.miles_per_year = static_cast<int>(*v);
  r.km_per_l = in.number("km_per_l");
  r.cycle = in.text("cycle");
  r.mpg = in.number("mpg");
  r.wh_per_km = in.number("wh_per_km");
  r.insurance_usd = in.number("insurance_usd");
  r.depreciation_percent = in.number("depreciation_percent");
  r.registration_usd = in.number("registration_usd");
  r.compare = in.list("compare");
}

template <typename A>
Result<nlohmann::json> as_json(const Result<A>& a, const RuleBase& base) {
  if (!a) return std::unexpected(a.error());
  return answers::to_json(*a, base);
}

Result<nlohmann::json> health(const RuleBase& base, const Inputs&) {
  return answers::stamped("health", {{"status", "ok"}}, base);
}

Result<nlohmann::json> catalog(const RuleBase& base, const Inputs& in) {
  return answers::catalog_json(base.catalog().search(in.text("search")), base);
}

Result<nlohmann::json> kei(const RuleBase& base, const Inputs& in) {
  return as_json(answers::answer_kei(base, in.vehicle(), in.date_or_today()), base);
}

Result<nlohmann::json> import(const RuleBase& base, const Inputs& in) {
  return as_json(answers::answer_import(base, in.vehicle(), in.date_or_today()), base);
}

Result<nlohmann::json> states(const RuleBase& base, const Inputs& in) {
  answers::StatesRequest r;
  r.date = in.date_or_today();
  r.vehicle = in.vehicle();
  r.state = in.text("state");
  r.entered_as = in.text("entered_as");
  r.registered_on = in.date("registered_on");
  if (auto g = in.number("governor_mph")) r.governor_mph = static_cast<int>(*g);
  if (auto speed = in.number("road_speed")) {
    Road road{static_cast<int>(*speed), RoadClass::local};
    if (in.has("road_class")) {
      auto c = parse_road_class(in.text("road_class"));
      if (!c) return fail(fmt::format("road_class: {}", c.error().message));
      road.road_class = *c;
    }
    r.road = road;
  } else if (in.has("road_class")) {
    return fail("road_class: needs road_speed (the road's posted limit in mph)");
  }
  return as_json(answers::answer_states(base, r), base);
}

Result<nlohmann::json> changes(const RuleBase& base, const Inputs& in) {
  return as_json(answers::answer_changes(base, in.text("state")), base);
}

Result<nlohmann::json> cost(const RuleBase& base, const Inputs& in) {
  answers::CostRequest r;
  r.vehicle = in.vehicle();
  r.entry = in.date_or_today();
  fill_cost(in, r);
  return as_json(answers::answer_cost(base, r), base);
}

// seed=: into `seed` (unchanged when not given).
Result<void> seed_of(const Inputs& in, uint64_t& seed) {
  if (!in.has("seed")) return {};
  auto s = answers::parse_seed(in.text("seed"), "seed");
  if (!s) return std::unexpected(s.error());
  seed = *s;
  return {};
}

// Up to a second of one core: the server keeps the answer for the next time it is asked.
Result<nlohmann::json> safety(const RuleBase& base, const Inputs& in) {
  answers::SafetyRequest r;
  r.vehicle = in.vehicle();
  r.date = in.date_or_today();
  r.partner = in.text("partner", "ford_f150");
  r.draws = static_cast<int>(in.number("draws").value_or(100));
  r.samples = static_cast<int64_t>(in.number("samples").value_or(200'000));
  if (auto ok = seed_of(in, r.seed); !ok) return std::unexpected(ok.error());
  r.threads = 1;  // the server's worker pool is the parallelism (and answers are cached: server.cpp)
  return as_json(answers::answer_safety(base, r), base);
}

Result<nlohmann::json> simulate(const RuleBase& scenario, const RuleBase& baseline, const Inputs& in) {
  if (!in.has("scenario"))
    return fail("scenario: name the scenario to compare with the server's rule base (see /api/health)");
  answers::SimulationRequest r;
  r.draws = static_cast<int>(in.number("draws").value_or(200));
  if (auto ok = seed_of(in, r.seed); !ok) return std::unexpected(ok.error());
  // One request's draws on every core: the answer is cached, so it is paid once per scenario and seed.
  r.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return answers::answer_simulation(scenario, baseline, r);
}

Result<nlohmann::json> check(const RuleBase& base, const Inputs& in) {
  answers::CheckRequest r;
  r.vehicle = in.vehicle();
  r.date = in.date_or_today();
  r.state = in.text("state");
  r.entered_as = in.text("entered_as");
  r.registered_on = in.date("registered_on");
  fill_cost(in, r.cost);
  return as_json(answers::answer_check(base, r), base);
}

std::vector<Endpoint> make_endpoints() {
  const std::vector<Param> vehicle = with(vehicle_params(), {date_param()});
  const Param state_one{"state",      Kind::text,
                        std::nullopt, "One jurisdiction, e.g. OH (default: all 50 states and DC)",
                        {},           false};
  std::vector<Endpoint> out;
  out.push_back(
      {"/api/health", "Is the server up, and on which rule base?", "", "Health", {}, health, false});
  out.push_back({"/api/catalog",
                 "Search the catalog of kei vehicles",
                 "Every catalog row whose make, model or chassis contains all the words; no search: all.",
                 "Catalog",
                 {{"search", Kind::text, std::nullopt, "Words to look for, e.g. carry", {}, false}},
                 catalog});
  out.push_back(
      {"/api/kei", "Is a vehicle a kei vehicle under Japanese law on a date?",
       "Each limit (length, width, height, displacement, power, seats...) checked with its citation.", "Kei",
       vehicle, kei});
  out.push_back(
      {"/api/import", "May a vehicle enter the US, by which pathway, from which day?",
       "Every federal pathway (25-year exemption, EPA exclusion, off-road, LSV, ...) with its status.",
       "Import", vehicle, import});
  out.push_back(
      {"/api/states",
       "May a vehicle be titled, registered and driven in each state on a date, on which roads?",
       "One state, or all 50 and DC; each answer with its statute, sources and confidence.", "States",
       with(with(vehicle, {state_one}),
            with(state_question_params(), {{"governor_mph",
                                            Kind::number,
                                            answers::kGovernorMph,
                                            "Speed its governor holds it to, mph",
                                            {},
                                            false},
                                           {"road_speed",
                                            Kind::number,
                                            answers::kPostedMph,
                                            "Check one road: its posted limit, mph",
                                            {},
                                            false},
                                           {"road_class",
                                            Kind::text,
                                            std::nullopt,
                                            "The road's class (with road_speed; default local)",
                                            {"interstate", "limited_access", "divided", "highway", "local"},
                                            false}})),
       states});
  out.push_back({"/api/states/changes",
                 "Every dated change of the state rules, newest first",
                 "",
                 "StateChanges",
                 {{"state", Kind::text, std::nullopt, "One jurisdiction (default: all)", {}, false}},
                 changes});
  out.push_back({"/api/cost", "What will a vehicle bought in Japan cost, landed in the US (and to own)?",
                 "Every cost line with its basis, the duties on the entry date (unsettled ones apart), and "
                 "with years the cost of ownership against new US reference vehicles.",
                 "LandedCost",
                 with(with(vehicle_params(), {date_param("Entry date, YYYY-MM-DD (default: today)")}),
                      cost_params(true)),
                 cost});
  out.push_back(
      {"/api/safety", "How does a vehicle fare in two-vehicle crashes against the US fleet?",
       "Monte Carlo risk per crash with intervals over parameter draws (draws and samples bounded for the "
       "API).",
       "Safety",
       with(vehicle,
            {{"partner", Kind::text, std::nullopt, "A single crash partner (default ford_f150)", {}, false},
             {"draws", Kind::number, kApiDraws, "Parameter draws (default 100)", {}, false},
             {"samples",
              Kind::number,
              kApiSamples,
              "Collisions sampled per draw (default 200,000)",
              {},
              false},
             {"seed", Kind::text, std::nullopt, "Random seed, 0 to 2^64-1 (default 1)", {}, false}}),
       safety});
  out.push_back({"/api/check",
                 "May I import this vehicle, register and drive it in my state, and what will it cost?",
                 "Kei then and now, the earliest lawful entry, the state's answer, the landed and five-year "
                 "cost, and about ten plain lines (summary).",
                 "Check",
                 with(with(vehicle, {{"state", Kind::text, std::nullopt, "The state, e.g. OH", {}, true}}),
                      with(state_question_params(), cost_params(false))),
                 check});
  {
    Endpoint e{
        "/api/simulate",
        "What does a policy scenario do to the US fleet to 2050, by state, against the law as it stands?",
        "Paired Monte Carlo draws of the fleet model (the same as `keipath simulate SCENARIO --baseline "
        "--by state`): kei sales and stock, fuel, electricity, CO2, deaths and spending as differences "
        "from the baseline with 5-95 % bands, each state's kei adoption, a tornado of the parameters "
        "that move the 2035 and 2050 differences most, and the law each year read. Takes seconds; "
        "answers are cached.",
        "Simulation",
        {{"draws", Kind::number, kApiSimulationDraws, "Paired draws (default 200)", {}, false},
         {"seed", Kind::text, std::nullopt, "Random seed, 0 to 2^64-1 (default 1)", {}, false}},
        nullptr};
    e.compare = simulate;
    out.push_back(std::move(e));
  }
  // Every question may be asked under a bundled scenario (the server says which it has).
  for (Endpoint& e : out) {
    if (e.path == "/api/health") continue;
    e.params.push_back({"scenario",
                        Kind::text,
                        std::nullopt,
                        "Ask under a bundled scenario of dated parameter overrides (file name without .toml, "
                        "e.g. us_small_vehicle_class; default: the server's rule base)",
                        {},
                        false});
  }
  return out;
}

nlohmann::json param_schema(const Param& p) {
  nlohmann::json s;
  switch (p.kind) {
    case Kind::number:
    case Kind::vehicle:
      if (p.range) {
        s["type"] = p.range->whole ? "integer" : "number";
        s[p.range->min_exclusive ? "exclusiveMinimum" : "minimum"] = p.range->min;
        s["maximum"] = p.range->max;
      } else {
        s["type"] = "string";
      }
      break;
    case Kind::date:
      s = {{"type", "string"}, {"format", "date"}};
      break;
    case Kind::flag:
      s["type"] = "boolean";
      break;
    case Kind::list:
      s = {{"type", "array"}, {"items", {{"type", "string"}}}};
      break;
    case Kind::text:
      s["type"] = "string";
      break;
  }
  if (!p.choices.empty()) s["enum"] = p.choices;
  return s;
}

}  // namespace

const std::vector<Endpoint>& endpoints() {
  static const std::vector<Endpoint> table = make_endpoints();
  return table;
}

Result<Inputs> Inputs::read(const Params& params, const Endpoint& endpoint) {
  Inputs out;
  for (const auto& [key, value] : params) {
    const auto p = std::find_if(endpoint.params.begin(), endpoint.params.end(),
                                [&](const Param& x) { return x.name == key; });
    if (p == endpoint.params.end()) {
      std::vector<std::string_view> names;
      for (const Param& x : endpoint.params) names.push_back(x.name);
      return fail(fmt::format("{}: not a parameter of {} (one of: {})", quote_for_message(key), endpoint.path,
                              names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
    }
    if (p->kind != Kind::vehicle && value.find_first_not_of(" \t") == std::string::npos)
      return fail(fmt::format("{}: empty value", key));
    switch (p->kind) {
      case Kind::number: {
        auto v = answers::check_number(value, *p->range);
        if (!v) return fail(fmt::format("{}: {}", key, v.error().message));
        out.numbers_[key] = *v;
        break;
      }
      case Kind::date: {
        auto d = Date::parse(value);
        if (!d) return fail(fmt::format("{}: {}", key, d.error().message));
        out.dates_[key] = *d;
        break;
      }
      case Kind::flag:
        if (value != "true" && value != "false")
          return fail(fmt::format("{}: '{}' is not true or false", key, quote_for_message(value)));
        break;
      case Kind::text:
        if (!p->choices.empty() && std::find(p->choices.begin(), p->choices.end(), value) == p->choices.end())
          return fail(fmt::format("{}: '{}' is not one of {}", key, quote_for_message(value),
                                  fmt::join(p->choices, ", ")));
        break;
      case Kind::list:
      case Kind::vehicle:
        break;
    }
    out.text_[key] = value;
  }
  return out;
}

std::string Inputs::text(const std::string& name, std::string fallback) const {
  const auto it = text_.find(name);
  return it == text_.end() ? std::move(fallback) : it->second;
}

std::optional<double> Inputs::number(const std::string& name) const {
  const auto it = numbers_.find(name);
  return it == numbers_.end() ? std::nullopt : std::optional(it->second);
}

std::optional<Date> Inputs::date(const std::string& name) const {
  const auto it = dates_.find(name);
  return it == dates_.end() ? std::nullopt : std::optional(it->second);
}

bool Inputs::flag(const std::string& name) const {
  return text(name) == "true";
}

std::vector<std::string> Inputs::list(const std::string& name) const {
  std::vector<std::string> out;
  const std::string t = text(name);
  size_t start = 0;
  while (start < t.size()) {
    size_t end = t.find(',', start);
    if (end == std::string::npos) end = t.size();
    if (end > start) out.push_back(t.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

answers::VehicleRequest Inputs::vehicle() const {
  answers::VehicleRequest r;
  for (std::string_view f : vehicle_field_names()) {
    const auto it = text_.find(std::string(f));
    if (it == text_.end()) continue;
    if (f == "model") {
      r.model = it->second;
    } else if (f == "chassis") {
      r.chassis = it->second;
    } else {
      r.fields[it->first] = it->second;
    }
  }
  return r;
}

Date Inputs::date_or_today() const {
  return date("date").value_or(Date::today());
}

nlohmann::json openapi_document(const RuleBase& base, const std::vector<std::string>& scenarios) {
  nlohmann::json paths = nlohmann::json::object();
  const nlohmann::json error_response = {
      {"description", "Bad input: the error names the parameter (field)"},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  for (const Endpoint& e : endpoints()) {
    nlohmann::json parameters = nlohmann::json::array();
    nlohmann::json properties = nlohmann::json::object();
    nlohmann::json required = nlohmann::json::array();
    for (const Param& p : e.params) {
      nlohmann::json query_schema = param_schema(p);
      if (p.name == "scenario") query_schema["enum"] = scenarios;
      if (p.kind == Kind::list) query_schema = {{"type", "string"}, {"description", "comma-separated"}};
      parameters.push_back({{"name", p.name},
                            {"in", "query"},
                            {"required", p.required},
                            {"description", p.help},
                            {"schema", std::move(query_schema)}});
      properties[p.name] = param_schema(p);
      if (p.name == "scenario") properties[p.name]["enum"] = scenarios;
      properties[p.name]["description"] = p.help;
      if (p.required) required.push_back(p.name);
    }
    const nlohmann::json ok = {
        {"description", "The answer"},
        {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + e.schema}}}}}}}};
    nlohmann::json get = {{"summary", e.summary},
                          {"operationId", "get_" + e.path.substr(5)},
                          {"parameters", std::move(parameters)},
                          {"responses", {{"200", ok}, {"400", error_response}}}};
    if (!e.description.empty()) get["description"] = e.description;
    std::replace(get["operationId"].get_ref<std::string&>().begin(),
                 get["operationId"].get_ref<std::string&>().end(), '/', '_');
    paths[e.path]["get"] = get;
    if (e.post) {
      nlohmann::json post = get;
      post.erase("parameters");
      post["operationId"] = "post_" + get["operationId"].get<std::string>().substr(4);
      post["requestBody"] = {{"required", true},
                             {"content",
                              {{"application/json",
                                {{"schema",
                                  {{"type", "object"},
                                   {"properties", properties},
                                   {"required", required},
                                   {"additionalProperties", false}}}}}}}};
      paths[e.path]["post"] = std::move(post);
    }
  }
  paths["/api/openapi.json"]["get"] = {
      {"summary", "This document"},
      {"operationId", "get_openapi"},
      {"responses",
       {{"200",
         {{"description", "The OpenAPI 3.1 document"},
          {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}}}};
  nlohmann::json schemas = nlohmann::json::parse(kSchemas);
  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "keipath"},
        {"version", answers::provenance_json(base)["program_version"]},
        {"summary",
         "Japanese kei vehicles in the US: kei class, entry, duties and cost, state road law, "
         "crash risk"},
        {"description",
         "Every answer carries schema_version, provenance (rule base hash, scenario, program version) and "
         "the reasons and citations that produced it. GET takes the inputs as a query string; POST as a "
         "JSON object body. A 400 names the parameter that is wrong (field)."}}},
      {"paths", std::move(paths)},
      {"components", {{"schemas", std::move(schemas)}}}};
}

}  // namespace keipath::server
