// State road use: may a kei vehicle be titled, registered and driven in a US jurisdiction on a date, on which
// roads, under which conditions, and on what authority?
//
// The law is data: data/law/us/states/XX.toml holds one jurisdiction (50 states and DC) as a timeline of
// rules by vehicle kind. Each rule has a status (unrestricted, restricted, off-road only, prohibited,
// unknown), its road conditions, optionally the statutory class a vehicle must fit (a "mini-truck"
// definition) and a grandfather clause, the statute or agency policy behind it, whether that is law or
// policy, the sources, how sure they are, and when it was last checked. A rule is in force from its `from`
// date until the next rule for the same kind; before a kind's first rule the answer is an explicit "unknown".
//
// StateLaw::parse checks one file and reports every problem as `file:line: what`; StateLaw::assemble checks
// the whole set (all 51 jurisdictions present, once each). StateRoadRule answers a question for one state or
// all of them, with reasons; check_road answers whether a given road may be used.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/determination.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"
#include "keipath/vehicle.hpp"

namespace keipath {

enum class RoadStatus : uint8_t { unrestricted, restricted, off_road_only, prohibited, unknown };
inline constexpr int kRoadStatusCount = 5;
std::string_view to_string(RoadStatus s);
Result<RoadStatus> parse_road_status(std::string_view text);

// The kinds a state rule is written for. A kei vehicle that entered the US under the 25-year exemption is a
// truck, van or car by its body; one that entered as an off-road vehicle, or was certified as a low-speed
// vehicle (FMVSS No. 500), is judged by the state's rules for those kinds.
enum class StateKind : uint8_t { truck, van, car, off_road, lsv };
inline constexpr int kStateKindCount = 5;
std::string_view to_string(StateKind k);
Result<StateKind> parse_state_kind(std::string_view text);

// What a rule rests on: a statute or regulation (law), an agency's practice (policy, which can change
// without legislation), or nothing specific (no kei rule found; the status then reflects ordinary law).
enum class RuleBasis : uint8_t { law, policy, none };
std::string_view to_string(RuleBasis b);

enum class Answer : uint8_t { yes, no, unknown };
std::string_view to_string(Answer a);

// How exact a rule's `from` date is: the day it took effect; an approximate day (the month or year is known);
// or only a day by which it was in force (its start is not recorded).
enum class FromKind : uint8_t { effective, approximate, in_force_by };
std::string_view to_string(FromKind f);

enum class RoadClass : uint8_t { interstate, limited_access, divided, highway, local };
std::string_view to_string(RoadClass c);
Result<RoadClass> parse_road_class(std::string_view text);

// Where a vehicle may go under a rule. Only a `restricted` rule carries limits.
struct RoadLimits {
  std::optional<int> max_posted_mph;  // roads posted above this are closed
  bool no_interstate = false;         // interstates closed
  bool no_limited_access = false;     // every controlled-access highway closed (interstates included)
  bool no_divided = false;            // multi-lane divided highways closed
  bool no_highways = false;           // numbered US and state highways closed (crossing allowed)
  bool local_ordinance = false;       // only roads a county or city has opened by ordinance
  bool farm_use_only = false;         // only for farm work (between fields)
  bool daylight_only = false;
  bool collector_plates_only = false;  // registrable only as a collector / special-interest vehicle
  bool may_cross = false;              // may cross a closed road at an intersection
  std::optional<int> governor_mph;     // a speed governor at this speed is required

  bool any() const;
};

// A statutory class the state's rule applies to ("mini-truck" in N.C.G.S. 20-4.01(27)g1). Bounds are in the
// statute's units; a vehicle outside any bound is outside the class, and `outside` says what follows.
struct ClassDefinition {
  std::string name;
  std::optional<int> max_displacement_cc;
  std::optional<double> max_power_kw;
  std::optional<double> max_length_in, max_width_in, max_height_in, min_width_in;
  std::optional<double> min_mass_lb, max_mass_lb;  // checked against curb mass
  std::optional<double> min_top_speed_mph, max_top_speed_mph;
  std::vector<Body> bodies;  // empty: any body
  RoadStatus outside = RoadStatus::unknown;
  std::string outside_note;  // why, for a vehicle outside the class
};

// Registrations made before a date keep a different status (Rhode Island 2024).
struct Grandfather {
  Date registered_before;
  RoadStatus status = RoadStatus::restricted;
  RoadLimits limits;
  bool transferable = false;
  std::string conditions;
};

struct StateRule {
  std::vector<StateKind> kinds;
  Date from;
  FromKind from_kind = FromKind::effective;
  RoadStatus status = RoadStatus::unknown;
  RuleBasis basis = RuleBasis::none;
  Answer title = Answer::unknown;
  Answer registration = Answer::unknown;
  std::string plate;  // the registration offered, where it is special ("mini-truck plate", "off-road decal")
  RoadLimits limits;
  std::optional<ClassDefinition> definition;
  std::optional<Grandfather> grandfather;
  std::string conditions;  // the conditions in words, as the sources give them
  std::string ref;         // statute, regulation or policy
  std::vector<std::string> sources;
  Confidence confidence = Confidence::unstated;
  Date checked;
  std::string note;
  SourceLocation where;

  bool covers(StateKind k) const;
};

struct Jurisdiction {
  std::string code;  // two letters, "DC" for the District of Columbia
  std::string name;
  Date checked;
  std::string summary;
  std::vector<StateRule> rules;  // file order; for each kind, `from` strictly increasing
  SourceLocation where;

  // The rule for a kind in force on a date, or null before the kind's first rule.
  const StateRule* rule_on(StateKind kind, Date date) const;
  // The kind's first rule, or null when the file has none for it.
  const StateRule* first_rule(StateKind kind) const;
};

// One dated change: a rule that replaced another (or was the first recorded) for some kinds.
struct StateChange {
  Date date;
  FromKind from_kind;
  std::string code;
  std::vector<StateKind> kinds;
  std::optional<RoadStatus> before;  // absent when nothing was recorded before
  const StateRule* rule;
};

// The 50 states and DC: two-letter code and name, in code order.
struct JurisdictionName {
  std::string_view code;
  std::string_view name;
};
std::span<const JurisdictionName> us_jurisdictions();

class StateLaw {
 public:
  // One jurisdiction file; `file_label` (e.g. "data/law/us/states/CO.toml") prefixes every problem, and the
  // file's stem must be its code.
  static Result<Jurisdiction> parse(std::string_view text, std::string_view file_label);
  // The whole set: exactly the 51 jurisdictions, each once.
  static Result<StateLaw> assemble(std::vector<Jurisdiction> jurisdictions);

  const std::vector<Jurisdiction>& jurisdictions() const { return jurisdictions_; }
  // By code, case-insensitive; null if none.
  const Jurisdiction* find(std::string_view code) const;
  // The newest and oldest `checked` date over every jurisdiction and rule.
  Date newest_check() const;
  Date oldest_check() const;
  // Every rule whose `from` is a start date (effective or approximate, not merely "in force by"), as a
  // change, newest first.
  std::vector<StateChange> changes() const;

 private:
  std::vector<Jurisdiction> jurisdictions_;
};

// How the vehicle came into the US: as a road vehicle (the 25-year exemption), as an off-road vehicle, or
// certified as a low-speed vehicle.
// small_class: certified to the US small-vehicle class that only a scenario creates (us.small_class.*).
enum class UsEntry : uint8_t { road, off_road, lsv, small_class };
std::string_view to_string(UsEntry e);
Result<UsEntry> parse_us_entry(std::string_view text);

struct StateQuestion {
  Vehicle vehicle;
  Date date;
  std::optional<UsEntry> entry;       // absent: road if 25 years old by `date`, else off-road
  std::optional<Date> registered_on;  // when it was first registered in the state (grandfather rules)
  std::optional<int> governor_mph;    // speed it is governed to, if fitted with a governor
  // The vehicle is a kei vehicle as built (a catalog model): Japan's kei limits in force in its build month
  // bound the length, width and height it may have, which settles a state's size test when the
  // measurement itself is not known.
  bool kei_model = false;
};

// "only on roads a county, city or town opens by ordinance", or "" when the limits open every road within
// them.
std::string road_use_scope(const RoadLimits& limits);

struct StateAnswer {
  std::string code;
  std::string name;
  Date date;
  std::optional<StateKind> kind;  // absent when the body is unknown and the kinds' rules differ
  UsEntry entry = UsEntry::road;
  RoadStatus status = RoadStatus::unknown;
  Answer title = Answer::unknown;
  Answer registration = Answer::unknown;
  Answer road_use = Answer::unknown;  // may it be driven on some public road
  // Where road_use is yes but only on some roads or for some uses ("only on roads a local ordinance opens"):
  // empty when any road within `limits` will do.
  std::string road_use_scope;
  RoadLimits limits;  // when road use is restricted
  bool grandfathered = false;
  std::optional<bool> transferable;       // for a grandfathered registration
  std::optional<bool> in_class;           // whether it fits the rule's statutory class, when the rule has one
  std::optional<RoadStatus> if_in_class;  // when membership is unknown: the status if it does fit
  const StateRule* rule = nullptr;        // null when nothing is recorded for the date
  Confidence confidence = Confidence::unstated;
  std::vector<Reason> reasons;
  std::vector<std::string> missing_fields;  // inputs that would settle an unknown
};

struct Road {
  int posted_mph = 0;
  RoadClass road_class = RoadClass::local;
};

struct RoadVerdict {
  Answer allowed = Answer::unknown;
  std::vector<std::string> conditions;  // what must also hold (a local ordinance, daylight, a governor)
  std::vector<Reason> reasons;
};

using StatusCounts = std::array<int, kRoadStatusCount>;

class StateRoadRule {
 public:
  // Binds the federal parameter that decides how an old vehicle entered (us.fmvss.exemption_age_years).
  static Result<StateRoadRule> bind(const ParamStore& params, const StateLaw& law);

  // One jurisdiction (code case-insensitive); an unknown code is an error naming the valid ones.
  Result<StateAnswer> answer(const StateQuestion& q, std::string_view code) const;
  // All 51, in code order.
  std::vector<StateAnswer> answer_all(const StateQuestion& q) const;
  // May the vehicle, as answered, use this road?
  static RoadVerdict check_road(const StateAnswer& a, const Road& road);
  static StatusCounts count(const std::vector<StateAnswer>& answers);

  const StateLaw& law() const { return *law_; }

 private:
  // How the vehicle entered the US, with its reason: the same for every jurisdiction, so answer_all works it
  // out once (its entry, reasons and missing_fields; nothing else is set).
  StateAnswer entry_part(const StateQuestion& q) const;
  StateAnswer answer_for(const StateQuestion& q, const Jurisdiction& j, StateAnswer entry) const;
  const Parameter* exemption_age_ = nullptr;
  const Parameter* kei_length_ = nullptr;  // jp.kei.max_*_mm, for kei_model questions
  const Parameter* kei_width_ = nullptr;
  const Parameter* kei_height_ = nullptr;
  const Parameter* small_class_ = nullptr;      // us.small_class.in_effect
  const Parameter* small_adoption_ = nullptr;   // us.small_class.state_adoption
  const Parameter* small_posted_ = nullptr;     // us.small_class.max_posted_mph
  const Parameter* small_kei_rules_ = nullptr;  // us.small_class.state_kei_rules_apply
  // The state's rule for the vehicle's kind (after its entry is settled), with every check it makes.
  StateAnswer rule_answer(const StateQuestion& q, const Jurisdiction& j, StateAnswer a) const;
  // The answer for a vehicle of the small-vehicle class, which no state's law addresses yet.
  StateAnswer small_class_answer(const StateQuestion& q, const Jurisdiction& j, StateAnswer a) const;
  const StateLaw* law_ = nullptr;
};

}  // namespace keipath
