// The Python module `keipath`: the rule base and its questions, answered by the answer layer
// (keipath/answers.hpp) and returned as the JSON documents the CLI's --json and the HTTP API give, as Python
// dicts; and the kei-class rule in batch mode over numpy columns (kei_columns.hpp). Nothing here decides a
// question: the module turns Python values into requests (python_values.hpp) and answers into objects.
#include <fmt/format.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

#include "kei_columns.hpp"
#include "keipath/answers.hpp"
#include "keipath/rule_base.hpp"
#include "keipath/units.hpp"
#include "python_values.hpp"

namespace keipath::python {
namespace {

// As the CLI: the data_dir given, else $KEIPATH_DATA, else the bundled data folder of this build.
std::filesystem::path default_data_dir() {
  if (const char* env = std::getenv("KEIPATH_DATA"); env != nullptr && *env != '\0') return env;
  return KEIPATH_DATA_DIR;
}

// The answer to one question as Python objects. `ask` runs, and its answer is rendered to JSON, without the
// GIL (another Python thread may ask meanwhile: a RuleBase is immutable once loaded); so `ask` must touch no
// Python object.
template <class Ask>
py::object answer(const RuleBase& base, Ask ask) {
  Result<nlohmann::json> document = [&]() -> Result<nlohmann::json> {
    py::gil_scoped_release unlocked;
    auto a = ask();
    if (!a) return std::unexpected(a.error());
    return answers::to_json(*a, base);
  }();
  return to_python(value_or_raise(std::move(document)));
}

// Keyword arguments of the cost question: unknown names are a TypeError, as for any Python function.
py::dict cost_inputs(const py::kwargs& kwargs, const char* method) {
  const auto& names = cost_input_names();
  for (const auto& [key, _] : kwargs) {
    const std::string name = py::str(key).cast<std::string>();
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw py::type_error(fmt::format("{}() got an unexpected keyword argument '{}' (cost inputs: {})",
                                       method, name, fmt::join(names, ", ")));
  }
  return kwargs;
}

// The inputs the state question and the buyer's check share (StatesRequest, CheckRequest).
template <class Request>
void fill_state_question(Request& r, const py::object& vehicle, const py::object& date,
                         const py::object& state, const py::object& entered_as,
                         const py::object& registered_on) {
  r.vehicle = vehicle_request(vehicle);
  r.date = date_or_today(date, "date");
  r.state = text_arg(state, "state");
  r.entered_as = text_arg(entered_as, "entered_as");
  r.registered_on = date_arg(registered_on, "registered_on");
}

// seed=: a uint64 read exactly (not through a double), or nothing when not given.
std::optional<uint64_t> seed_arg(const py::object& seed) {
  auto text = value_text(seed, "seed");
  if (!text) return std::nullopt;
  return value_or_raise(answers::parse_seed(*text, "seed"));
}

class PyRuleBase {
 public:
  PyRuleBase(std::optional<std::filesystem::path> data_dir, std::optional<std::filesystem::path> scenario) {
    RuleBaseOptions options;
    options.data_dir = data_dir.value_or(default_data_dir());
    options.scenario_file = std::move(scenario);
    data_dir_ = options.data_dir;
    Result<std::unique_ptr<const RuleBase>> loaded = [&] {
      py::gil_scoped_release unlocked;
      return RuleBase::load(options);
    }();
    base_ = value_or_raise(std::move(loaded));
  }
  const RuleBase& base() const { return *base_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

  py::object kei(const py::object& vehicle, const py::object& date) const {
    const answers::VehicleRequest v = vehicle_request(vehicle);
    const Date d = date_or_today(date, "date");
    return answer(*base_, [&] { return answers::answer_kei(*base_, v, d); });
  }

  py::object import_pathways(const py::object& vehicle, const py::object& date) const {
    const answers::VehicleRequest v = vehicle_request(vehicle);
    const Date d = date_or_today(date, "date");
    return answer(*base_, [&] { return answers::answer_import(*base_, v, d); });
  }

  py::object states(const py::object& vehicle, const py::object& date, const py::object& state,
                    const py::object& entered_as, const py::object& registered_on,
                    const py::object& governor_mph, const py::object& road_speed,
                    const py::object& road_class) const {
    answers::StatesRequest r;
    fill_state_question(r, vehicle, date, state, entered_as, registered_on);
    if (auto g = number_arg(governor_mph, "governor_mph", answers::kGovernorMph))
      r.governor_mph = static_cast<int>(*g);
    if (auto speed = number_arg(road_speed, "road_speed", answers::kPostedMph)) {
      Road road{static_cast<int>(*speed), RoadClass::local};
      if (!road_class.is_none()) {
        auto c = parse_road_class(text_arg(road_class, "road_class"));
        if (!c) throw Error(fmt::format("road_class: {}", c.error().message));
        road.road_class = *c;
      }
      r.road = road;
    } else if (!road_class.is_none()) {
      throw Error("road_class: needs road_speed (the road's posted limit in mph)");
    }
    return answer(*base_, [&] { return answers::answer_states(*base_, r); });
  }

  py::object changes(const py::object& state) const {
    const std::string s = text_arg(state, "state");
    return answer(*base_, [&] { return answers::answer_changes(*base_, s); });
  }

  py::object cost(const py::object& vehicle, const py::object& entry, const py::kwargs& inputs) const {
    answers::CostRequest r;
    r.vehicle = vehicle_request(vehicle);
    r.entry = date_or_today(entry, "entry");
    fill_cost_request(cost_inputs(inputs, "cost"), r);
    return answer(*base_, [&] { return answers::answer_cost(*base_, r); });
  }

  py::object check(const py::object& vehicle, const py::object& state, const py::object& date,
                   const py::object& entered_as, const py::object& registered_on,
                   const py::kwargs& inputs) const {
    answers::CheckRequest r;
    fill_state_question(r, vehicle, date, state, entered_as, registered_on);
    fill_cost_request(cost_inputs(inputs, "check"), r.cost);
    return answer(*base_, [&] { return answers::answer_check(*base_, r); });
  }

  py::object safety(const py::object& vehicle, const py::object& date, const py::object& partner,
                    const py::object& draws, const py::object& samples, const py::object& seed,
                    const py::object& threads) const {
    answers::SafetyRequest r;
    r.vehicle = vehicle_request(vehicle);
    r.date = date_or_today(date, "date");
    r.partner = text_arg(partner, "partner", r.partner);
    if (auto v = number_arg(draws, "draws", answers::kDraws)) r.draws = static_cast<int>(*v);
    if (auto v = number_arg(samples, "samples", answers::kSamples)) r.samples = static_cast<int64_t>(*v);
    if (auto v = number_arg(threads, "threads", answers::kThreads)) r.threads = static_cast<int>(*v);
    if (auto v = seed_arg(seed)) r.seed = *v;
    return answer(*base_, [&] { return answers::answer_safety(*base_, r); });
  }

  // This rule base (a scenario) against `baseline` over the US fleet to 2050 (answers::answer_simulation).
  py::object simulate(const PyRuleBase& baseline, const py::object& draws, const py::object& seed,
                      const py::object& threads) const {
    answers::SimulationRequest r;
    if (auto v = number_arg(draws, "draws", answers::kDraws)) r.draws = static_cast<int>(*v);
    if (auto v = number_arg(threads, "threads", answers::kThreads)) r.threads = static_cast<int>(*v);
    if (auto v = seed_arg(seed)) r.seed = *v;
    Result<nlohmann::json> document = [&] {
      py::gil_scoped_release unlocked;
      return answers::answer_simulation(*base_, baseline.base(), r);
    }();
    return to_python(value_or_raise(std::move(document)));
  }

  py::object catalog(const py::object& search) const {
    const std::string words = search.is_none() ? std::string() : text_arg(search, "search");
    return to_python(answers::catalog_json(base_->catalog().search(words), *base_));
  }

 private:
  std::unique_ptr<const RuleBase> base_;
  std::filesystem::path data_dir_;
};

constexpr const char* kModuleDoc =
    R"(keipath: Japanese kei vehicles and the US — the same answers as the keipath CLI and HTTP API.

    >>> import keipath
    >>> base = keipath.RuleBase()                      # the bundled rule base (or $KEIPATH_DATA)
    >>> a = base.kei({"model": "Suzuki Carry", "chassis": "DA16T"}, "2026-01-01")
    >>> a["verdict"], a["provenance"]["rule_base_hash"]

Every question returns exactly the JSON document of `keipath <question> --json` and of /api/<question>,
as Python objects (dicts, lists, str, int, float, bool, None). Bad input raises keipath.Error, a
ValueError whose message is the library's and names the input ("vehicle.length_mm: ...", "price_jpy: ...",
"date: ...", or a rule base file as "file:line: ...").

A vehicle is a catalog model name (str) or a dict of "model", "chassis", "frame" and any vehicle field (body,
built, length_mm, width_mm, height_mm, engine, displacement_cc, power_kw, seats, payload_kg, ...); the
fields of a catalog model replace its values. Values are str or numbers: a number is read as the text a user
would type (3395 and 3395.0 as "3395", 0.66 as "0.66"); None means "not given". Dates are "YYYY-MM-DD" or
datetime.date; None means today.

RuleBase.kei_columns judges columns of vehicles (numpy arrays) in batch mode.
)";

void define_module(py::module_& m) {
  m.doc() = kModuleDoc;
  m.attr("__version__") = KEIPATH_VERSION;
  m.attr("SCHEMA_VERSION") = answers::kSchemaVersion;
  m.attr("KEI_VERDICTS") = kei_verdict_names();
  m.attr("KEI_CHECKS") = kei_check_names();
  m.attr("ENGINES") = engine_names();
  m.attr("ENGINE_UNKNOWN") = kEngineUnknown;
  py::register_exception<Error>(m, "Error", PyExc_ValueError).doc() =
      "Bad input or a bad rule base; the message names the input (or file:line) and says what is wrong.";

  py::class_<PyRuleBase>(m, "RuleBase",
                         R"(The loaded rule base: parameters, catalog, state law, every rule bound.

RuleBase(data_dir=None, scenario=None)
    data_dir: the rule base folder (str or path); default $KEIPATH_DATA, else the bundled data folder.
    scenario: a scenario file of dated parameter overrides (data/scenarios/*.toml).
Loading checks every file; a problem raises keipath.Error with every problem as "file:line: what", one per
line. A RuleBase is immutable and may be used from several threads (questions release the GIL).)")
      .def(py::init<std::optional<std::filesystem::path>, std::optional<std::filesystem::path>>(),
           py::arg("data_dir") = py::none(), py::arg("scenario") = py::none())
      .def_property_readonly(
          "content_hash", [](const PyRuleBase& b) { return b.base().content_hash(); },
          "Fingerprint of every file read (rule base, catalog, scenario), as in every answer's provenance.")
      .def_property_readonly(
          "scenario", [](const PyRuleBase& b) { return b.base().scenario_name(); },
          "\"baseline\", or the scenario's name.")
      .def_property_readonly(
          "data_dir", [](const PyRuleBase& b) { return b.data_dir(); },
          "The folder the rule base was read from.")
      .def_property_readonly(
          "provenance", [](const PyRuleBase& b) { return to_python(answers::provenance_json(b.base())); },
          "The provenance every answer carries: rule_base_hash, scenario, program_version.")
      .def("__repr__",
           [](const PyRuleBase& b) {
             return fmt::format("keipath.RuleBase(data_dir='{}', scenario='{}', content_hash='{}')",
                                b.data_dir().string(), b.base().scenario_name(), b.base().content_hash());
           })
      .def(
          "kei", &PyRuleBase::kei, py::arg("vehicle"), py::arg("date") = py::none(),
          R"(Is the vehicle a kei vehicle under Japanese law as it stood on `date` (default today)? Which limit fails?

Returns the document of `keipath kei --json` and /api/kei: verdict ("kei", "not_kei", "unknown"),
findings (one per limit, with value, limit and excess), missing_fields, reasons with citations, vehicle,
schema_version, answer, provenance.)")
      .def(
          "import_pathways", &PyRuleBase::import_pathways, py::arg("vehicle"), py::arg("date") = py::none(),
          R"(By which federal pathway may the vehicle enter the US on `date` (default today), and from which day?

Returns the document of `keipath import --json` and /api/import: pathways (each with status, earliest,
reasons, conditions, forms) and earliest_road_entry.)")
      .def("states", &PyRuleBase::states, py::arg("vehicle"), py::arg("date") = py::none(),
           py::arg("state") = py::none(), py::arg("entered_as") = py::none(),
           py::arg("registered_on") = py::none(), py::arg("governor_mph") = py::none(),
           py::arg("road_speed") = py::none(), py::arg("road_class") = py::none(),
           R"(May the vehicle be titled, registered and driven in each state on `date`, on which roads?

state: one jurisdiction ("OH"); default all 50 states and DC. entered_as: road, off_road, lsv or
small_class. registered_on: first registration in the state (grandfather clauses). governor_mph: its
governed top speed. road_speed (mph) and road_class (interstate, limited_access, divided, highway, local):
check one road. Returns the document of `keipath states --json` and /api/states.)")
      .def("changes", &PyRuleBase::changes, py::arg("state") = py::none(),
           "Every dated change of the state rules, newest first (one state's with `state`): the document of "
           "`keipath states --changes --json` and /api/states/changes.")
      .def(
          "cost", &PyRuleBase::cost, py::arg("vehicle"), py::kw_only(), py::arg("entry") = py::none(),
          R"(What will the vehicle cost landed in the US, entered on `entry` (default today), and with years= to own?

Keyword inputs, named as in the HTTP API (each optional except price_jpy): price_jpy, price_includes_tax
(bool), jpy_per_usd, freight ("roro" or "container"), port (UN/LOCODE), inland_miles,
agent_commission_dutiable (bool), heading, set (cost line overrides: {"ID": amount} or ["ID=AMOUNT"]),
years, miles_per_year, km_per_l with cycle ("wltc", "jc08", "10-15"), mpg, wh_per_km, insurance_usd,
depreciation_percent, registration_usd, compare (a list of reference vehicle ids). Returns the document of
`keipath cost --json` and /api/cost.)")
      .def("check", &PyRuleBase::check, py::arg("vehicle"), py::arg("state"), py::kw_only(),
           py::arg("date") = py::none(), py::arg("entered_as") = py::none(),
           py::arg("registered_on") = py::none(),
           R"(May I import this vehicle, register and drive it in `state`, and what will it cost? One answer.

Kei then and now, the earliest lawful entry, the state's answer (also on the day entry opens, when later),
the landed and five-year cost (price_jpy=..., else the catalog's typical price) and a plain summary. Takes
the cost inputs of cost() as keywords. Returns the document of `keipath check --json` and /api/check.)")
      .def("safety", &PyRuleBase::safety, py::arg("vehicle"), py::arg("date") = py::none(), py::kw_only(),
           py::arg("partner") = py::none(), py::arg("draws") = py::none(), py::arg("samples") = py::none(),
           py::arg("seed") = py::none(), py::arg("threads") = py::none(),
           R"(How does the vehicle fare in two-vehicle crashes against the US fleet? (Monte Carlo.)

partner (default "ford_f150"), draws (default 100), samples per draw (default 200,000), seed (default 1),
threads (default 1). Returns the document of `keipath safety --json`.)")
      .def(
          "simulate", &PyRuleBase::simulate, py::arg("baseline"), py::kw_only(),
          py::arg("draws") = py::none(), py::arg("seed") = py::none(), py::arg("threads") = py::none(),
          R"(This rule base's scenario against `baseline` (another RuleBase, usually the law as it stands) over the
US light-vehicle fleet to 2050: paired Monte Carlo draws by state (draws, default 200; seed, default 1;
threads, default 1). Returns the document of /api/simulate: simulation.national[metric] (scenario minus
baseline: p05, p50, p95 by year from first_year), simulation.states, simulation.adoption, simulation.tornado
and simulation.law, with provenance.)")
      .def("catalog", &PyRuleBase::catalog, py::arg("search") = py::none(),
           "The catalog rows whose make, model or chassis contain every word of `search` (default all): the "
           "document of `keipath catalog --json` and /api/catalog.")
      .def(
          "kei_columns",
          [](const PyRuleBase& b, const py::object& date, py::object length_mm, py::object width_mm,
             py::object height_mm, py::object displacement_cc, py::object payload_kg, py::object seats,
             py::object engine, py::object power_kw, py::object goods, const py::object& judged_on,
             bool convert) {
            py::dict columns;
            columns["length_mm"] = length_mm;
            columns["width_mm"] = width_mm;
            columns["height_mm"] = height_mm;
            columns["displacement_cc"] = displacement_cc;
            columns["payload_kg"] = payload_kg;
            columns["seats"] = seats;
            columns["engine"] = engine;
            columns["power_kw"] = power_kw;
            columns["goods"] = goods;
            return kei_columns(b.base(), date, columns, judged_on, convert);
          },
          py::arg("date") = py::none(), py::kw_only(), py::arg("length_mm"), py::arg("width_mm"),
          py::arg("height_mm"), py::arg("displacement_cc"), py::arg("payload_kg"), py::arg("seats"),
          py::arg("engine"), py::arg("power_kw"), py::arg("goods"), py::arg("judged_on") = py::none(),
          py::arg("convert") = true,
          R"(The kei-class rule over columns of vehicles (batch mode: the same rule as kei(), no explanation).

Columns (equal lengths; a negative value, by convention -1, is unknown):
    length_mm, width_mm, height_mm, displacement_cc, payload_kg: int16
    seats: int8    engine: uint8 (index in keipath.ENGINES, or keipath.ENGINE_UNKNOWN = 255)
    power_kw: float32 (kW; negative is unknown, NaN is an error)    goods: uint8 or bool (1: truck or van)
    judged_on: int32 days since 1970-01-01, or numpy datetime64; one date per row. Without it every row is
        judged on `date` ("YYYY-MM-DD" or datetime.date, default today); give one or the other.
A column that is a one-dimensional, C-contiguous numpy array (or buffer) of exactly that dtype is read in
place, without a copy. Any other column (another dtype, a strided view, a list) is converted once by numpy;
a value the conversion would change (40000 into int16, 3395.5, NaN into an integer) raises keipath.Error
naming the column and row. convert=False raises instead of converting. The GIL is released while the rows
are judged.

Returns {"verdict": uint8 array of indices into keipath.KEI_VERDICTS, "failed": uint8 array of bit masks,
bit i set when the binding limit keipath.KEI_CHECKS[i] is exceeded}. Columns of different lengths raise
keipath.Error naming the column.)");
}

}  // namespace
}  // namespace keipath::python

PYBIND11_MODULE(keipath, m) {
  keipath::python::define_module(m);
}
