// A small RFC 4180 CSV reader: comma-separated, fields optionally in double quotes, "" for a quote inside a
// quoted field, line breaks allowed inside quotes, LF or CRLF row ends. Written by hand because Debian 12
// packages no maintained C++ CSV library; it is ~100 lines and every error names file:line.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/result.hpp"

namespace keipath {

struct CsvRow {
  int line = 0;  // the line the row starts on (1-based)
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  // The column's index in the header, or -1.
  int column(std::string_view name) const;
};

// Parses `text`; every row must have as many fields as the header. Blank lines are skipped.
Result<CsvTable> parse_csv(std::string_view text, std::string_view file_label);

// Every column in `names` must be in the header; the error lists each missing one as "label:1: missing
// column".
Result<void> require_columns(const CsvTable& table, std::string_view file_label,
                             std::initializer_list<std::string_view> names);

// "label:line: what", one line: control characters in `what` (a quoted cell, say) are escaped, so a
// message of several problems keeps one "file:line:" prefix per line.
std::string row_problem(std::string_view file_label, int line, std::string_view what);

// Reads a numeric cell: a plain decimal number, finite, within `unit`'s range (units.hpp); with `whole`, a
// whole number. The error names the column: "up_to_miles: 'x' is not a number".
Result<double> cell_quantity(std::string_view column, std::string_view text, std::string_view unit,
                             bool whole = false);

// Quotes a field for writing when it needs it.
std::string csv_escape(std::string_view field);

}  // namespace keipath
