// Batch: a CSV of vehicles in (a spreadsheet, a registry extract), one answer row per input row out, in
// input order, the input's own columns passed through and the answers added; a row that cannot be answered
// goes to a rejects file with its line, column and reason, so every row is accounted for.
//
// Each question is answered by the same implementation as the single-vehicle commands: the vehicle is
// chosen by answers::choose_vehicle, the kei verdict comes from KeiClassRule's batch lane (the rule shared
// with explain mode, eight rows at a time), and entry, duty, landed cost and state road use from the answer
// layer. Rows repeat in real data (a registry holds a few hundred models and build months), so each worker
// remembers the vehicles and answers it has worked out, keyed by the exact text of the cells they depend
// on; the caches are bounded, so memory stays flat whatever the file size.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/result.hpp"
#include "keipath/rule_base.hpp"

namespace keipath::batch {

// The questions a batch run can ask of every row.
enum class Ask : uint8_t { kei, entry, duty, landed, states };
std::string_view to_string(Ask a);
// "kei,entry,duty": each name once; errors name the unknown word and list the choices.
Result<std::vector<Ask>> parse_asks(std::string_view list);
inline const std::vector<Ask> kAllAsks = {Ask::kei, Ask::entry, Ask::duty, Ask::landed, Ask::states};

struct Options {
  std::vector<Ask> asks = kAllAsks;
  Date date;               // the date every row is asked about, unless it has a date column
  Date today;              // bounds build months (as the single-vehicle commands)
  std::string state;       // every row's state, unless it has a state column; neither: all 51 as columns
  std::string entered_as;  // how the vehicles entered the US, as `states --entered-as`
  std::string freight = "roro";  // the landed cost's freight and port, as `cost --freight --port`
  std::string port = "USLAX";
};

// What an input column means. Every column keipath does not read passes through untouched.
enum class Role : uint8_t {
  field,  // a vehicle field (vehicle_field_names)
  model,
  chassis,
  frame,
  date,
  state,
  price_jpy,
  entered_as,
  registered_on,
  governor_mph,
};
inline constexpr int kRoleCount = 10;
struct ColumnRole {
  int index = 0;  // in the header
  Role role = Role::field;
  std::string field;   // the vehicle field, for Role::field
  std::string header;  // as the header spells it
};

// The names a header may use for each input, in documentation order: {what, accepted names}. Names compare
// after lower-casing and turning spaces, hyphens, dots and brackets into '_' ("Length (mm)" is length_mm).
std::vector<std::pair<std::string, std::vector<std::string>>> accepted_columns();

// Counts for a run or a chunk. Every data row is read, then written or rejected; blank lines are not rows.
struct Counts {
  int64_t read = 0, written = 0, rejected = 0, blank = 0;
  Counts& operator+=(const Counts& o);
};

class Engine {
 public:
  // `header_line` is the input's first row (without its line ending; a UTF-8 byte-order mark is dropped).
  // Errors read "LABEL:1: ...": an empty or duplicated column, two columns for one input, no column that
  // names a vehicle, a question that needs a column the file lacks.
  static Result<Engine> make(const RuleBase& base, Options options, std::string_view header_line,
                             std::string_view label);
  // The output's header row (with its '\n'): the input's columns, then the answers'.
  const std::string& output_header() const { return output_header_; }
  const std::vector<std::string>& answer_columns() const { return answer_columns_; }
  const std::vector<ColumnRole>& roles() const { return roles_; }
  size_t input_columns() const { return input_columns_; }
  const RuleBase& base() const { return *base_; }
  const Options& options() const { return options_; }
  bool asks(Ask a) const;

 private:
  Engine() = default;
  const RuleBase* base_ = nullptr;
  Options options_;
  std::vector<ColumnRole> roles_;
  size_t input_columns_ = 0;
  std::vector<std::string> answer_columns_;
  std::string output_header_;
  uint8_t asks_mask_ = 0;
};

// The rejects file's header row.
std::string_view rejects_header();

// One per thread: answers whole rows, remembering the vehicles and answers it has worked out.
class Worker {
 public:
  explicit Worker(const Engine& engine);
  ~Worker();
  Worker(Worker&&) noexcept;
  Worker& operator=(Worker&&) = delete;
  // `rows` holds whole rows (each ended by '\n', the last one possibly not); `first_line` is the line its
  // first byte is on. Appends one output row per answered row to `out` and one rejects row per refused row
  // to `rejects`.
  Counts process(std::string_view rows, int64_t first_line, std::string& out, std::string& rejects);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Splitting a byte stream into whole rows: a '\n' ends a row unless it is inside double quotes, which an
// even number of quotes before it says it is not. The end of the first row (one past its '\n'), or npos when
// `text` does not hold a whole row.
size_t first_row_end(std::string_view text);

// Where the bytes come from: a file read from `begin` up to `end` (a byte range, for one MPI rank), or a
// pipe read to its end.
class Source {
 public:
  // `label` names the input in messages.
  Source(int fd, std::string label, int64_t begin = 0, std::optional<int64_t> end = std::nullopt);
  // Appends up to `n` bytes; 0 at the end. Errors name the input.
  Result<size_t> read(std::string& buffer, size_t n);
  const std::string& label() const { return label_; }
  std::optional<int64_t> size() const;  // bytes to read in all, when known (a regular file)

 private:
  int fd_;
  std::string label_;
  int64_t pos_;
  std::optional<int64_t> end_;
  bool seekable_ = false;
};

// Writes all of `bytes` to a file descriptor; the error names `label`.
Result<void> write_all(int fd, std::string_view bytes, std::string_view label);

struct RunOptions {
  int threads = 0;                // 0: every core
  size_t chunk_bytes = 1u << 20;  // rows are handed to workers in chunks of about this size
  // Called now and then with the bytes and rows done so far (a progress bar); may be empty.
  std::function<void(int64_t bytes, int64_t rows)> progress;
};

// Reads the header row from `in` (the first whole row). Returns it (line ending and byte-order mark
// removed), leaving what was read past it in `carry`.
Result<std::string> read_header(Source& in, std::string& carry);

// Answers every row from `in` (after `carry`, which holds bytes already read) on `threads` workers, writing
// the output rows to `out_fd` and rejects to `rejects_fd` in input order. `first_line` is the line number of
// the first byte.
Result<Counts> run(const Engine& engine, Source& in, std::string carry, int64_t first_line, int out_fd,
                   std::string_view out_label, int rejects_fd, std::string_view rejects_label,
                   const RunOptions& options);

}  // namespace keipath::batch
