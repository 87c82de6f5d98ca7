// `keipath states`: may a vehicle be titled, registered and driven in each US jurisdiction on a date, on
// which roads, and why; `--changes` lists every dated change of the state rules, newest first.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "keipath/csv.hpp"

namespace keipath::cli {
namespace {

struct StatesOptions {
  CommonOptions common;
  VehicleOptions vehicle;
  std::string state;
  std::string entered_as;
  std::string registered_on;
  NumberOption governor_mph{answers::kGovernorMph};
  NumberOption road_speed{answers::kPostedMph};
  std::string road_class;
  bool changes = false;
};

std::string since_text(const StateRule& r) {
  switch (r.from_kind) {
    case FromKind::effective:
      return r.from.str();
    case FromKind::approximate:
      return "~" + r.from.str();
    case FromKind::in_force_by:
      return "by " + r.from.str();
  }
  return r.from.str();
}

std::string kinds_text(const std::vector<StateKind>& kinds) {
  std::vector<std::string_view> names;
  for (StateKind k : kinds) names.push_back(to_string(k));
  return fmt::format("{}", fmt::join(names, ","));
}

std::string status_text(const StateAnswer& a) {
  std::string s(to_string(a.status));
  if (a.grandfathered) s += " (grandfathered)";
  if (a.if_in_class) s += fmt::format(" ({} if in class)", to_string(*a.if_in_class));
  return s;
}

std::string counts_text(const StatusCounts& counts) {
  std::vector<std::string> parts;
  for (int i = 0; i < kRoadStatusCount; ++i)
    parts.push_back(
        fmt::format("{} {}", to_string(static_cast<RoadStatus>(i)), counts[static_cast<size_t>(i)]));
  return fmt::format("{}", fmt::join(parts, " · "));
}

void print_answer_text(const StateAnswer& a, const std::optional<RoadVerdict>& road) {
  fmt::print("{} ({}) on {}: {}\n", a.name, a.code, a.date.str(), status_text(a));
  fmt::print("  titled: {} · registered: {} · driven on public roads: {}{}\n", to_string(a.title),
             to_string(a.registration),
             a.road_use == Answer::yes && !a.road_use_scope.empty()
                 ? fmt::format("{}, {}", to_string(a.road_use), a.road_use_scope)
                 : std::string(to_string(a.road_use)),
             a.transferable ? (*a.transferable ? " · transferable" : " · not transferable to a buyer") : "");
  if (a.limits.any()) fmt::print("  roads: {}\n", answers::limits_phrase(a.limits));
  if (!a.missing_fields.empty()) {
    std::vector<std::string> options;
    for (const std::string& f : a.missing_fields) options.push_back(vehicle_option_name(f) + " VALUE");
    fmt::print("  to settle it, give: {}\n", fmt::join(options, " "));
  }
  if (road) {
    fmt::print("  this road: {}{}\n", to_string(road->allowed),
               road->conditions.empty() ? "" : fmt::format(" ({})", fmt::join(road->conditions, "; ")));
    for (const Reason& r : road->reasons) fmt::print("    {}\n", r.text);
  }
  fmt::print("\n");
  for (const Reason& r : a.reasons) fmt::print("  {:<7} {}\n", to_string(r.outcome), r.text);
  if (a.rule != nullptr) {
    const StateRule& r = *a.rule;
    fmt::print("\n  rule: {} ({}), {} · {} · confidence {} · checked {}\n", r.where.str(),
               kinds_text(r.kinds), since_text(r), to_string(r.basis), to_string(r.confidence),
               r.checked.str());
    fmt::print("  ref: {}\n", r.ref);
    if (!r.plate.empty()) fmt::print("  registration: {}\n", r.plate);
    if (!r.note.empty()) fmt::print("  note: {}\n", r.note);
    for (const std::string& s : r.sources) fmt::print("  source: {}\n", s);
  }
}

void print_table_text(const std::vector<StateAnswer>& answers,
                      const std::vector<std::optional<RoadVerdict>>& roads) {
  const bool with_road = !roads.empty() && roads.front().has_value();
  fmt::print("{:<3} {:<34} {:<7} {:<7} {:<40} {:<14} {:<6} {:<6} {}\n", "st", "status", "title", "reg",
             "roads / conditions", "since", "basis", "conf", with_road ? "this road · ref" : "ref");
  for (size_t i = 0; i < answers.size(); ++i) {
    const StateAnswer& a = answers[i];
    std::string roads_text = answers::limits_phrase(a.limits);
    if (!a.missing_fields.empty()) roads_text = fmt::format("needs {}", fmt::join(a.missing_fields, ", "));
    std::string ref = a.rule ? a.rule->ref : "no rule recorded";
    if (with_road) ref = fmt::format("{} · {}", to_string(roads[i]->allowed), ref);
    fmt::print("{:<3} {:<34} {:<7} {:<7} {:<40} {:<14} {:<6} {:<6} {}\n", a.code, status_text(a),
               to_string(a.title), to_string(a.registration), roads_text, a.rule ? since_text(*a.rule) : "-",
               a.rule ? to_string(a.rule->basis) : "-", a.rule ? to_string(a.confidence) : "-", ref);
  }
}

constexpr std::string_view kCsvHeader =
    "state,name,date,kind,entry,status,title,registration,road_use,max_posted_mph,limits,in_class,"
    "grandfathered,"
    "missing_fields,since,from_kind,basis,confidence,checked,ref,road_allowed,road_conditions";

std::string csv_row(const StateAnswer& a, const std::optional<RoadVerdict>& road) {
  std::vector<std::string> cells = {
      a.code,
      a.name,
      a.date.str(),
      a.kind ? std::string(to_string(*a.kind)) : "",
      std::string(to_string(a.entry)),
      std::string(to_string(a.status)),
      std::string(to_string(a.title)),
      std::string(to_string(a.registration)),
      std::string(to_string(a.road_use)),
      a.limits.max_posted_mph ? std::to_string(*a.limits.max_posted_mph) : "",
      answers::limits_phrase(a.limits),
      a.in_class ? (*a.in_class ? "yes" : "no") : "",
      a.grandfathered ? "yes" : "no",
      fmt::format("{}", fmt::join(a.missing_fields, " ")),
      a.rule ? a.rule->from.str() : "",
      a.rule ? std::string(to_string(a.rule->from_kind)) : "",
      a.rule ? std::string(to_string(a.rule->basis)) : "",
      a.rule ? std::string(to_string(a.confidence)) : "",
      a.rule ? a.rule->checked.str() : "",
      a.rule ? a.rule->ref : "",
      road ? std::string(to_string(road->allowed)) : "",
      road ? fmt::format("{}", fmt::join(road->conditions, "; ")) : "",
  };
  for (std::string& c : cells) c = csv_escape(c);
  return fmt::format("{}", fmt::join(cells, ","));
}

Result<int> print_changes(const StatesOptions& o, const RuleBase& base) {
  auto answered = answers::answer_changes(base, o.state);
  if (!answered) return fail(name_options(answered.error().message, {{"state", "--state"}}));
  const std::vector<StateChange>& changes = answered->changes;
  if (o.common.json) {
    fmt::print("{}\n", answers::to_json(*answered, base).dump(2));
  } else if (o.common.csv) {
    fmt::print("date,date_kind,state,kinds,before,after,basis,confidence,checked,ref\n");
    for (const StateChange& c : changes) {
      const StateRule& r = *c.rule;
      fmt::print("{},{},{},{},{},{},{},{},{},{}\n", c.date.str(), to_string(c.from_kind), c.code,
                 csv_escape(kinds_text(c.kinds)), c.before ? to_string(*c.before) : "", to_string(r.status),
                 to_string(r.basis), to_string(r.confidence), r.checked.str(), csv_escape(r.ref));
    }
  } else {
    fmt::print(
        "State rule changes, newest first: {} rules with a recorded start (\"~\": the day is approximate). "
        "Rules known only to be in force by some date are not changes and are not listed.\n\n",
        changes.size());
    for (const StateChange& c : changes) {
      const StateRule& r = *c.rule;
      fmt::print("{:<14} {}  {:<16} {:>13} → {:<13} {:<6} {:<6} {}\n", since_text(r), c.code,
                 kinds_text(c.kinds), c.before ? to_string(*c.before) : "(none)", to_string(r.status),
                 to_string(r.basis), to_string(r.confidence), r.ref);
    }
    fmt::print("\nState data checked {} to {}. {}\n", base.state_law().oldest_check().str(),
               base.state_law().newest_check().str(), provenance_line(base));
  }
  return kExitAnswer;
}

// The options as the answer layer's request; option errors name the option.
Result<answers::StatesRequest> request_from(const StatesOptions& o) {
  answers::StatesRequest r;
  auto date = date_option(o.common);
  if (!date) return std::unexpected(date.error());
  r.date = *date;
  r.vehicle = o.vehicle;
  r.state = o.state;
  r.entered_as = o.entered_as;
  auto registered = registered_on_option(o.registered_on);
  if (!registered) return std::unexpected(registered.error());
  r.registered_on = *registered;
  auto governor = o.governor_mph.get();
  if (!governor) return std::unexpected(governor.error());
  if (*governor) r.governor_mph = static_cast<int>(**governor);
  auto speed = o.road_speed.get();
  if (!speed) return std::unexpected(speed.error());
  if (*speed) {
    Road road{static_cast<int>(**speed), RoadClass::local};
    if (!o.road_class.empty()) {
      auto c = parse_road_class(o.road_class);
      if (!c) return fail(fmt::format("--road-class: {}", c.error().message));
      road.road_class = *c;
    }
    r.road = road;
  } else if (!o.road_class.empty()) {
    return fail("--road-class needs --road-speed (the road's posted limit in mph)");
  }
  return r;
}

Result<int> run_states(const StatesOptions& o) {
  if (o.common.json && o.common.csv) return fail("--json and --csv: choose one");
  auto base = load_rule_base(o.common);
  if (!base) return std::unexpected(base.error());
  if (o.changes) return print_changes(o, **base);
  auto request = request_from(o);
  if (!request) return std::unexpected(request.error());
  auto answered = answers::answer_states(**base, *request);
  if (!answered) {
    return fail(name_options(name_vehicle_options(answered.error().message, o.vehicle),
                             {{"state", "--state"},
                              {"entered_as", "--entered-as"},
                              {"registered_on", "--registered-on"},
                              {"vehicle.model", "--model"},
                              {"vehicle.chassis", "--chassis"},
                              {"vehicle", "keipath"}}));
  }
  const answers::StatesAnswer& sa = *answered;
  const StateQuestion* q = &sa.question;
  const std::vector<StateAnswer>& answers = sa.answers;
  const std::vector<std::optional<RoadVerdict>>& roads = sa.roads;
  const std::optional<Road>* road = &sa.road;
  const StatusCounts& counts = sa.counts;
  const StateLaw& law = (*base)->state_law();

  if (o.common.json) {
    fmt::print("{}\n", answers::to_json(sa, **base).dump(2));
    return kExitAnswer;
  }
  if (o.common.csv) {
    fmt::print("{}\n", kCsvHeader);
    for (size_t i = 0; i < answers.size(); ++i) fmt::print("{}\n", csv_row(answers[i], roads[i]));
    return kExitAnswer;
  }
  const Vehicle& v = q->vehicle;
  fmt::print(
      "{} ({}{}) on {}: titling, registration and road use{}\n", v.display_name(),
      v.body ? to_string(*v.body) : "body not given", v.built ? ", built " + v.built->str() : "",
      q->date.str(),
      *road ? fmt::format("; road posted {} mph, {}", (*road)->posted_mph, to_string((*road)->road_class))
            : "");
  print_assumed(v);
  if (answers.size() == 1) {
    fmt::print("\n");
    print_answer_text(answers.front(), roads.front());
  } else {
    // The entry reason is the same for every state; print it once.
    for (const Reason& r : answers.front().reasons)
      if (r.check == "entry") fmt::print("{}\n", r.text);
    fmt::print("\n");
    print_table_text(answers, roads);
    fmt::print("\nCounts on {}: {}\n", q->date.str(), counts_text(counts));
    auto confidence = [&](Confidence c) { return sa.confidence_counts[static_cast<size_t>(c)]; };
    fmt::print("Confidence: high {} · medium {} · low {}{}\n", confidence(Confidence::high),
               confidence(Confidence::medium), confidence(Confidence::low),
               confidence(Confidence::unstated) > 0
                   ? fmt::format(" · unstated {}", confidence(Confidence::unstated))
                   : "");
    if (!sa.secondary_only.empty())
      fmt::print("On secondary sources only (no statute, regulation or agency statement found), {}: {}\n",
                 sa.secondary_only.size(), fmt::join(sa.secondary_only, ", "));
    fmt::print("\"keipath states --state XX\" explains one state with its sources.\n");
  }
  fmt::print("State data checked {} to {}. {}\n", law.oldest_check().str(), law.newest_check().str(),
             provenance_line(**base));
  return kExitAnswer;
}

}  // namespace

void add_states_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<StatesOptions>();
  CLI::App* cmd = app.add_subcommand(
      "states",
      "In which US states may a vehicle be titled, registered and driven on a date, on which roads?");
  add_vehicle_options(*cmd, options->vehicle);
  cmd->add_option("--state", options->state, "One jurisdiction, e.g. CO (default: all 50 states and DC)");
  cmd->add_option("--date", options->common.date,
                  "Answer under the law of this date, YYYY-MM-DD (default: today)");
  add_entry_options(*cmd, options->entered_as, options->registered_on);
  options->governor_mph.add(*cmd, "--governor-mph", "Speed its governor holds it to, in mph");
  options->road_speed.add(*cmd, "--road-speed", "Check one road: its posted speed limit in mph");
  cmd->add_option("--road-class", options->road_class,
                  "The road's class: interstate, limited_access, divided, highway or local (default local)");
  cmd->add_flag("--changes", options->changes, "List every dated change of the state rules, newest first");
  add_common_options(*cmd, options->common, /*tabular=*/true);
  cmd->callback([options, &action] { action = [options]() { return run_states(*options); }; });
}

}  // namespace keipath::cli
