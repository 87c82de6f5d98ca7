// Pieces of the batch shared by its source files (not part of the public API).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/batch.hpp"

namespace keipath::batch {

// "Length (mm)" -> "length_mm": lower case, runs of spaces, hyphens, dots, slashes and brackets as one '_'.
std::string normalize_column(std::string_view header);
// The columns of `header` that keipath reads; errors name the column ("LABEL:1: ...").
Result<std::vector<ColumnRole>> column_roles(const std::vector<std::string>& header, std::string_view label);
// The answer columns for a set of questions (bit (1 << Ask) each); `one_state`: one state's columns rather
// than all 51.
std::vector<std::string> answer_column_names(uint8_t asks, bool one_state);

// Splits one row (its line ending removed) into cells. A cell in double quotes may hold commas, line breaks
// and "" for a quote; its text is unescaped into `scratch`, which must have room for the whole row (the cells
// point into it and into `row`). False, with `why` set, for a malformed row.
bool split_row(std::string_view row, std::vector<std::string_view>& cells, std::string& scratch,
               std::string& why);

// The quotes and line breaks in `text`, in one pass.
struct ByteCounts {
  size_t quotes = 0, lines = 0;
};
ByteCounts count_quotes_and_lines(std::string_view text);

// Where the last whole row of `text` ends (after its '\n', which has an even number of quotes before it:
// `text` starts at a row's start), and the line breaks before that end; {0, 0} when no row is whole.
struct RowsEnd {
  size_t end = 0, lines = 0;
};
RowsEnd whole_rows(std::string_view text);

// Where the rows and cells of a chunk are, found in one pass over its bytes 64 at a time: for each row its
// span, the offsets of its commas and line break outside quoted cells (its last cell ends at the line
// break, or at the chunk's end for a last row without one), its quotes and the line breaks inside its
// quoted cells.
struct RowSpan {
  size_t begin, end;              // [begin, end): the row without its '\n'
  size_t first_delim, end_delim;  // its cells end at delims[first_delim .. end_delim)
  size_t quotes, breaks;
};

// The quotes, commas and line breaks among 64 bytes (bit i for byte i).
struct BlockMasks {
  uint64_t quote, comma, line;
};
BlockMasks block_masks(const char* p);

// Calls `row(span, delims)` for each row in order, as soon as the pass has found its end (its cells' ends
// are delims[span.first_delim .. span.end_delim), in the buffer given, which is reused row after row).
template <class F>
void for_each_row(std::string_view chunk, std::vector<size_t>& delims, F&& row) {
  delims.clear();
  const size_t n = chunk.size();
  uint64_t inside_carry = 0;  // all ones when the previous block ended inside a quoted cell
  size_t row_start = 0, quotes = 0, lines = 0;
  char pad[64];
  for (size_t base = 0; base < n; base += 64) {
    const char* p = chunk.data() + base;
    if (n - base < 64) {
      std::memset(pad, 0, sizeof pad);
      std::memcpy(pad, p, n - base);
      p = pad;
    }
    const BlockMasks m = block_masks(p);
    // Bit i of the prefix XOR of the quotes: from an opening quote up to, not including, its closing one.
    uint64_t inside = m.quote;
    for (int shift = 1; shift < 64; shift *= 2) inside ^= inside << shift;
    inside ^= inside_carry;
    inside_carry = static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63);
    uint64_t structural = (m.comma | m.line) & ~inside;
    uint64_t counted = 0;  // the bits of this block already counted into a row
    while (structural != 0) {
      const int bit = std::countr_zero(structural);
      structural &= structural - 1;
      delims.push_back(base + static_cast<size_t>(bit));
      if (((m.line >> bit) & 1) == 0) continue;
      const uint64_t upto = bit == 63 ? ~uint64_t{0} : (uint64_t{1} << (bit + 1)) - 1;
      quotes += static_cast<size_t>(std::popcount(m.quote & upto & ~counted));
      lines += static_cast<size_t>(std::popcount(m.line & upto & ~counted));
      row(RowSpan{row_start, base + static_cast<size_t>(bit), 0, delims.size(), quotes, lines - 1},
          static_cast<const std::vector<size_t>&>(delims));
      delims.clear();
      counted = upto;
      row_start = base + static_cast<size_t>(bit) + 1;
      quotes = lines = 0;
    }
    quotes += static_cast<size_t>(std::popcount(m.quote & ~counted));
    lines += static_cast<size_t>(std::popcount(m.line & ~counted));
  }
  // The last row without a line ending (the file's last, or one whose quote is never closed).
  if (row_start < n) {
    delims.push_back(n);
    row(RowSpan{row_start, n, 0, delims.size(), quotes, lines},
        static_cast<const std::vector<size_t>&>(delims));
  }
}

}  // namespace keipath::batch
