// The two-vehicle crash model: physics, risk curves, the partner table, the Monte Carlo sampler (in SIMD
// lanes, see src/core/lanes.hpp) and the risk table by quadrature.
#include "keipath/crash.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <thread>

#include "core/lanes.hpp"
#include "keipath/csv.hpp"
#include "keipath/units.hpp"

namespace keipath {
namespace {

constexpr double kKmPerMile = 1.609344;  // exact: the mph-based curves are converted to km/h

using lanes::Float;
using lanes::Int;
using lanes::kWidth;
using UInt = uint32_t __attribute__((vector_size(4 * kWidth)));

// --- random numbers: a counter-based hash, so collision i of draw d is the same on any thread ------------
template <class U>
inline U mix32(U x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

// A uniform in (0, 1) from 24 random bits.
inline Float unit(UInt bits) {
  return (__builtin_convertvector(bits >> 8, Float) + 0.5f) * (1.0f / 16777216.0f);
}

// --- fast exp: 2^t = 2^floor(t) * 2^frac, with a degree-5 Taylor polynomial for 2^frac (relative error
// below 2e-5, far inside the model's uncertainty) ----------------------------------------------------------
inline Float fast_exp(Float x) {
  x = x < -80.0f ? Float{} - 80.0f : x;
  x = x > 80.0f ? Float{} + 80.0f : x;
  const Float t = x * 1.44269504f;
  Float fi = __builtin_convertvector(__builtin_convertvector(t, Int), Float);
  fi = fi > t ? fi - 1.0f : fi;  // truncation to floor
  const Float f = t - fi;
  Float p = Float{} + 1.3333558e-3f;
  p = p * f + 9.6181291e-3f;
  p = p * f + 5.5504109e-2f;
  p = p * f + 2.4022651e-1f;
  p = p * f + 6.9314718e-1f;
  p = p * f + 1.0f;
  const Int e = (__builtin_convertvector(fi, Int) + 127) << 23;
  Float scale;
  static_assert(sizeof scale == sizeof e);
  std::memcpy(&scale, &e, sizeof scale);
  return p * scale;
}

inline Float logistic(Float x) {
  return 1.0f / (1.0f + fast_exp(-x));
}

// --- the standard normal's inverse CDF as a table (Acklam's rational approximation, |error| < 1.2e-9) ----
double inverse_normal(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  const double lo = 0.02425;
  if (p < lo) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -inverse_normal(1 - p);
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

constexpr int kNormalTable = 4096;
struct NormalTable {
  std::array<float, kNormalTable + 1> z;
  NormalTable() {
    for (int k = 0; k <= kNormalTable; ++k) {
      const double p =
          std::clamp(static_cast<double>(k) / kNormalTable, 0.5 / kNormalTable, 1 - 0.5 / kNormalTable);
      z[static_cast<size_t>(k)] = static_cast<float>(inverse_normal(p));
    }
  }
};
const NormalTable& normal_table() {
  static const NormalTable t;
  return t;
}

// A standard normal from a uniform, by linear interpolation in the table.
inline Float standard_normal(Float u) {
  const auto& t = normal_table().z;
  const Float x = u * static_cast<float>(kNormalTable);
  Int k = __builtin_convertvector(x, Int);
  k = k > kNormalTable - 1 ? Int{} + (kNormalTable - 1) : k;
  const Float frac = x - __builtin_convertvector(k, Float);
  Float lo, hi;
  for (int l = 0; l < kWidth; ++l) {
    lo[l] = t[static_cast<size_t>(k[l])];
    hi[l] = t[static_cast<size_t>(k[l]) + 1];
  }
  return lo + frac * (hi - lo);
}

// splitmix64: seeds the parameter draws and the per-draw hash keys.
uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

Interval percentile_interval(std::vector<double> v, double point) {
  Interval out;
  out.mean = point;
  if (v.empty()) {
    out.lo = out.hi = point;
    return out;
  }
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    const double pos = q * static_cast<double>(v.size() - 1);
    const size_t i = static_cast<size_t>(pos);
    const double f = pos - static_cast<double>(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
  };
  out.lo = at(0.025);
  out.hi = at(0.975);
  return out;
}

DeltaV delta_v(double m1_kg, double m2_kg, double closing_kmh, double restitution) {
  const double k = (1 + restitution) * closing_kmh / (m1_kg + m2_kg);
  return DeltaV{k * m2_kg, k * m1_kg};
}

double RiskCurve::probability(double dv_kmh, ForceDirection d, double odds_ratio) const {
  const double term = d == ForceDirection::side ? side : d == ForceDirection::rear ? rear : 0.0;
  const double x = intercept + slope_per_kmh * dv_kmh + term + std::log(odds_ratio);
  return 1.0 / (1.0 + std::exp(-x));
}

void CrashSums::add(const CrashSums& o) {
  for (int k = 0; k < kCrashKinds; ++k) {
    own_fatal[k] += o.own_fatal[k];
    partner_fatal[k] += o.partner_fatal[k];
    own_mais3[k] += o.own_mais3[k];
    partner_mais3[k] += o.partner_mais3[k];
    own_fatal_sq[k] += o.own_fatal_sq[k];
    n[k] += o.n[k];
  }
}

Result<CrashPartners> CrashPartners::parse(std::string_view csv_text, std::string_view label) {
  auto table = parse_csv(csv_text, label);
  if (!table) return std::unexpected(table.error());
  std::vector<std::string> errors;
  if (auto cols = require_columns(*table, label,
                                  {"id", "name", "role", "share", "curb_mass_min_kg", "curb_mass_max_kg",
                                   "source", "confidence", "note"});
      !cols)
    return std::unexpected(cols.error());
  CrashPartners out;
  double share_sum = 0;
  for (const CsvRow& row : table->rows) {
    auto cell = [&](std::string_view c) { return row.fields[static_cast<size_t>(table->column(c))]; };
    auto problem = [&](std::string what) { errors.push_back(row_problem(label, row.line, what)); };
    auto number = [&](std::string_view c) -> double {
      const std::string t = cell(c);
      const auto v = parse_finite_number(t);
      if (!v) {
        problem(fmt::format("{}: {}", c, v.error().message));
        return 0;
      }
      return *v;
    };
    CrashPartner p;
    p.id = cell("id");
    p.name = cell("name");
    p.source = cell("source");
    p.note = cell("note");
    if (cell("role") == "segment") {
      p.segment = true;
      p.share = number("share");
      if (!(p.share > 0 && p.share <= 1)) problem(fmt::format("share {} is not in (0, 1]", p.share));
      share_sum += p.share;
    } else if (cell("role") != "reference") {
      problem(fmt::format("role '{}' is not segment or reference", cell("role")));
    }
    p.mass_min_kg = number("curb_mass_min_kg");
    p.mass_max_kg = number("curb_mass_max_kg");
    if (!(p.mass_min_kg >= 300 && p.mass_min_kg <= p.mass_max_kg && p.mass_max_kg <= 5000))
      problem(fmt::format("curb mass range {}-{} kg is not a light vehicle's (300-5,000 kg, min <= max)",
                          p.mass_min_kg, p.mass_max_kg));
    auto conf = parse_confidence(cell("confidence"));
    if (!conf) {
      problem(conf.error().message);
    } else {
      p.confidence = *conf;
    }
    if (p.id.empty() || p.source.empty()) problem("id and source may not be empty");
    out.rows_.push_back(std::move(p));
  }
  if (std::abs(share_sum - 1.0) > 1e-6)
    errors.push_back(fmt::format("{}: segment shares add up to {}, not 1", label, share_sum));
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return out;
}

std::vector<const CrashPartner*> CrashPartners::fleet() const {
  std::vector<const CrashPartner*> out;
  for (const CrashPartner& p : rows_)
    if (p.segment) out.push_back(&p);
  return out;
}

const CrashPartner* CrashPartners::find(std::string_view id) const {
  for (const CrashPartner& p : rows_)
    if (p.id == id) return &p;
  return nullptr;
}

PartnerSampler make_sampler(const std::vector<const CrashPartner*>& partners) {
  PartnerSampler s;
  double total = 0;
  for (const CrashPartner* p : partners) total += p->segment ? p->share : 1.0;
  double run = 0;
  for (const CrashPartner* p : partners) {
    run += (p->segment ? p->share : 1.0) / total;
    s.cumulative.push_back(static_cast<float>(run));
    s.mass_min.push_back(static_cast<float>(p->mass_min_kg));
    s.mass_max.push_back(static_cast<float>(p->mass_max_kg));
  }
  if (!s.cumulative.empty()) s.cumulative.back() = 2.0f;  // every uniform below it
  return s;
}

void sample_collisions(const CrashModel& m, const PartnerSampler& partners, double own_kg, bool own_is_kei,
                       uint64_t key64, uint64_t begin, uint64_t end, CrashSums& out) {
  const uint32_t key = static_cast<uint32_t>(key64 ^ (key64 >> 32));
  const size_t n_partners = partners.cumulative.size();
  const float own = static_cast<float>(own_kg + m.occupant_kg);
  const float occupant = static_cast<float>(m.occupant_kg);
  const float e1 = static_cast<float>(1 + m.restitution);
  const float median = static_cast<float>(m.speed_median_kmh);
  const float sigma = static_cast<float>(m.speed_sigma);
  const float cut_frontal = static_cast<float>(m.share_frontal);
  const float cut_side = static_cast<float>(m.share_frontal + m.share_side);
  const float kei_log_odds = own_is_kei ? static_cast<float>(std::log(m.kei_odds_ratio)) : 0.0f;
  const auto curve = [](const RiskCurve& c) {
    return std::array<float, 4>{static_cast<float>(c.intercept), static_cast<float>(c.slope_per_kmh),
                                static_cast<float>(c.side), static_cast<float>(c.rear)};
  };
  const auto fatal = curve(m.fatal);
  const auto mais3 = curve(m.mais3);

  // Lane accumulators (kWidth partial sums each), reduced at the end in a fixed order.
  std::array<Float, kCrashKinds> own_f{}, partner_f{}, own_m{}, partner_m{}, own_f_sq{};
  std::array<Int, kCrashKinds> count{};
  Int lane_index;
  for (int l = 0; l < kWidth; ++l) lane_index[l] = l;

  for (uint64_t base = begin; base < end; base += kWidth) {
    // The collision index of each lane (the index space wraps every 2^29 collisions into a new hash block).
    const uint32_t block = mix32(static_cast<uint32_t>(base >> 29) ^ key);
    const UInt idx = __builtin_convertvector(lane_index, UInt) + static_cast<uint32_t>(base & 0x1FFFFFFFu);
    const UInt stem = (idx << 3) + block;
    const Float u_partner = unit(mix32(stem + 0u));
    const Float u_mass = unit(mix32(stem + 1u));
    const Float u_kind = unit(mix32(stem + 2u));
    const Float u_role = unit(mix32(stem + 3u));
    const Float u_speed = unit(mix32(stem + 4u));
    const Int valid = lane_index < static_cast<int32_t>(std::min<uint64_t>(end - base, kWidth));

    // Partner: the first segment whose cumulative share exceeds the uniform; its mass uniform in its range.
    Float lo_mass = Float{} + partners.mass_min[n_partners - 1];
    Float hi_mass = Float{} + partners.mass_max[n_partners - 1];
    Int found = Int{};
    for (size_t s = 0; s + 1 < n_partners; ++s) {
      const Int here = (u_partner < partners.cumulative[s]) & ~found;
      lo_mass = here ? Float{} + partners.mass_min[s] : lo_mass;
      hi_mass = here ? Float{} + partners.mass_max[s] : hi_mass;
      found |= here;
    }
    const Float partner_mass = lo_mass + u_mass * (hi_mass - lo_mass) + occupant;

    const Float vc = median * fast_exp(sigma * standard_normal(u_speed));
    const Float k = e1 * vc / (own + partner_mass);
    const Float dv_own = k * partner_mass;
    const Float dv_partner = k * own;

    const Int frontal = u_kind < cut_frontal;
    const Int side = ~frontal & (u_kind < cut_side);
    const Int rear = ~frontal & ~side;
    const Int own_struck = u_role < 0.5f;
    // Direction terms: the struck vehicle's occupant takes the side or rear term; the striking one, none.
    auto terms = [&](const std::array<float, 4>& c, Float& own_term, Float& partner_term) {
      const Float side_term = Float{} + c[2];
      const Float rear_term = Float{} + c[3];
      const Float zero = Float{};
      own_term = side & own_struck ? side_term : (rear & own_struck ? rear_term : zero);
      partner_term = side & ~own_struck ? side_term : (rear & ~own_struck ? rear_term : zero);
    };
    Float own_term_f, partner_term_f, own_term_m, partner_term_m;
    terms(fatal, own_term_f, partner_term_f);
    terms(mais3, own_term_m, partner_term_m);
    const Float p_own_f = logistic(fatal[0] + fatal[1] * dv_own + own_term_f + kei_log_odds);
    const Float p_partner_f = logistic(fatal[0] + fatal[1] * dv_partner + partner_term_f);
    const Float p_own_m = logistic(mais3[0] + mais3[1] * dv_own + own_term_m + kei_log_odds);
    const Float p_partner_m = logistic(mais3[0] + mais3[1] * dv_partner + partner_term_m);

    const std::array<Int, kCrashKinds> kinds = {frontal & valid, side & valid, rear & valid};
    for (int kind = 0; kind < kCrashKinds; ++kind) {
      const Int in = kinds[static_cast<size_t>(kind)];
      const Float zero = Float{};
      own_f[static_cast<size_t>(kind)] += in ? p_own_f : zero;
      own_f_sq[static_cast<size_t>(kind)] += in ? p_own_f * p_own_f : zero;
      partner_f[static_cast<size_t>(kind)] += in ? p_partner_f : zero;
      own_m[static_cast<size_t>(kind)] += in ? p_own_m : zero;
      partner_m[static_cast<size_t>(kind)] += in ? p_partner_m : zero;
      count[static_cast<size_t>(kind)] -= in;  // a set mask lane is -1
    }
  }
  for (size_t kind = 0; kind < kCrashKinds; ++kind) {
    for (int l = 0; l < kWidth; ++l) {
      out.own_fatal[kind] += own_f[kind][l];
      out.own_fatal_sq[kind] += own_f_sq[kind][l];
      out.partner_fatal[kind] += partner_f[kind][l];
      out.own_mais3[kind] += own_m[kind][l];
      out.partner_mais3[kind] += partner_m[kind][l];
      out.n[kind] += count[kind][l];
    }
  }
}

Result<CrashRule> CrashRule::bind(const ParamStore& params, CrashPartners partners) {
  CrashRule r;
  r.partners_ = std::move(partners);
  if (auto bound = params.require_all({
          {"crash.restitution", "ratio", &r.restitution_},
          {"crash.occupant_mass_kg", "kg", &r.occupant_},
          {"crash.closing_speed_median_kmh", "km/h", &r.speed_median_},
          {"crash.closing_speed_sigma", "ratio", &r.speed_sigma_},
          {"crash.share_frontal", "ratio", &r.share_frontal_},
          {"crash.share_side", "ratio", &r.share_side_},
          {"crash.share_rear", "ratio", &r.share_rear_},
          {"risk.fatal.intercept", "log_odds", &r.fatal_a_},
          {"risk.fatal.slope_per_mph", "per_mph", &r.fatal_b_},
          {"risk.fatal.side", "log_odds", &r.fatal_side_},
          {"risk.fatal.rear", "log_odds", &r.fatal_rear_},
          {"risk.mais3.intercept", "log_odds", &r.mais3_a_},
          {"risk.mais3.slope_per_mph", "per_mph", &r.mais3_b_},
          {"risk.mais3.side", "log_odds", &r.mais3_side_},
          {"risk.mais3.rear", "log_odds", &r.mais3_rear_},
          {"risk.kei_structure_odds_ratio", "ratio", &r.kei_odds_},
      });
      !bound)
    return std::unexpected(bound.error());
  return r;
}

CrashModel CrashRule::model(Date date, int draw, uint64_t seed) const {
  uint64_t state = splitmix(seed ^ splitmix(static_cast<uint64_t>(draw) + 0x5eedULL));
  // The value in force; for draw >= 1 an uncertain value is drawn from its range (ParamValue::drawn).
  auto value = [&](const Parameter* p) {
    const ParamValue* v = p->in_force(date);
    if (v == nullptr) return 0.0;
    state = splitmix(state);
    if (draw == 0 || !v->low || !v->high) return v->value;
    return v->drawn(static_cast<double>(state >> 11) * (1.0 / 9007199254740992.0));
  };
  CrashModel m;
  m.restitution = value(restitution_);
  m.occupant_kg = value(occupant_);
  m.speed_median_kmh = value(speed_median_);
  m.speed_sigma = value(speed_sigma_);
  const double f = value(share_frontal_), s = value(share_side_), r = value(share_rear_);
  const double total = f + s + r;
  m.share_frontal = total > 0 ? f / total : 0;
  m.share_side = total > 0 ? s / total : 0;
  m.share_rear = total > 0 ? r / total : 0;
  m.fatal = RiskCurve{value(fatal_a_), value(fatal_b_) / kKmPerMile, value(fatal_side_), value(fatal_rear_)};
  m.mais3 = RiskCurve{value(mais3_a_), value(mais3_b_) / kKmPerMile, value(mais3_side_), value(mais3_rear_)};
  m.kei_odds_ratio = value(kei_odds_);
  return m;
}

std::vector<Citation> CrashRule::citations(Date date) const {
  std::vector<Citation> out;
  for (const Parameter* p : {restitution_, occupant_, speed_median_, speed_sigma_, share_frontal_,
                             share_side_, share_rear_, fatal_a_, fatal_b_, fatal_side_, fatal_rear_, mais3_a_,
                             mais3_b_, mais3_side_, mais3_rear_, kei_odds_}) {
    if (const ParamValue* v = p->in_force(date)) out.push_back(Citation::of(*p, *v));
  }
  return out;
}

RiskSummary CrashRule::simulate(double own_curb_kg, bool own_is_kei,
                                const std::vector<const CrashPartner*>& partners, Date date,
                                const SimulationOptions& o) const {
  const PartnerSampler sampler = make_sampler(partners);
  const int draws = std::max(1, o.draws);
  const int64_t samples = std::max<int64_t>(kWidth, o.samples);
  // Fixed chunks, summed in chunk order: the result does not depend on the number of threads.
  constexpr int64_t kChunk = 1 << 16;
  const int64_t chunks_per_draw = (samples + kChunk - 1) / kChunk;
  const int64_t total_chunks = chunks_per_draw * draws;
  std::vector<CrashSums> chunk_sums(static_cast<size_t>(total_chunks));
  std::vector<CrashModel> models;
  for (int d = 0; d < draws; ++d) models.push_back(model(date, d, o.seed));

  std::atomic<int64_t> next{0};
  auto worker = [&] {
    for (int64_t c = next.fetch_add(1); c < total_chunks; c = next.fetch_add(1)) {
      const int d = static_cast<int>(c / chunks_per_draw);
      const int64_t begin = (c % chunks_per_draw) * kChunk;
      const int64_t end = std::min(samples, begin + kChunk);
      const uint64_t key = splitmix(o.seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(d));
      sample_collisions(models[static_cast<size_t>(d)], sampler, own_curb_kg, own_is_kei, key,
                        static_cast<uint64_t>(begin), static_cast<uint64_t>(end),
                        chunk_sums[static_cast<size_t>(c)]);
    }
  };
  const int threads = std::clamp(o.threads, 1, 256);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();

  std::vector<CrashSums> per_draw(static_cast<size_t>(draws));
  for (int64_t c = 0; c < total_chunks; ++c)
    per_draw[static_cast<size_t>(c / chunks_per_draw)].add(chunk_sums[static_cast<size_t>(c)]);

  RiskSummary out;
  // Means per draw, per kind and overall.
  auto mean = [](const CrashSums& s, auto member, int kind) {
    if (kind == kCrashKinds) {
      double sum = 0;
      int64_t n = 0;
      for (int k = 0; k < kCrashKinds; ++k) {
        sum += (s.*member)[static_cast<size_t>(k)];
        n += s.n[static_cast<size_t>(k)];
      }
      return n > 0 ? sum / static_cast<double>(n) : 0.0;
    }
    const int64_t n = s.n[static_cast<size_t>(kind)];
    return n > 0 ? (s.*member)[static_cast<size_t>(kind)] / static_cast<double>(n) : 0.0;
  };
  for (int kind = 0; kind <= kCrashKinds; ++kind) {
    const size_t k = static_cast<size_t>(kind);
    auto interval_over_draws = [&](auto member) {
      std::vector<double> v;
      for (int d = 1; d < draws; ++d) v.push_back(mean(per_draw[static_cast<size_t>(d)], member, kind));
      return percentile_interval(std::move(v), mean(per_draw[0], member, kind));
    };
    out.own_fatal_params[k] = interval_over_draws(&CrashSums::own_fatal);
    out.partner_fatal_params[k] = interval_over_draws(&CrashSums::partner_fatal);
    out.own_mais3_params[k] = interval_over_draws(&CrashSums::own_mais3);
    out.partner_mais3_params[k] = interval_over_draws(&CrashSums::partner_mais3);
    // Sampling: the standard error of the point draw's mean.
    const CrashSums& s0 = per_draw[0];
    double sum = 0, sq = 0;
    int64_t n = 0;
    for (int kk = 0; kk < kCrashKinds; ++kk) {
      if (kind != kCrashKinds && kk != kind) continue;
      sum += s0.own_fatal[static_cast<size_t>(kk)];
      sq += s0.own_fatal_sq[static_cast<size_t>(kk)];
      n += s0.n[static_cast<size_t>(kk)];
    }
    const double mu = n > 0 ? sum / static_cast<double>(n) : 0;
    const double var = n > 1 ? std::max(0.0, sq / static_cast<double>(n) - mu * mu) : 0;
    const double se = n > 1 ? std::sqrt(var / static_cast<double>(n)) : 0;
    out.own_fatal_sampling[k] = Interval{mu, mu - 1.96 * se, mu + 1.96 * se};
  }
  for (int d = 0; d < draws; ++d) {
    out.own_fatal_by_draw.push_back(
        mean(per_draw[static_cast<size_t>(d)], &CrashSums::own_fatal, kCrashKinds));
    out.partner_fatal_by_draw.push_back(
        mean(per_draw[static_cast<size_t>(d)], &CrashSums::partner_fatal, kCrashKinds));
  }
  return out;
}

CrashRule::TableCell CrashRule::expected(double own_kg, double partner_kg, Configuration c, Date date) const {
  return expected(own_kg, partner_kg, c, model(date, 0, 0));
}

CrashRule::TableCell CrashRule::expected(double own_kg, double partner_kg, Configuration c,
                                         const CrashModel& m) {
  return expected_all(own_kg, partner_kg, m)[static_cast<size_t>(c)];
}

std::array<CrashRule::TableCell, CrashRule::kConfigurations> CrashRule::expected_all(double own_kg,
                                                                                     double partner_kg,
                                                                                     const CrashModel& m,
                                                                                     bool injuries) {
  const double m1 = own_kg + m.occupant_kg;
  const double m2 = partner_kg + m.occupant_kg;
  // Midpoint quadrature over the lognormal's quantiles. The configurations share the delta-Vs; they differ
  // in which side is hit from which direction: (own, partner) = frontal (front, front), side striking
  // (front, side), side struck (side, front), rear striking (front, rear), rear struck (rear, front).
  constexpr int kPoints = 400;
  static const std::array<double, kPoints> z = [] {
    std::array<double, kPoints> out{};
    for (int i = 0; i < kPoints; ++i) out[static_cast<size_t>(i)] = inverse_normal((i + 0.5) / kPoints);
    return out;
  }();
  constexpr std::array<ForceDirection, 3> dirs = {ForceDirection::front, ForceDirection::side,
                                                  ForceDirection::rear};
  std::array<TableCell, kConfigurations> cells{};
  for (int i = 0; i < kPoints; ++i) {
    const double vc = m.speed_median_kmh * std::exp(m.speed_sigma * z[static_cast<size_t>(i)]);
    const DeltaV dv = delta_v(m1, m2, vc, m.restitution);
    // [direction]: front, side, rear.
    std::array<double, 3> own_f{}, partner_f{}, own_m{}, partner_m{};
    for (size_t k = 0; k < 3; ++k) {
      own_f[k] = m.fatal.probability(dv.first_kmh, dirs[k]);
      partner_f[k] = m.fatal.probability(dv.second_kmh, dirs[k]);
      if (injuries) {
        own_m[k] = m.mais3.probability(dv.first_kmh, dirs[k]);
        partner_m[k] = m.mais3.probability(dv.second_kmh, dirs[k]);
      }
    }
    constexpr std::array<std::pair<size_t, size_t>, kConfigurations> sides = {
        {{0, 0}, {0, 1}, {1, 0}, {0, 2}, {2, 0}}};
    for (size_t c = 0; c < kConfigurations; ++c) {
      const auto [o, p] = sides[c];
      cells[c].own_fatal += own_f[o];
      cells[c].partner_fatal += partner_f[p];
      cells[c].own_mais3 += own_m[o];
      cells[c].partner_mais3 += partner_m[p];
    }
  }
  for (TableCell& cell : cells) {
    cell.own_fatal /= kPoints;
    cell.partner_fatal /= kPoints;
    cell.own_mais3 /= kPoints;
    cell.partner_mais3 /= kPoints;
  }
  return cells;
}

}  // namespace keipath
