// Landed cost: what a vehicle bought in Japan has cost when it is parked at the buyer's door, line by line,
// in exact cents. Japan-side costs in yen (converted at a dated default rate or the user's), consumption tax
// netted out for export, ocean freight by port and mode, marine insurance, duties and fees on the customs
// value (transaction value: the FOB price, without international freight and insurance, 19 U.S.C.
// 1401a(b)(4)(A)), broker and filing costs, port charges and inland delivery. Every default names where it
// comes from and every market default can be overridden; the lines add up to the total exactly.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keipath/money.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"
#include "keipath/us_duties.hpp"
#include "keipath/vehicle.hpp"

namespace keipath {

struct Port {
  std::string code;  // UN/LOCODE, e.g. USLAX
  std::string name;
  std::string coast;
  Money roro, container;
  std::string source;
  Confidence confidence = Confidence::unstated;
  std::string note;
};

struct InlandBand {
  int up_to_miles = 0;
  int64_t cents_per_mile = 0;
  std::string source;
  Confidence confidence = Confidence::unstated;
};

// Market tables from data/market/: ports.csv and inland_transport.csv.
class CostTables {
 public:
  static Result<CostTables> parse(std::string_view ports_csv, std::string_view ports_label,
                                  std::string_view inland_csv, std::string_view inland_label);
  const Port* port(std::string_view code) const;  // case-insensitive
  const std::vector<Port>& ports() const { return ports_; }
  // The band whose rate applies to a trip of `miles` (the smallest band that holds it).
  const InlandBand& inland_band(int miles) const;

 private:
  std::vector<Port> ports_;
  std::vector<InlandBand> inland_;  // ascending up_to_miles
};

enum class FreightMode : uint8_t { roro, container };
std::string_view to_string(FreightMode m);

struct LandedCostQuestion {
  Vehicle vehicle;  // needs body, powertrain or engine, and built (for the duty)
  Date entry;
  int64_t price_jpy = 0;
  bool price_includes_consumption_tax =
      false;                          // a retail sticker price does; an auction hammer price does not
  std::optional<double> jpy_per_usd;  // default: market.fx.jpy_per_usd on the entry date
  FreightMode mode = FreightMode::roro;
  std::string port = "USLAX";
  int inland_miles = 0;                    // delivery from the port; 0: collected at the port
  bool agent_commission_dutiable = false;  // a bona fide buying commission is not part of customs value
  std::string heading;                     // force a tariff heading where the rulings leave it open
  std::map<std::string, int64_t> set_jpy;  // line id -> yen, for the Japan-side lines
  std::map<std::string, Money> set_usd;    // line id -> dollars, for the US-dollar market lines
};

struct CostLine {
  std::string id;
  std::string label;
  std::string group;  // japan, shipping, duty, fees, us
  Money amount;
  std::optional<int64_t> yen;  // the yen amount a converted line came from
  bool in_total = true;        // false for an unsettled duty (counted only in the high total)
  bool in_customs_value = false;
  bool overridden = false;
  std::string basis;  // where the figure comes from (parameter, table row, input)
  Confidence confidence = Confidence::unstated;
};

struct HeadingTotal {
  const TariffHeading* heading;
  Money total;
  Money total_high;
};

struct LandedCost {
  Date entry;
  double jpy_per_usd = 0;
  std::string fx_basis;
  std::string fx_warning;  // set when the default rate is older than the date by more than the stale limit
  const Port* port = nullptr;
  FreightMode mode = FreightMode::roro;
  std::vector<CostLine> lines;
  Money fob;            // Japan-side: the price and every cost to the ship
  Money customs_value;  // what duties and fees are charged on
  Money total;          // every settled line
  Money total_high;     // plus the unsettled duties
  DutyDetermination duties;
  std::vector<HeadingTotal> other_headings;  // when the heading is unsettled: the totals under the others
  std::vector<Reason> reasons;
};

// What a landed cost resolves before it looks at the price: the exchange rate, each line whose amount does
// not depend on the price (a dated default or the user's figure), the rates of the lines that do, and each
// candidate heading's duty rates. `compute` renders one price through it with every line's basis; `totals`
// is the same arithmetic without the text, for a batch that prices one vehicle many times.
struct LandedCostPlan {
  struct Line {
    std::string_view id;
    Money amount;
    std::optional<int64_t> yen;  // the yen amount a Japan-side line came from
    bool dutiable = false;
    bool overridden = false;           // the question set it (set_jpy, set_usd)
    const Parameter* param = nullptr;  // else the default's parameter and the value in force
    const ParamValue* value = nullptr;
  };
  struct DutyRate {
    double percent = 0;
    DutyStatus status = DutyStatus::not_applicable;
  };
  struct Heading {
    const TariffHeading* heading = nullptr;
    std::vector<DutyRate> duties;
  };
  Date entry;
  FreightMode mode = FreightMode::roro;
  const Port* port = nullptr;
  double jpy_per_usd = 0;
  std::string fx_basis;
  std::string fx_warning;
  const ParamValue* consumption_tax = nullptr;  // set when the price includes it and an export is exempt
  const ParamValue* export_exempt = nullptr;
  std::vector<Line> japan;  // after the purchase: auction fee ... container packing
  Line freight;
  Line insurance;  // overridden: the amount; else `value` is the percentage of FOB (or none in force)
  const ParamValue* mpf = nullptr;
  const ParamValue* mpf_min = nullptr;
  const ParamValue* mpf_max = nullptr;
  const ParamValue* informal_max = nullptr;  // an informal entry up to this customs value, with its own MPF
  const ParamValue* informal_mpf = nullptr;
  const ParamValue* hmf = nullptr;
  std::vector<Line> us;                         // broker, ISF, terminal, inland delivery
  std::vector<Heading> headings;                // the candidates, in the order the tariff table matches them
  Money japan_fixed, japan_dutiable, us_fixed;  // sums of the fixed lines
};

// One price through a plan under one heading.
struct LandedAmounts {
  int64_t purchase_yen = 0;  // net of consumption tax where the plan nets it
  Money purchase, fob, customs_value, insurance, mpf, hmf;
  int mpf_clamp = 0;      // -1 raised to the minimum, 1 capped at the maximum
  bool informal = false;  // entered informally (customs value at most the informal limit): the informal MPF
  Money duties_settled, duties_unsettled;
  Money total, total_high;
};

// The totals under the heading with the highest settled total (the first of equals), as `compute` shows.
struct LandedTotals {
  size_t heading = 0;
  Money total, total_high;
};

class LandedCostModel {
 public:
  static Result<LandedCostModel> bind(const ParamStore& params, CostTables tables, const DutyRule& duties);
  // Errors name the input that is wrong ("price_jpy: ...", "port: 'XXX' is not a known port").
  Result<LandedCost> compute(const LandedCostQuestion& q) const;
  // Everything but the price (`q.price_jpy` is not read); the same errors as `compute` otherwise.
  Result<LandedCostPlan> plan(const LandedCostQuestion& q) const;
  // "price_jpy: ..." when the price is not one `compute` takes.
  static Result<void> check_price(int64_t price_jpy);
  // May throw MoneyOverflow for a price near the largest accepted.
  static LandedAmounts amounts(const LandedCostPlan& plan, int64_t price_jpy, size_t heading);
  static LandedTotals totals(const LandedCostPlan& plan, int64_t price_jpy);
  // The ids accepted by set_jpy and set_usd.
  static std::vector<std::string_view> jpy_line_ids();
  static std::vector<std::string_view> usd_line_ids();
  const CostTables& tables() const { return tables_; }

 private:
  std::vector<std::string> question_errors(const LandedCostQuestion& q) const;
  Result<void> check_defaults(const LandedCostQuestion& q) const;
  Result<LandedCostPlan> plan_checked(const LandedCostQuestion& q) const;
  LandedCost render(const LandedCostQuestion& q, const LandedCostPlan& plan, size_t heading) const;
  CostTables tables_;
  const DutyRule* duties_ = nullptr;
  const Parameter* fx_ = nullptr;
  const Parameter* fx_stale_ = nullptr;
  const Parameter* consumption_tax_ = nullptr;
  const Parameter* export_exempt_ = nullptr;
  const Parameter* auction_fee_ = nullptr;
  const Parameter* jp_inland_ = nullptr;
  const Parameter* export_customs_ = nullptr;
  const Parameter* agent_ = nullptr;
  const Parameter* packing_ = nullptr;
  const Parameter* insurance_ = nullptr;
  const Parameter* broker_ = nullptr;
  const Parameter* isf_ = nullptr;
  const Parameter* terminal_ = nullptr;
  const Parameter* mpf_ = nullptr;
  const Parameter* mpf_min_ = nullptr;
  const Parameter* mpf_max_ = nullptr;
  const Parameter* informal_max_ = nullptr;
  const Parameter* informal_mpf_ = nullptr;
  const Parameter* hmf_ = nullptr;
};

}  // namespace keipath
