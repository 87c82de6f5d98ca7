// The buyer's one-shot answer (`keipath check`, /api/check): kei then and now, the earliest lawful entry,
// the state's answer, the landed and five-year cost, and about ten plain lines that say it all. Every part
// is the answer of its own question (answer_kei, answer_import, answer_states, answer_cost), not a second
// copy of a rule.
#include <fmt/format.h>

#include <algorithm>

#include "keipath/answers.hpp"
#include "keipath/text.hpp"

namespace keipath::answers {
namespace {

constexpr std::array<const char*, 12> kMonths = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};

// "March 2039"
std::string month_name(Date d) {
  return fmt::format("{} {}", kMonths[d.month() - 1], d.year());
}

std::string_view pathway_name(const ImportDetermination& d, std::string_view id) {
  for (const Pathway& p : d.pathways)
    if (p.id == id) return p.name;
  return id;
}

// "restricted: roads ≤35 mph; no limited-access" — the state's answer in a few words.
std::string status_phrase(const StateAnswer& a) {
  std::string out;
  switch (a.status) {
    case RoadStatus::unrestricted:
      out = "may be titled, registered and driven on public roads";
      break;
    case RoadStatus::restricted:
      out = "may be registered and driven on some roads only";
      break;
    case RoadStatus::off_road_only:
      out = "off-road use only (no registration for public roads)";
      break;
    case RoadStatus::prohibited:
      out = "may not be registered or driven";
      break;
    case RoadStatus::unknown: {
      out = "unknown";
      // Say why, when no missing measurement explains it (no state law addresses the vehicle, say).
      const auto why = std::find_if(a.reasons.rbegin(), a.reasons.rend(),
                                    [](const Reason& r) { return r.outcome == Outcome::unknown; });
      if (a.missing_fields.empty() && why != a.reasons.rend()) out += " (" + why->text + ")";
      break;
    }
  }
  if (a.grandfathered) out += " (grandfathered)";
  if (a.if_in_class) out += fmt::format(" ({} if it fits the state's class)", to_string(*a.if_in_class));
  if (const std::string limits = limits_phrase(a.limits); !limits.empty()) out += ": " + limits;
  if (!a.road_use_scope.empty() && a.road_use == Answer::yes) out += fmt::format(" ({})", a.road_use_scope);
  if (!a.missing_fields.empty())
    out += fmt::format(" — to settle it, give {}", fmt::join(a.missing_fields, ", "));
  return out;
}

std::string rate_phrase(const DutyDetermination& d) {
  return d.unsettled_percent > 0
             ? fmt::format("{} % (+{} % unsettled)", format_quantity(d.settled_percent, 4),
                           format_quantity(d.unsettled_percent, 4))
             : fmt::format("{} %", format_quantity(d.settled_percent, 4));
}

std::vector<std::string> summary_lines(const CheckAnswer& a, const StateLaw& law) {
  std::vector<std::string> out;
  const Vehicle& v = a.chosen.vehicle;
  const StateAnswer& st = a.state.answers.front();
  out.push_back(fmt::format("{} ({}{}) in {} on {}", v.display_name(), v.body ? to_string(*v.body) : "body ?",
                            v.built ? ", built " + v.built->str() : "", st.name, a.date.str()));
  if (!v.assumed.empty())
    out.push_back(
        fmt::format("Assumed, no maker's figure recorded: {} (give the measured figures to replace them)",
                    assumed_summary(v)));
  out.push_back(fmt::format(
      "Kei vehicle: {} under Japanese law on {}{}", kei_summary(a.kei_on_date), a.date.str(),
      a.kei_when_built ? fmt::format("; {} when built", kei_summary(*a.kei_when_built)) : std::string()));
  const ImportDetermination& e = a.entry;
  if (!e.earliest_road_entry) {
    const bool off_road = std::any_of(e.pathways.begin(), e.pathways.end(), [](const Pathway& p) {
      return !p.road_use && p.status == PathwayStatus::available;
    });
    out.push_back(off_road
                      ? "US entry for road use: no federal pathway; it may enter only as an off-road vehicle"
                      : "US entry for road use: no federal pathway is known");
  } else if (*e.earliest_road_entry <= a.date) {
    out.push_back(fmt::format("US entry for road use: open (since {}), by the {}",
                              e.earliest_road_entry->str(), pathway_name(e, e.earliest_road_pathway)));
  } else {
    out.push_back(fmt::format("US entry for road use: from {} ({}), by the {}", e.earliest_road_entry->str(),
                              month_name(*e.earliest_road_entry), pathway_name(e, e.earliest_road_pathway)));
  }
  out.push_back(fmt::format("{} on {} (entered as {}): {}", st.name, st.date.str(), to_string(st.entry),
                            status_phrase(st)));
  if (a.state_at_entry) {
    const StateAnswer& later = a.state_at_entry->answers.front();
    out.push_back(fmt::format("{} from {} (entered as {}): {}", later.name, later.date.str(),
                              to_string(later.entry), status_phrase(later)));
  }
  // The rule that decides: the state's own rule once the vehicle may be on its roads, else today's.
  const StateAnswer& deciding = a.state_at_entry && a.state_at_entry->answers.front().rule != nullptr
                                    ? a.state_at_entry->answers.front()
                                    : st;
  if (deciding.rule != nullptr) {
    out.push_back(fmt::format(
        "State rule: {} ({}), confidence {}, checked {}{}", deciding.rule->ref,
        to_string(deciding.rule->basis), to_string(deciding.confidence), deciding.rule->checked.str(),
        deciding.confidence == Confidence::low ? " — low confidence: verify with the state" : ""));
  } else {
    out.push_back(fmt::format("State rule: none recorded for {} (state data checked {} to {})", st.name,
                              law.oldest_check().str(), law.newest_check().str()));
  }
  if (a.cost) {
    const LandedCost& c = a.cost->landed;
    out.push_back(fmt::format(
        "Landed cost at {} for ¥{} ({}): {}{}", c.port->code,
        format_quantity(static_cast<double>(a.cost->question.price_jpy)), a.cost_note, c.total.str(),
        c.total_high != c.total ? fmt::format(" (up to {} if the unsettled duties apply)", c.total_high.str())
                                : ""));
    out.push_back(fmt::format("Duties on {}: {} under {}", c.entry.str(), rate_phrase(c.duties),
                              c.duties.heading->heading));
    if (const auto& t = a.cost->ownership) {
      const OwnershipCost& kei = t->costs.front();
      const auto cheapest =
          std::min_element(t->costs.begin() + 1, t->costs.end(),
                           [](const OwnershipCost& x, const OwnershipCost& y) { return x.total < y.total; });
      out.push_back(fmt::format("{}-year cost ({} miles): {} ({} a mile){}", t->years,
                                format_quantity(kei.miles), kei.total.str(), kei.per_mile().str(),
                                cheapest == t->costs.end()
                                    ? std::string()
                                    : fmt::format("; the cheapest new US reference, {}: {}", cheapest->name,
                                                  cheapest->total.str())));
    } else if (!a.cost->ownership_note.empty()) {
      out.push_back(fmt::format("Five-year cost: not computed ({})", a.cost->ownership_note));
    }
  } else {
    out.push_back(fmt::format("Cost: {}", a.cost_note));
  }
  return out;
}

}  // namespace

Result<CheckAnswer> answer_check(const RuleBase& base, const CheckRequest& r) {
  if (r.state.empty()) return fail("state: required (a state code: AL ... WY, or DC)");
  auto chosen = choose_vehicle(r.vehicle, base, Date::today());
  if (!chosen) return std::unexpected(chosen.error());
  CheckAnswer out;
  out.chosen = *chosen;
  out.date = r.date;
  const Vehicle& v = chosen->vehicle;
  out.kei_on_date = base.kei_class().explain(v, r.date);
  if (v.built) out.kei_when_built = base.kei_class().explain(v, v.built->first_day());
  out.entry = base.import_pathways().explain(v, r.date);

  // The state's answer for the way the vehicle may enter for road use: a vehicle whose first road pathway is
  // the small-vehicle class or the LSV class is asked about as one (unless entered_as says otherwise); one
  // that may not enter yet is, on the date, an off-road import.
  const std::optional<Date>& earliest = out.entry.earliest_road_entry;
  const bool later = earliest && *earliest > r.date;
  std::string road_entry = r.entered_as;
  if (road_entry.empty() && earliest) {
    if (out.entry.earliest_road_pathway == "small_vehicle_class") road_entry = "small_class";
    if (out.entry.earliest_road_pathway == "low_speed_vehicle") road_entry = "lsv";
  }
  StatesRequest states;
  states.vehicle = r.vehicle;
  states.date = r.date;
  states.state = r.state;
  states.entered_as = later ? r.entered_as : road_entry;
  states.registered_on = r.registered_on;
  auto st = answer_states(base, states, *chosen);
  if (!st) return std::unexpected(st.error());
  out.state = std::move(*st);
  if (later && r.entered_as.empty()) {
    states.date = *earliest;
    states.entered_as = road_entry;
    auto at_entry = answer_states(base, states, *chosen);
    if (!at_entry) return std::unexpected(at_entry.error());
    out.state_at_entry = std::move(*at_entry);
  }

  // The cost: the price given, else the catalog's typical price; entered on the date asked about, or on the
  // first day it may enter for road use when that is later.
  CostRequest cost = r.cost;
  cost.vehicle = r.vehicle;
  cost.entry = later ? *earliest : r.date;
  cost.ownership_optional = true;
  if (!cost.years) cost.years = 5;
  std::string price_basis = "the price given";
  if (!cost.price_jpy && chosen->entry != nullptr && chosen->entry->price_jpy) {
    cost.price_jpy = *chosen->entry->price_jpy;
    price_basis = "the catalog's typical price";
  }
  if (!v.built) {
    out.cost_note = "give built (the build month, YYYY-MM): the entry date and the duties depend on it";
  } else if (!cost.price_jpy) {
    out.cost_note = "no price: give price_jpy (the purchase price in yen) for the landed and five-year cost";
  } else {
    auto c = answer_cost(base, cost, *chosen);
    if (!c) return std::unexpected(c.error());
    out.cost = std::move(*c);
    out.cost_note = later ? fmt::format("{}, entered {}, the first day it may enter for road use",
                                        price_basis, cost.entry.str())
                          : fmt::format("{}, entered {}", price_basis, cost.entry.str());
  }
  out.summary = summary_lines(out, base.state_law());
  return out;
}

nlohmann::json to_json(const CheckAnswer& a, const RuleBase& base) {
  const KeiAnswer now{a.chosen, a.kei_on_date};
  const ImportAnswer entry{a.chosen, a.entry, std::nullopt};
  nlohmann::json out = {
      {"date", a.date.str()},
      {"state", a.state.answers.front().code},
      {"vehicle", vehicle_json(a.chosen.vehicle)},
      {"catalog", a.chosen.entry ? catalog_entry_json(*a.chosen.entry) : nlohmann::json(nullptr)},
      {"summary", a.summary},
      {"kei",
       {{"on_date", to_json(now, base)},
        {"when_built", a.kei_when_built ? to_json(KeiAnswer{a.chosen, *a.kei_when_built}, base)
                                        : nlohmann::json(nullptr)}}},
      {"import", to_json(entry, base)},
      {"state_answer", state_answer_json(a.state.answers.front(), std::nullopt)},
      {"state_at_entry", a.state_at_entry ? state_answer_json(a.state_at_entry->answers.front(), std::nullopt)
                                          : nlohmann::json(nullptr)},
      {"cost", a.cost ? to_json(*a.cost, base) : nlohmann::json(nullptr)},
      {"cost_note", a.cost_note}};
  return stamped("check", std::move(out), base);
}

}  // namespace keipath::answers
