// The batch engine: a header's meaning, and a worker that answers whole rows through the answer layer (the
// same choose_vehicle and rules as the single-vehicle commands) and the kei rule's batch lane.
#include <fmt/format.h>

#include <array>
#include <climits>
#include <cstring>
#include <unordered_map>

#include "batch/internal.hpp"
#include "keipath/answers.hpp"
#include "keipath/csv.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath::batch {
namespace {

constexpr std::string_view kAskNames[] = {"kei", "entry", "duty", "landed", "states"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The first line of a message (a rejects row holds one line; several problems are joined by "; ").
std::string one_line(std::string_view message) {
  std::string out(message);
  for (size_t at = out.find('\n'); at != std::string::npos; at = out.find('\n', at)) out.replace(at, 1, "; ");
  return out;
}

// "1234.56" for a CSV cell (no thousands separators, no dollar sign).
std::string dollars_cell(Money m) {
  const int64_t c = m.cents;
  const int64_t whole = c / 100;
  const int64_t part = c % 100 < 0 ? -(c % 100) : c % 100;
  return fmt::format("{}{}.{:02}", c < 0 && whole == 0 ? "-" : "", whole, part);
}

std::string percent_cell(double p) {
  std::string s = fmt::format("{:.4f}", p);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using Cache = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
// A worker forgets what it has worked out once it holds this many vehicles (or answers), at the start of a
// chunk: memory stays flat over any file, and real files repeat far fewer keys.
constexpr size_t kCacheEntries = 1u << 16;

}  // namespace

std::string_view to_string(Ask a) {
  return kAskNames[static_cast<size_t>(a)];
}

Result<std::vector<Ask>> parse_asks(std::string_view list) {
  std::vector<Ask> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string word = lower_ascii(trim(list.substr(start, comma - start)));
    start = comma + 1;
    if (word == "all") {
      for (Ask a : kAllAsks)
        if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
      continue;
    }
    auto it = std::find(std::begin(kAskNames), std::end(kAskNames), word);
    if (it == std::end(kAskNames))
      return fail(fmt::format("ask: '{}' is not a question (kei, entry, duty, landed, states, or all)",
                              quote_for_message(word)));
    const Ask a = static_cast<Ask>(it - std::begin(kAskNames));
    if (std::find(out.begin(), out.end(), a) != out.end())
      return fail(fmt::format("ask: '{}' is asked twice", word));
    out.push_back(a);
  }
  return out;
}

Counts& Counts::operator+=(const Counts& o) {
  read += o.read;
  written += o.written;
  rejected += o.rejected;
  blank += o.blank;
  return *this;
}

std::string_view rejects_header() {
  return "line,column,reason,row\n";
}

bool split_row(std::string_view row, std::vector<std::string_view>& cells, std::string& scratch,
               std::string& why) {
  cells.clear();
  const size_t n = row.size();
  size_t i = 0;
  while (true) {
    if (i < n && row[i] == '"') {
      const size_t start = scratch.size();
      ++i;
      while (true) {
        const void* q = std::memchr(row.data() + i, '"', n - i);
        if (q == nullptr) {
          why = fmt::format("cell {}: a quoted cell is not closed", cells.size() + 1);
          return false;
        }
        const size_t at = static_cast<size_t>(static_cast<const char*>(q) - row.data());
        scratch.append(row.data() + i, at - i);
        if (at + 1 < n && row[at + 1] == '"') {
          scratch.push_back('"');
          i = at + 2;
          continue;
        }
        i = at + 1;
        break;
      }
      cells.emplace_back(scratch.data() + start, scratch.size() - start);
      if (i == n) return true;
      if (row[i] != ',') {
        why = fmt::format("cell {}: text after its closing quote (a quote inside a cell is written \"\")",
                          cells.size());
        return false;
      }
      ++i;
    } else {
      const size_t start = i;
      while (i < n && row[i] != ',') {
        if (row[i] == '"') {
          why = fmt::format(
              "cell {}: a quote inside a cell that does not start with one (quote the cell, "
              "and write a quote inside it as \"\")",
              cells.size() + 1);
          return false;
        }
        ++i;
      }
      cells.emplace_back(row.data() + start, i - start);
      if (i == n) return true;
      ++i;
    }
  }
}

bool Engine::asks(Ask a) const {
  return (asks_mask_ & (1u << static_cast<int>(a))) != 0;
}

Result<Engine> Engine::make(const RuleBase& base, Options options, std::string_view header_line,
                            std::string_view label) {
  if (header_line.starts_with("\xEF\xBB\xBF")) header_line.remove_prefix(3);
  if (header_line.ends_with('\r')) header_line.remove_suffix(1);
  if (trim(header_line).empty())
    return fail(row_problem(label, 1, "no header row (the first row names the columns)"));
  std::vector<std::string_view> cells;
  std::string scratch, why;
  scratch.reserve(header_line.size());
  if (!split_row(header_line, cells, scratch, why)) return fail(row_problem(label, 1, why));
  std::vector<std::string> header;
  for (std::string_view c : cells) header.emplace_back(trim(c));
  auto roles = column_roles(header, label);
  if (!roles) return std::unexpected(roles.error());

  Engine e;
  e.base_ = &base;
  e.roles_ = std::move(*roles);
  e.input_columns_ = header.size();
  auto has_role = [&](Role r) {
    return std::any_of(e.roles_.begin(), e.roles_.end(), [&](const ColumnRole& c) { return c.role == r; });
  };
  const bool names_vehicle = std::any_of(e.roles_.begin(), e.roles_.end(), [](const ColumnRole& c) {
    return c.role == Role::model || c.role == Role::chassis || c.role == Role::frame ||
           (c.role == Role::field && c.field != "make" && c.field != "built");
  });
  if (!names_vehicle) {
    return fail(row_problem(
        label, 1,
        "no column names a vehicle: give model (with chassis or built where generations share a name), "
        "chassis, frame, or measurements (body, length_mm, width_mm, ...); `keipath batch --help` lists the "
        "accepted names"));
  }
  if (options.asks.empty()) return fail("ask: no question asked");
  for (Ask a : options.asks) e.asks_mask_ |= static_cast<uint8_t>(1u << static_cast<int>(a));
  if (!options.state.empty() && base.state_law().find(options.state) == nullptr)
    return fail(
        fmt::format("state: '{}' is not a state code (AL ... WY, DC)", quote_for_message(options.state)));
  if (!options.entered_as.empty()) {
    if (auto entry = parse_us_entry(options.entered_as); !entry)
      return fail(fmt::format("entered_as: {}", entry.error().message));
  }
  if (options.freight != "roro" && options.freight != "container")
    return fail(fmt::format("freight: '{}' is not roro or container", quote_for_message(options.freight)));
  if (base.landed_cost().tables().port(options.port) == nullptr)
    return fail(fmt::format("port: '{}' is not a known port", quote_for_message(options.port)));
  e.options_ = std::move(options);
  const bool one_state = has_role(Role::state) || !e.options_.state.empty();
  e.answer_columns_ = answer_column_names(e.asks_mask_, one_state);
  e.output_header_ = std::string(header_line);
  for (const std::string& c : e.answer_columns_) {
    e.output_header_ += ',';
    e.output_header_ += csv_escape(c);
  }
  e.output_header_ += '\n';
  return e;
}

// --- the worker ------------------------------------------------------------------------------------------

struct Worker::State {
  struct VehicleEntry {
    bool ok = false;
    std::string column, reason;  // why the row is refused
    answers::ChosenVehicle chosen;
    int32_t missing_day = INT32_MIN;  // kei_missing, worked out for one day
    std::string missing;
  };
  // One question's cells for a row ("," before each), or why the row is refused.
  struct Part {
    bool ok = false;
    std::string column, reason;
    std::string cells;
    std::string warnings;
  };
  // The questions after kei's, in output order, each with its cache.
  enum Question { kEntry, kDuty, kLanded, kStates, kQuestions };
  struct Pending {
    std::string_view raw;
    VehicleEntry* vehicle;
    std::array<const Part*, kQuestions> parts;
    int32_t day;
  };

  const Engine& engine;
  const RuleBase& base;
  std::array<int, kRoleCount> column{};             // each input's column, or -1 (Role::field: see `fields`)
  std::vector<std::pair<int, std::string>> fields;  // (column, vehicle field)
  std::vector<int> vehicle_key;                     // the columns a vehicle depends on
  std::vector<int> landed_key, states_key;          // the other cells the landed cost and states read
  const std::vector<int> no_key;
  std::vector<std::string> header;  // column index -> header name (for rejects)
  Cache<VehicleEntry> vehicles;
  std::array<Cache<Part>, kQuestions> parts;
  Cache<ImportDetermination> determinations;
  size_t base_key_size = 0;  // the part of `key` that names the vehicle and day
  std::array<bool, kQuestions> asked{};
  KeiColumnStore kei;
  std::vector<KeiVerdict> verdict;
  std::vector<uint8_t> failed;
  std::vector<std::string_view> cells;
  std::string scratch, key, why, warnings;
  std::vector<Pending> pending;
  std::string last_date_text;
  Date last_date;
  bool asks_kei;

  explicit State(const Engine& e) : engine(e), base(e.base()) {
    header.resize(e.input_columns());
    column.fill(-1);
    for (const ColumnRole& c : e.roles()) {
      header[static_cast<size_t>(c.index)] = c.header;
      if (c.role == Role::field) {
        fields.emplace_back(c.index, c.field);
      } else {
        column[static_cast<size_t>(c.role)] = c.index;
      }
    }
    for (int c : {col(Role::model), col(Role::chassis), col(Role::frame)})
      if (c >= 0) vehicle_key.push_back(c);
    for (const auto& [c, f] : fields) vehicle_key.push_back(c);
    if (col(Role::price_jpy) >= 0) landed_key.push_back(col(Role::price_jpy));
    for (int c : {col(Role::state), col(Role::entered_as), col(Role::registered_on), col(Role::governor_mph)})
      if (c >= 0) states_key.push_back(c);
    asks_kei = e.asks(Ask::kei);
    asked = {e.asks(Ask::entry), e.asks(Ask::duty), e.asks(Ask::landed), e.asks(Ask::states)};
  }

  int col(Role r) const { return column[static_cast<size_t>(r)]; }
  std::string_view cell(int index) const {
    return index < 0 ? std::string_view() : trim(cells[static_cast<size_t>(index)]);
  }
  std::string column_name(int index) const {
    return index < 0 ? std::string() : header[static_cast<size_t>(index)];
  }

  // The input column an error message's first word names ("vehicle.length_mm: ...", "state: ..."), or "".
  std::string column_of(std::string_view message) const {
    const std::string_view word = message.substr(0, message.find(':'));
    if (word.starts_with("vehicle.")) {
      const std::string_view field = word.substr(8);
      if (field == "model") return column_name(col(Role::model));
      if (field == "chassis")
        return column_name(col(Role::chassis) >= 0 ? col(Role::chassis) : col(Role::frame));
      if (field == "frame") return column_name(col(Role::frame));
      for (const auto& [c, f] : fields)
        if (f == field) return column_name(c);
      return "";
    }
    for (const auto& [input, role] : {std::pair{"state", Role::state},
                                      {"price_jpy", Role::price_jpy},
                                      {"entered_as", Role::entered_as},
                                      {"registered_on", Role::registered_on},
                                      {"governor_mph", Role::governor_mph}})
      if (word == input) return column_name(col(role));
    return "";
  }

  VehicleEntry make_vehicle() const {
    answers::VehicleRequest request;
    request.model = std::string(cell(col(Role::model)));
    request.chassis = std::string(cell(col(Role::chassis)));
    request.frame = std::string(cell(col(Role::frame)));
    for (const auto& [c, f] : fields) {
      const std::string_view text = cell(c);
      if (!text.empty()) request.fields.emplace(f, std::string(text));
    }
    VehicleEntry v;
    auto chosen = answers::choose_vehicle(request, base, engine.options().today);
    if (!chosen) {
      v.column = column_of(chosen.error().message);
      v.reason = one_line(chosen.error().message);
      return v;
    }
    v.ok = true;
    v.chosen = std::move(*chosen);
    return v;
  }

  // Each question's cells for one vehicle and date (and the cells of the row it reads), refused when a cell
  // it reads is malformed. Each is cached on exactly what it depends on.
  Part refuse(int column, const std::string& message) const {
    Part out;
    out.column = column >= 0 ? column_name(column) : column_of(message);
    out.reason = one_line(message);
    return out;
  }
  static Part cells_part(const std::vector<std::string>& cells, std::vector<std::string> warnings) {
    Part out;
    out.ok = true;
    for (const std::string& c : cells) {
      out.cells += ',';
      out.cells += csv_escape(c);
    }
    out.warnings = fmt::format("{}", fmt::join(warnings, "; "));
    return out;
  }

  // The import pathways for the vehicle on the day (the entry question's and the landed cost's), worked out
  // once per vehicle and day.
  const ImportDetermination& pathways(const VehicleEntry& v, Date day) {
    const std::string_view k(key.data(), base_key_size);
    auto it = determinations.find(k);
    if (it == determinations.end())
      it =
          determinations.emplace(std::string(k), base.import_pathways().explain(v.chosen.vehicle, day)).first;
    return it->second;
  }

  Part make_entry(const VehicleEntry& v, Date day) {
    const ImportDetermination& d = pathways(v, day);
    bool available = false, unknown = false;
    for (const Pathway& p : d.pathways) {
      if (!p.road_use) continue;
      available = available || p.status == PathwayStatus::available;
      unknown = unknown || p.status == PathwayStatus::unknown;
    }
    std::vector<std::string> warnings;
    if (!d.earliest_road_entry) {
      std::vector<std::string> missing;
      for (const Pathway& p : d.pathways)
        for (const std::string& f : p.missing_fields)
          if (std::find(missing.begin(), missing.end(), f) == missing.end()) missing.push_back(f);
      if (!missing.empty())
        warnings.push_back(fmt::format("entry: give {} to settle it", fmt::join(missing, ", ")));
    }
    return cells_part({d.earliest_road_entry ? d.earliest_road_entry->str() : "", d.earliest_road_pathway,
                       available ? "yes"
                       : unknown ? "unknown"
                                 : "no"},
                      std::move(warnings));
  }

  // The duty rates under the heading with the highest settled rate (the landed cost shows the costliest
  // heading, the same one); they do not depend on the price.
  Part make_duty(const VehicleEntry& v, Date day) const {
    const Vehicle& vehicle = v.chosen.vehicle;
    if (!vehicle.built)
      return cells_part({"", "", ""}, {"duty: give built (Section 232 counts the build year)"});
    std::vector<std::string> missing;
    const auto headings = base.duties().headings().match(vehicle, &missing);
    if (headings.empty()) {
      return cells_part({"", "", ""},
                        {missing.empty() ? std::string("duty: no tariff heading matches the vehicle")
                                         : fmt::format("duty: give {} to choose the tariff heading",
                                                       fmt::join(missing, ", "))});
    }
    std::optional<DutyDetermination> best;
    for (const TariffHeading* h : headings) {
      DutyDetermination d = base.duties().assess(*h, *vehicle.built, day, Money{});
      if (!best || d.settled_percent > best->settled_percent) best = std::move(d);
    }
    std::vector<std::string> warnings;
    if (headings.size() > 1) {
      std::vector<std::string_view> others;
      for (const TariffHeading* h : headings)
        if (h != best->heading) others.push_back(h->heading);
      warnings.push_back(
          fmt::format("duty: heading unsettled, shown under the highest rate; also possible: {}",
                      fmt::join(others, ", ")));
    }
    return cells_part(
        {best->heading->heading, percent_cell(best->settled_percent), percent_cell(best->unsettled_percent)},
        std::move(warnings));
  }

  Part make_landed(const VehicleEntry& v, Date day) {
    std::optional<int64_t> price;
    std::string source;
    if (const std::string_view text = cell(col(Role::price_jpy)); !text.empty()) {
      auto p = answers::check_number(text, answers::kPriceJpy);
      if (!p) return refuse(col(Role::price_jpy), fmt::format("price_jpy: {}", p.error().message));
      price = static_cast<int64_t>(*p);
      source = "given";
    } else if (v.chosen.entry != nullptr && v.chosen.entry->price_jpy) {
      price = *v.chosen.entry->price_jpy;
      source = "catalog";
    }
    if (!price)
      return cells_part({"", "", "", ""},
                        {"landed: no price (give price_jpy; the catalog has none for this vehicle)"});
    answers::CostRequest request;
    request.entry = day;
    request.price_jpy = price;
    request.freight = engine.options().freight;
    request.port = engine.options().port;
    request.known_entry = &pathways(v, day);
    auto cost = answers::answer_cost(base, request, v.chosen);
    if (!cost) return cells_part({"", "", "", ""}, {"landed: " + one_line(cost.error().message)});
    std::vector<std::string> warnings;
    if (!cost->admissibility.empty()) warnings.push_back("landed: " + cost->admissibility);
    return cells_part({std::to_string(cost->question.price_jpy), source, dollars_cell(cost->landed.total),
                       dollars_cell(cost->landed.total_high)},
                      std::move(warnings));
  }

  Part make_states(const VehicleEntry& v, Date day) const {
    answers::StatesRequest request;
    request.date = day;
    request.state = std::string(cell(col(Role::state)));
    if (request.state.empty()) request.state = engine.options().state;
    request.entered_as = std::string(cell(col(Role::entered_as)));
    if (request.entered_as.empty()) request.entered_as = engine.options().entered_as;
    if (const std::string_view text = cell(col(Role::registered_on)); !text.empty()) {
      auto d = Date::parse(text);
      if (!d) return refuse(col(Role::registered_on), fmt::format("registered_on: {}", d.error().message));
      request.registered_on = *d;
    }
    if (const std::string_view text = cell(col(Role::governor_mph)); !text.empty()) {
      auto g = answers::check_number(text, answers::kGovernorMph);
      if (!g) return refuse(col(Role::governor_mph), fmt::format("governor_mph: {}", g.error().message));
      request.governor_mph = static_cast<int>(*g);
    }
    auto s = answers::answer_states(base, request, v.chosen);
    if (!s) return refuse(-1, s.error().message);
    std::vector<std::string> cells_out, warnings;
    if (!request.state.empty()) {
      const StateAnswer& a = s->answers.front();
      cells_out = {std::string(to_string(a.status)), std::string(to_string(a.road_use)),
                   answers::limits_phrase(a.limits), std::string(to_string(a.confidence))};
      if (!a.missing_fields.empty())
        warnings.push_back(fmt::format("state: give {} to settle it", fmt::join(a.missing_fields, ", ")));
    } else {
      for (const StateAnswer& a : s->answers) cells_out.emplace_back(to_string(a.status));
    }
    return cells_part(cells_out, std::move(warnings));
  }

  void reject(std::string& rejects, int64_t line, std::string_view column, std::string_view reason,
              std::string_view raw, Counts& counts) const {
    ++counts.rejected;
    rejects += std::to_string(line);
    rejects += ',';
    rejects += csv_escape(column);
    rejects += ',';
    rejects += csv_escape(reason);
    rejects += ',';
    rejects += csv_escape(raw);
    rejects += '\n';
  }

  // One row: refused (into `rejects`) or queued for output once the chunk's kei verdicts are in.
  void answer_row(std::string_view raw, int64_t line, std::string& rejects, Counts& counts) {
    scratch.clear();
    scratch.reserve(raw.size());
    if (!split_row(raw, cells, scratch, why)) return reject(rejects, line, "", why, raw, counts);
    if (cells.size() != engine.input_columns()) {
      return reject(rejects, line, "",
                    fmt::format("has {} cells; the header has {}", cells.size(), engine.input_columns()), raw,
                    counts);
    }
    key.clear();
    for (int c : vehicle_key) {
      key += cell(c);
      key += '\x1f';
    }
    auto found = vehicles.find(std::string_view(key));
    if (found == vehicles.end()) found = vehicles.emplace(key, make_vehicle()).first;
    VehicleEntry& v = found->second;
    if (!v.ok) return reject(rejects, line, v.column, v.reason, raw, counts);
    Date day = engine.options().date;
    if (const std::string_view text = cell(col(Role::date)); !text.empty()) {
      if (text != last_date_text) {
        auto d = Date::parse(text);
        if (!d)
          return reject(rejects, line, column_name(col(Role::date)),
                        fmt::format("date: {}", d.error().message), raw, counts);
        last_date_text = std::string(text);
        last_date = *d;
      }
      day = last_date;
    }
    std::array<const Part*, kQuestions> row_parts{};
    key += '\x1e';
    key += std::to_string(day.days_since_epoch());
    const size_t base_key = key.size();
    base_key_size = base_key;
    for (int q = 0; q < kQuestions; ++q) {
      if (!asked[static_cast<size_t>(q)]) continue;
      key.resize(base_key);
      for (int c : q == kLanded ? landed_key : q == kStates ? states_key : no_key) {
        key += '\x1f';
        key += cell(c);
      }
      Cache<Part>& cache = parts[static_cast<size_t>(q)];
      auto a = cache.find(std::string_view(key));
      if (a == cache.end()) {
        Part made = q == kEntry    ? make_entry(v, day)
                    : q == kDuty   ? make_duty(v, day)
                    : q == kLanded ? make_landed(v, day)
                                   : make_states(v, day);
        a = cache.emplace(key, std::move(made)).first;
      }
      if (!a->second.ok) return reject(rejects, line, a->second.column, a->second.reason, raw, counts);
      row_parts[static_cast<size_t>(q)] = &a->second;
    }
    if (asks_kei) kei.push(v.chosen.vehicle, day);
    pending.push_back(Pending{raw, &v, row_parts, day.days_since_epoch()});
  }

  void kei_cells(size_t i, const Pending& p, std::string& out) {
    const KeiVerdict verdict_i = verdict[i];
    out += ',';
    out += to_string(verdict_i);
    out += ',';
    bool first = true;
    for (int c = 0; c < kKeiCheckCount; ++c) {
      if ((failed[i] & (1u << c)) == 0) continue;
      if (!first) out += ';';
      out += to_string(static_cast<KeiCheck>(c));
      first = false;
    }
    out += ',';
    if (verdict_i == KeiVerdict::unknown) {
      VehicleEntry& v = *p.vehicle;
      if (v.missing_day != p.day) {
        const KeiDetermination d = base.kei_class().explain(v.chosen.vehicle, Date::from_days(p.day));
        v.missing = fmt::format("{}", fmt::join(d.missing_fields, ";"));
        v.missing_day = p.day;
      }
      out += csv_escape(v.missing);
    }
  }

  Counts process(std::string_view rows, int64_t first_line, std::string& out, std::string& rejects) {
    Counts counts;
    if (vehicles.size() > kCacheEntries) vehicles.clear();
    for (Cache<Part>& c : parts)
      if (c.size() > kCacheEntries) c.clear();
    if (determinations.size() > kCacheEntries) determinations.clear();
    pending.clear();
    kei.clear();
    const bool quoted = std::memchr(rows.data(), '"', rows.size()) != nullptr;
    int64_t line = first_line;
    size_t pos = 0;
    while (pos < rows.size()) {
      size_t end = rows.size();
      int64_t breaks = 0;  // line breaks inside quoted cells
      if (!quoted) {
        const void* nl = std::memchr(rows.data() + pos, '\n', rows.size() - pos);
        if (nl != nullptr) end = static_cast<size_t>(static_cast<const char*>(nl) - rows.data());
      } else {
        bool in_quotes = false;
        for (size_t i = pos; i < rows.size(); ++i) {
          const char c = rows[i];
          if (c == '"') {
            in_quotes = !in_quotes;
          } else if (c == '\n') {
            if (!in_quotes) {
              end = i;
              break;
            }
            ++breaks;
          }
        }
      }
      std::string_view raw = rows.substr(pos, end - pos);
      if (raw.ends_with('\r')) raw.remove_suffix(1);
      const int64_t row_line = line;
      line += 1 + breaks;
      pos = end + 1;
      if (raw.find_first_not_of(" \t") == std::string_view::npos) {
        ++counts.blank;
        continue;
      }
      ++counts.read;
      try {
        answer_row(raw, row_line, rejects, counts);
      } catch (const std::exception& e) {
        // Never lose a row: a failure nobody foresaw refuses it with what went wrong.
        reject(rejects, row_line, "", fmt::format("internal error: {}", e.what()), raw, counts);
      }
    }
    if (asks_kei) {
      verdict.resize(kei.size());
      failed.resize(kei.size());
      if (auto done = base.kei_class().classify(kei.columns(), KeiBatchOutput{verdict, failed}); !done)
        throw std::logic_error(done.error().message);
    }
    for (size_t i = 0; i < pending.size(); ++i) {
      const Pending& p = pending[i];
      out += p.raw;
      if (asks_kei) kei_cells(i, p, out);
      for (const Part* part : p.parts)
        if (part != nullptr) out += part->cells;
      out += ',';
      warnings.clear();  // the warnings of every question, in one cell
      for (const Part* part : p.parts) {
        if (part == nullptr || part->warnings.empty()) continue;
        if (!warnings.empty()) warnings += "; ";
        warnings += part->warnings;
      }
      if (!warnings.empty()) out += csv_escape(warnings);
      out += '\n';
    }
    counts.written += static_cast<int64_t>(pending.size());
    return counts;
  }
};

Worker::Worker(const Engine& engine) : state_(std::make_unique<State>(engine)) {}
Worker::~Worker() = default;
Worker::Worker(Worker&&) noexcept = default;

Counts Worker::process(std::string_view rows, int64_t first_line, std::string& out, std::string& rejects) {
  return state_->process(rows, first_line, out, rejects);
}

}  // namespace keipath::batch
