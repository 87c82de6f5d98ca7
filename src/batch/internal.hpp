// Pieces of the batch shared by its source files (not part of the public API).
#pragma once

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

// How many times `c` occurs in `text`.
size_t count_byte(std::string_view text, char c);

// Where the rows and cells of a chunk are: the offsets of its commas and line breaks outside quoted cells
// (a row's last cell ends at its line break, or at the chunk's end for a last row without one), and for
// each row its span, its delimiters, its quotes and the line breaks inside its quoted cells.
struct RowSpan {
  size_t begin, end;              // [begin, end): the row without its '\n'
  size_t first_delim, end_delim;  // its cells end at delims[first_delim .. end_delim)
  size_t quotes, breaks;
};
struct RowIndex {
  std::vector<size_t> delims;
  std::vector<RowSpan> rows;
};
void index_rows(std::string_view chunk, RowIndex& index);

}  // namespace keipath::batch
