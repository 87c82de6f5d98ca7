// The batch engine: a header's meaning, and a worker that answers rows through the answer layer (the same
// choose_vehicle and rules as the single-vehicle commands) and the kei rule's batch lane. Each answer is
// worked out once for the cells it depends on and kept as text; the landed cost prices each row through
// the vehicle's LandedCostPlan.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <deque>
#include <type_traits>

#include "batch/internal.hpp"
#include "keipath/answers.hpp"
#include "keipath/csv.hpp"
#include "keipath/text.hpp"
#include "keipath/units.hpp"

namespace keipath::batch {
namespace {

constexpr std::string_view kAskNames[] = {"kei", "entry", "duty", "landed", "states"};

inline std::string_view trim(std::string_view s) {
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

std::string percent_cell(double p) {
  std::string s = fmt::format("{:.4f}", p);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

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

namespace {

// A cache of T keyed by bytes, with open addressing on the key's hash (a row looks up its answer once; the
// standard map's node per entry and pointer chase cost more than the rest of a row). With `kStable`
// entries keep their address until clear(); without, they lie side by side (fewer pages to touch).
// Eight bytes at a time, added and multiplied, folded at the end (a cache's hash: a collision costs a
// comparison, no more).
inline uint64_t key_hash(std::string_view key) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ key.size();
  size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, key.data() + i, 8);
    h = (h + w) * 0xBF58476D1CE4E5B9ull;
  }
  const size_t rest = key.size() - i;
  uint64_t w = 0;
  if (key.size() >= 8 && rest > 0) {
    std::memcpy(&w, key.data() + key.size() - 8, 8);  // the last 8 bytes, without those hashed
    w >>= 8 * (8 - rest);
  } else {
    for (size_t j = 0; j < rest; ++j) w |= static_cast<uint64_t>(static_cast<uint8_t>(key[i + j])) << (8 * j);
  }
  h = (h + w) * 0x94D049BB133111EBull;
  return h ^ (h >> 32);
}
// Whether two keys are equal, eight bytes at a time (short keys: no call into the library).
inline bool same_bytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const size_t n = a.size();
  if (n < 8) return std::memcmp(a.data(), b.data(), n) == 0;
  uint64_t x, y, diff = 0;
  for (size_t i = 0; i + 8 <= n; i += 8) {
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff |= x ^ y;
  }
  std::memcpy(&x, a.data() + n - 8, 8);  // the last 8 (overlapping what was compared)
  std::memcpy(&y, b.data() + n - 8, 8);
  return (diff | (x ^ y)) == 0;
}

template <class T, bool kStable = true>
class FlatCache {
 public:
  T* find(std::string_view key, uint64_t h) {
    if (slots_.empty()) return nullptr;
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot s = slots_[i];
      if (s.index == 0) return nullptr;
      if (s.tag != tag) continue;
      Item& item = items_[s.index - 1];
      if (same_bytes(item.key(), key)) return &item.value;
    }
  }
  T& insert(std::string_view key, uint64_t h, T value) {
    if ((items_.size() + 1) * 2 > slots_.size()) grow();
    items_.emplace_back(key, std::move(value));
    place(h, static_cast<uint32_t>(items_.size()));
    return items_.back().value;
  }
  size_t size() const { return items_.size(); }
  void clear() {
    items_.clear();
    slots_.clear();
    mask_ = 0;
  }

 private:
  struct Slot {
    uint32_t tag = 0;    // the hash's high half (its low bits choose the slot)
    uint32_t index = 0;  // into items_, plus one; 0: empty
  };
  // A key of up to 48 bytes (a row's vehicle cells, typically) is held in the item itself, on the cache
  // line the value starts on: a lookup reads one place, not two.
  struct Item {
    Item(std::string_view k, T v) : size(static_cast<uint32_t>(k.size())), value(std::move(v)) {
      if (k.size() <= sizeof small) {
        std::memcpy(small, k.data(), k.size());
      } else {
        large.assign(k);
      }
    }
    std::string_view key() const {
      return size <= sizeof small ? std::string_view(small, size) : std::string_view(large);
    }
    uint32_t size;
    char small[48];
    std::string large;
    T value;
  };
  void place(uint64_t h, uint32_t index) {
    size_t i = h & mask_;
    while (slots_[i].index != 0) i = (i + 1) & mask_;
    slots_[i] = Slot{static_cast<uint32_t>(h >> 32), index};
  }
  void grow() {
    const size_t n = std::max<size_t>(64, slots_.size() * 2);
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    for (uint32_t i = 0; i < items_.size(); ++i) place(key_hash(items_[i].key()), i + 1);
  }
  std::vector<Slot> slots_;
  std::conditional_t<kStable, std::deque<Item>, std::vector<Item>> items_;
  size_t mask_ = 0;
};

// "1234.56" for a CSV cell (no thousands separators, no dollar sign).
void append_dollars(std::string& out, Money m) {
  const int64_t c = m.cents;
  const int64_t whole = c / 100;
  const int64_t part = c % 100 < 0 ? -(c % 100) : c % 100;
  char buf[32];
  char* at = buf;
  if (c < 0 && whole == 0) *at++ = '-';
  at = std::to_chars(at, buf + sizeof buf, whole).ptr;
  *at++ = '.';
  *at++ = static_cast<char>('0' + part / 10);
  *at++ = static_cast<char>('0' + part % 10);
  out.append(buf, at);
}

void append_int(std::string& out, int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// A worker forgets what it has worked out once its caches pass these sizes, at the start of a chunk: memory
// stays flat over any file, and real files repeat far fewer keys.
constexpr size_t kCacheEntries = 1u << 16;
constexpr size_t kCacheBytes = 40u << 20;

}  // namespace

struct Worker::State {
  // A vehicle as its cells name it (model, chassis, frame, measurements).
  struct VehicleEntry {
    bool ok = false;
    std::string column, reason;  // why the row is refused
    answers::ChosenVehicle chosen;
  };
  // The answer of every row with the same vehicle cells, date cell and state cells, all but the landed
  // cost's price-dependent cells; worked out once and kept as the output text around them.
  struct Answer {
    // What every row reads first, together.
    bool ok = false, states_ok = true;
    bool kei_pending = false;  // its kei cells come from this chunk's columnar pass
    std::string head;          // kei, entry and duty cells (and, without a landed cost, the rest of the row)
    std::string tail_priced, tail_unpriced;  // the state cells, the warnings cell and '\n'
    std::optional<int64_t> catalog_price;
    std::unique_ptr<const LandedCostPlan> plan;  // (out of line: the cache stays small)
    std::string column, reason;                  // refused before the price is read (vehicle, date), or
    std::string states_column, states_reason;    // after it (the state cells)
    const VehicleEntry* vehicle = nullptr;
    Date day;
    size_t bytes = 0;
    // Without a landed cost nothing in a row's answer depends on the row itself: one piece of text.
    void seal(bool landed) {
      if (landed) return;
      head += tail_priced;
      tail_priced.clear();
      tail_unpriced.clear();
    }
  };
  // The price of a row queued for output (the landed cost's cells are written with it).
  enum class Price : uint8_t { none, given, catalog };
  struct Pending {
    std::string_view raw;
    Answer* answer;
    int64_t price;
    Price source;
    Money total, total_high;  // worked out with the row, where a failure refuses it alone
  };

  const Engine& engine;
  const RuleBase& base;
  std::array<int, kRoleCount> column{};             // each input's column, or -1 (Role::field: see `fields`)
  std::vector<std::pair<int, std::string>> fields;  // (column, vehicle field)
  std::vector<int> vehicle_key;                     // the columns a vehicle depends on
  std::vector<int> answer_key;                      // and the other cells an answer depends on (not price)
  std::vector<std::string> header;                  // column index -> header name (for rejects)
  FlatCache<VehicleEntry> vehicles;
  FlatCache<Answer> answers_cache;
  // An answer found by the row's text of its cells, with a copy of its whole text where that is short (the
  // kei question alone): the row is written from the cache's item without reading the answer.
  struct ByText {
    Answer* answer = nullptr;
    uint8_t size = kNoCopy;
    char text[55];  // room for a kei verdict with its assumed dimensions named
    static constexpr uint8_t kNoCopy = 0xFF;
  };
  FlatCache<ByText, false> answers_by_text;  // the same answers by the row's text of their cells
  int key_first = -1, key_last = -1;  // the columns of that text, when the key's columns are side by side
  size_t cache_bytes = 0;
  bool asks_kei, asks_entry, asks_duty, asks_landed, asks_states;
  std::vector<Answer*> kei_new;  // this chunk's new answers awaiting their kei cells
  KeiColumnStore kei;
  std::vector<KeiVerdict> verdict;
  std::vector<uint8_t> failed;
  std::vector<std::string_view> cells;
  std::string scratch, key, why;
  std::vector<Pending> pending;
  std::vector<size_t> delims;  // the row's, as the chunk's pass finds them

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
    for (int c : {col(Role::date), col(Role::state), col(Role::entered_as), col(Role::registered_on),
                  col(Role::governor_mph)})
      if (c >= 0) answer_key.push_back(c);
    std::vector<int> all = vehicle_key;
    all.insert(all.end(), answer_key.begin(), answer_key.end());
    std::sort(all.begin(), all.end());
    if (!all.empty() && all.back() - all.front() + 1 == static_cast<int>(all.size())) {
      key_first = all.front();
      key_last = all.back();
    }
    asks_kei = e.asks(Ask::kei);
    asks_entry = e.asks(Ask::entry);
    asks_duty = e.asks(Ask::duty);
    asks_landed = e.asks(Ask::landed);
    asks_states = e.asks(Ask::states);
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

  static void add_cells(std::string& out, const std::vector<std::string>& cells_in) {
    for (const std::string& c : cells_in) {
      out += ',';
      out += csv_escape(c);
    }
  }
  static void add_warning(std::string& warnings, std::string_view w) {
    if (w.empty()) return;
    if (!warnings.empty()) warnings += "; ";
    warnings += w;
  }

  // The entry question's cells: the earliest road entry, its pathway, and whether one is open on the day.
  static void entry_cells(const ImportDetermination& d, std::string& out, std::string& warnings) {
    bool available = false, unknown = false;
    for (const Pathway& p : d.pathways) {
      if (!p.road_use) continue;
      available = available || p.status == PathwayStatus::available;
      unknown = unknown || p.status == PathwayStatus::unknown;
    }
    if (!d.earliest_road_entry) {
      std::vector<std::string> missing;
      for (const Pathway& p : d.pathways)
        for (const std::string& f : p.missing_fields)
          if (std::find(missing.begin(), missing.end(), f) == missing.end()) missing.push_back(f);
      if (!missing.empty())
        add_warning(warnings, fmt::format("entry: give {} to settle it", fmt::join(missing, ", ")));
    }
    add_cells(out, {d.earliest_road_entry ? d.earliest_road_entry->str() : "", d.earliest_road_pathway,
                    available ? "yes"
                    : unknown ? "unknown"
                              : "no"});
  }

  // The duty rates under the heading with the highest settled rate (the landed cost shows the costliest
  // heading, the same one); they do not depend on the price.
  void duty_cells(const Vehicle& vehicle, Date day, std::string& out, std::string& warnings) const {
    if (!vehicle.built) {
      add_cells(out, {"", "", ""});
      return add_warning(warnings, "duty: give built (Section 232 counts the build year)");
    }
    std::vector<std::string> missing;
    const auto headings = base.duties().headings().match(vehicle, &missing);
    if (headings.empty()) {
      add_cells(out, {"", "", ""});
      return add_warning(warnings, missing.empty()
                                       ? std::string("duty: no tariff heading matches the vehicle")
                                       : fmt::format("duty: give {} to choose the tariff heading",
                                                     fmt::join(missing, ", ")));
    }
    std::optional<DutyDetermination> best;
    for (const TariffHeading* h : headings) {
      DutyDetermination d = base.duties().assess(*h, *vehicle.built, day, Money{});
      if (!best || d.settled_percent > best->settled_percent) best = std::move(d);
    }
    if (headings.size() > 1) {
      std::vector<std::string_view> others;
      for (const TariffHeading* h : headings)
        if (h != best->heading) others.push_back(h->heading);
      add_warning(warnings,
                  fmt::format("duty: heading unsettled, shown under the highest rate; also possible: {}",
                              fmt::join(others, ", ")));
    }
    add_cells(out, {best->heading->heading, percent_cell(best->settled_percent),
                    percent_cell(best->unsettled_percent)});
  }

  // The landed cost's plan for the vehicle on the day (the price comes with each row), or the warning
  // saying why there is none.
  std::string landed_plan(Answer& a, const ImportDetermination& pathways) const {
    const answers::ChosenVehicle& chosen = a.vehicle->chosen;
    if (chosen.entry != nullptr && chosen.entry->price_jpy) a.catalog_price = *chosen.entry->price_jpy;
    answers::CostRequest request;
    request.entry = a.day;
    request.freight = engine.options().freight;
    request.port = engine.options().port;
    auto q = answers::cost_question(request, chosen);
    if (!q) return "landed: " + one_line(q.error().message);
    auto plan = base.landed_cost().plan(*q);
    if (!plan) return "landed: " + one_line(plan.error().message);
    a.plan = std::make_unique<const LandedCostPlan>(std::move(*plan));
    const std::string note = answers::admissibility(pathways, a.day);
    return note.empty() ? note : "landed: " + note;
  }

  // The states question's cells, or the refusal of a malformed state cell.
  void states_cells(Answer& a, std::string& out, std::string& warnings) const {
    auto refuse = [&](int column, const std::string& message) {
      a.states_ok = false;
      a.states_column = column >= 0 ? column_name(column) : column_of(message);
      a.states_reason = one_line(message);
    };
    answers::StatesRequest request;
    request.date = a.day;
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
    auto s = answers::answer_states(base, request, a.vehicle->chosen);
    if (!s) return refuse(-1, s.error().message);
    if (!request.state.empty()) {
      const StateAnswer& st = s->answers.front();
      add_cells(out, {std::string(to_string(st.status)), std::string(to_string(st.road_use)),
                      answers::limits_phrase(st.limits), std::string(to_string(st.confidence))});
      if (!st.missing_fields.empty())
        add_warning(warnings, fmt::format("state: give {} to settle it", fmt::join(st.missing_fields, ", ")));
    } else {
      std::vector<std::string> all;
      for (const StateAnswer& st : s->answers) all.emplace_back(to_string(st.status));
      add_cells(out, all);
    }
  }

  // Every row with the answer's cells gets this answer (the kei cells are added at the chunk's end).
  Answer make_answer(const VehicleEntry& v) {
    Answer a;
    if (!v.ok) {
      a.column = v.column;
      a.reason = v.reason;
      return a;
    }
    a.vehicle = &v;
    a.day = engine.options().date;
    if (const std::string_view text = cell(col(Role::date)); !text.empty()) {
      auto d = Date::parse(text);
      if (!d) {
        a.column = column_name(col(Role::date));
        a.reason = fmt::format("date: {}", d.error().message);
        return a;
      }
      a.day = *d;
    }
    a.ok = true;
    const Vehicle& vehicle = v.chosen.vehicle;
    std::string warnings, landed_warning;
    // The assumed figures (no maker's) that the questions asked read: the kei verdict reads the dimensions
    // and displacement; entry, duty, cost and the states read any of them. Named only (the values and their
    // ranges are the answers' of `keipath kei` and the README's), so a kei-only answer stays short.
    if (!vehicle.assumed.empty()) {
      std::string fields;
      for (const Vehicle::Assumed& f : vehicle.assumed) {
        const bool dimension = f.field != "top_speed_kmh" && f.field != "curb_mass_kg";
        if (!dimension && !(asks_entry || asks_duty || asks_landed || asks_states)) continue;
        fields += fields.empty() ? "assumed: " : ", ";
        fields += f.field;
      }
      add_warning(warnings, fields);
    }
    std::optional<ImportDetermination> pathways;
    if (asks_entry || asks_landed) pathways = base.import_pathways().explain(vehicle, a.day);
    if (asks_entry) entry_cells(*pathways, a.head, warnings);
    if (asks_duty) duty_cells(vehicle, a.day, a.head, warnings);
    if (asks_landed) landed_warning = landed_plan(a, *pathways);
    std::string states;
    std::string states_warnings;
    if (asks_states) states_cells(a, states, states_warnings);
    // The warnings cell: each question's, in output order; the landed cost's depends on whether the row
    // has a price.
    auto tail = [&](std::string_view landed) {
      std::string w = warnings;
      add_warning(w, landed);
      add_warning(w, states_warnings);
      std::string out = states;
      out += ',';
      if (!w.empty()) out += csv_escape(w);
      out += '\n';
      return out;
    };
    a.tail_priced = tail(landed_warning);
    a.tail_unpriced = asks_landed
                          ? tail("landed: no price (give price_jpy; the catalog has none for this vehicle)")
                          : a.tail_priced;
    a.kei_pending = asks_kei;
    if (!a.kei_pending) a.seal(asks_landed);
    a.bytes = sizeof(Answer) + a.head.size() + a.tail_priced.size() + a.tail_unpriced.size() +
              (a.plan ? 1024 : 0) + 128;
    return a;
  }

  void reject(std::string& rejects, int64_t line, std::string_view column, std::string_view reason,
              std::string_view raw, Counts& counts) const {
    ++counts.rejected;
    append_int(rejects, line);
    rejects += ',';
    rejects += csv_escape(column);
    rejects += ',';
    rejects += csv_escape(reason);
    rejects += ',';
    rejects += csv_escape(raw);
    rejects += '\n';
  }

  // The cells the vehicle and then the answer depend on, joined in `key` (a separator after each).
  void add_key(const std::vector<int>& columns) {
    for (int c : columns) {
      key += cell(c);
      key += '\x1f';
    }
  }

  // One row whose cells are in `cells`: refused (into `rejects`) or queued for output once the chunk's kei
  // verdicts are in.
  // The answer for the row's cells, from the cache or worked out (and kept).
  Answer* find_or_make_answer() {
    key.clear();
    add_key(vehicle_key);
    const size_t vehicle_key_size = key.size();
    key += '\x1e';
    add_key(answer_key);
    const uint64_t h = key_hash(key);
    Answer* a = answers_cache.find(key, h);
    if (a != nullptr) return a;
    const std::string_view vk(key.data(), vehicle_key_size);
    const uint64_t vh = key_hash(vk);
    VehicleEntry* v = vehicles.find(vk, vh);
    if (v == nullptr) {
      v = &vehicles.insert(vk, vh, make_vehicle());
      cache_bytes += sizeof(VehicleEntry) + 512;
    }
    a = &answers_cache.insert(key, h, make_answer(*v));
    cache_bytes += a->bytes + key.size();
    if (a->kei_pending && a->ok) kei_new.push_back(a);
    return a;
  }

  // `raw_key`, when not empty, is the row's own text of the cells the answer depends on (they are side by
  // side): looked up as it stands, without copying the cells into a key.
  void answer_row(std::string_view raw, int64_t line, std::string_view raw_key, std::string& out,
                  std::string& rejects, Counts& counts) {
    if (cells.size() != engine.input_columns()) {
      return reject(rejects, line, "",
                    fmt::format("has {} cells; the header has {}", cells.size(), engine.input_columns()), raw,
                    counts);
    }
    const uint64_t raw_hash = raw_key.empty() ? 0 : key_hash(raw_key);
    ByText* by_text = raw_key.empty() ? nullptr : answers_by_text.find(raw_key, raw_hash);
    if (by_text != nullptr && by_text->size != ByText::kNoCopy && pending.empty()) {
      out += raw;
      out.append(by_text->text, by_text->size);
      ++counts.written;
      return;
    }
    Answer* a = by_text != nullptr ? by_text->answer : find_or_make_answer();
    if (by_text == nullptr && !raw_key.empty()) {
      by_text = &answers_by_text.insert(raw_key, raw_hash, ByText{a, ByText::kNoCopy, {}});
      cache_bytes += raw_key.size() + 128;
    }
    // Once complete, an answer that nothing in the row changes (no landed cost) is copied beside its key.
    if (by_text != nullptr && a->ok && a->states_ok && !a->kei_pending && !asks_landed &&
        a->head.size() < sizeof by_text->text) {
      std::memcpy(by_text->text, a->head.data(), a->head.size());
      by_text->size = static_cast<uint8_t>(a->head.size());
    }
    if (!a->ok) return reject(rejects, line, a->column, a->reason, raw, counts);
    Pending p{raw, a, 0, Price::none, {}, {}};
    if (asks_landed) {
      if (const std::string_view text = cell(col(Role::price_jpy)); !text.empty()) {
        auto price = answers::check_number(text, answers::kPriceJpy);
        if (!price)
          return reject(rejects, line, column_name(col(Role::price_jpy)),
                        fmt::format("price_jpy: {}", price.error().message), raw, counts);
        p.price = static_cast<int64_t>(*price);
        p.source = Price::given;
      } else if (a->catalog_price) {
        p.price = *a->catalog_price;
        p.source = Price::catalog;
      }
    }
    if (!a->states_ok) return reject(rejects, line, a->states_column, a->states_reason, raw, counts);
    if (p.source != Price::none && a->plan) {
      const LandedTotals t = LandedCostModel::totals(*a->plan, p.price);
      p.total = t.total;
      p.total_high = t.total_high;
    }
    // Written now while every answer so far is complete; from the first row that waits for its kei cells
    // on, queued, so that the output keeps the input's order.
    if (pending.empty() && !a->kei_pending) {
      write_row(p, out);
      ++counts.written;
    } else {
      pending.push_back(p);
    }
  }

  // The kei cells of this chunk's new answers, from one pass of the kei rule's batch lane.
  void add_kei_cells() {
    kei.clear();
    for (const Answer* a : kei_new) kei.push(a->vehicle->chosen.vehicle, a->day);
    verdict.resize(kei.size());
    failed.resize(kei.size());
    if (auto done = base.kei_class().classify(kei.columns(), KeiBatchOutput{verdict, failed}); !done)
      throw std::logic_error(done.error().message);
    std::string cells_out;
    for (size_t i = 0; i < kei_new.size(); ++i) {
      Answer& a = *kei_new[i];
      cells_out = ',';
      cells_out += to_string(verdict[i]);
      cells_out += ',';
      bool first = true;
      for (int c = 0; c < kKeiCheckCount; ++c) {
        if ((failed[i] & (1u << c)) == 0) continue;
        if (!first) cells_out += ';';
        cells_out += to_string(static_cast<KeiCheck>(c));
        first = false;
      }
      cells_out += ',';
      if (verdict[i] == KeiVerdict::unknown) {
        const KeiDetermination d = base.kei_class().explain(a.vehicle->chosen.vehicle, a.day);
        cells_out += csv_escape(fmt::format("{}", fmt::join(d.missing_fields, ";")));
      }
      a.head.insert(0, cells_out);
      a.kei_pending = false;
      a.seal(asks_landed);
    }
    kei_new.clear();
  }

  void write_row(const Pending& p, std::string& out) const {
    const Answer& a = *p.answer;
    out += p.raw;
    out += a.head;
    if (!asks_landed) return;  // sealed: the head is the whole answer
    {
      if (p.source == Price::none || !a.plan) {
        out += ",,,,";  // no price, or the cost cannot be worked out (the warnings say why)
      } else {
        out += ',';
        append_int(out, p.price);
        out += p.source == Price::given ? ",given," : ",catalog,";
        append_dollars(out, p.total);
        out += ',';
        append_dollars(out, p.total_high);
      }
    }
    out += p.source == Price::none ? a.tail_unpriced : a.tail_priced;
  }

  // The cells of an indexed row straight from its delimiters, when its only quotes are the pairs around
  // whole cells (the common case, "Carry" or every cell quoted); false for anything else.
  bool split_indexed(std::string_view rows, const RowSpan& r, const std::vector<size_t>& delim, bool cr) {
    if (r.breaks != 0) return false;
    cells.resize(r.end_delim - r.first_delim);
    const char* text = rows.data();
    size_t begin = r.begin, paired = 0;
    for (size_t d = r.first_delim; d < r.end_delim; ++d) {
      size_t end = delim[d];
      if (d + 1 == r.end_delim && cr) --end;
      const char* p = text + begin;
      size_t n = end - begin;
      if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
        ++p;
        n -= 2;
        paired += 2;
      }
      cells[d - r.first_delim] = std::string_view(p, n);
      begin = delim[d] + 1;
    }
    return paired == r.quotes;
  }

  Counts process(std::string_view rows, int64_t first_line, std::string& out, std::string& rejects) {
    Counts counts;
    if (answers_cache.size() > kCacheEntries || answers_by_text.size() > kCacheEntries ||
        vehicles.size() > kCacheEntries || cache_bytes > kCacheBytes) {
      answers_cache.clear();
      answers_by_text.clear();
      vehicles.clear();
      cache_bytes = 0;
    }
    pending.clear();
    int64_t line = first_line;
    for_each_row(rows, delims, [&](const RowSpan& r, const std::vector<size_t>& d) {
      std::string_view raw = rows.substr(r.begin, r.end - r.begin);
      const int64_t row_line = line;
      line += 1 + static_cast<int64_t>(r.breaks);
      const bool cr = raw.ends_with('\r');
      if (cr) raw.remove_suffix(1);
      if (raw.find_first_not_of(" \t") == std::string_view::npos) {
        ++counts.blank;
        return;
      }
      ++counts.read;
      try {
        if (split_indexed(rows, r, d, cr)) {
          std::string_view raw_key;
          if (key_first >= 0 && cells.size() == engine.input_columns()) {
            const size_t k0 = r.first_delim + static_cast<size_t>(key_first);
            const size_t k1 = r.first_delim + static_cast<size_t>(key_last);
            const size_t begin = key_first == 0 ? r.begin : d[k0 - 1] + 1;
            size_t end = d[k1];
            if (k1 + 1 == r.end_delim && cr) --end;
            raw_key = rows.substr(begin, end - begin);
          }
          answer_row(raw, row_line, raw_key, out, rejects, counts);
        } else {
          // Escaped quotes, line breaks or a malformed quote: the full reading, with its errors.
          scratch.clear();
          scratch.reserve(raw.size());  // the cells point into it: no reallocation while splitting
          if (!split_row(raw, cells, scratch, why)) {
            reject(rejects, row_line, "", why, raw, counts);
          } else {
            answer_row(raw, row_line, {}, out, rejects, counts);
          }
        }
      } catch (const std::exception& e) {
        // Never lose a row: a failure nobody foresaw refuses it with what went wrong.
        reject(rejects, row_line, "", fmt::format("internal error: {}", e.what()), raw, counts);
      }
    });
    if (!kei_new.empty()) add_kei_cells();
    for (const Pending& p : pending) write_row(p, out);
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
