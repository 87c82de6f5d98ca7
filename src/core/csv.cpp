#include "keipath/csv.hpp"

#include <fmt/format.h>

#include <cmath>

#include "keipath/units.hpp"

namespace keipath {
namespace {

// Splits one record starting at text[pos]; advances pos past its line end. Counts the lines it consumes.
Result<std::vector<std::string>> read_record(std::string_view text, size_t& pos, int& line,
                                             std::string_view file_label) {
  std::vector<std::string> fields;
  std::string field;
  const int start_line = line;
  bool quoted = false;
  while (pos < text.size()) {
    const char c = text[pos];
    if (quoted) {
      if (c == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          field.push_back('"');
          pos += 2;
          continue;
        }
        quoted = false;
        ++pos;
        if (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          return fail(fmt::format("{}:{}: text after a closing quote in field {}", file_label, line,
                                  fields.size() + 1));
        }
        continue;
      }
      if (c == '\n') ++line;
      field.push_back(c);
      ++pos;
      continue;
    }
    if (c == '"') {
      if (!field.empty()) {
        return fail(
            fmt::format("{}:{}: a quote inside unquoted field {}", file_label, line, fields.size() + 1));
      }
      quoted = true;
      ++pos;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      ++pos;
    } else if (c == '\r' || c == '\n') {
      pos += (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ? 2 : 1;
      ++line;
      fields.push_back(std::move(field));
      return fields;
    } else {
      field.push_back(c);
      ++pos;
    }
  }
  if (quoted) return fail(fmt::format("{}:{}: a quoted field is never closed", file_label, start_line));
  fields.push_back(std::move(field));
  return fields;
}

bool is_blank(const std::vector<std::string>& fields) {
  return fields.size() == 1 && fields[0].empty();
}

}  // namespace

int CsvTable::column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Result<CsvTable> parse_csv(std::string_view text, std::string_view file_label) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark
  CsvTable table;
  size_t pos = 0;
  int line = 1;
  bool have_header = false;
  while (pos < text.size()) {
    const int row_line = line;
    auto record = read_record(text, pos, line, file_label);
    if (!record) return std::unexpected(record.error());
    if (is_blank(*record)) continue;
    if (!have_header) {
      table.header = std::move(*record);
      have_header = true;
      continue;
    }
    if (record->size() != table.header.size()) {
      return fail(fmt::format("{}:{}: row has {} fields, the header has {}", file_label, row_line,
                              record->size(), table.header.size()));
    }
    table.rows.push_back(CsvRow{row_line, std::move(*record)});
  }
  if (!have_header) return fail(fmt::format("{}:1: empty file (expected a header row)", file_label));
  return table;
}

Result<void> require_columns(const CsvTable& table, std::string_view file_label,
                             std::initializer_list<std::string_view> names) {
  std::vector<std::string> errors;
  for (std::string_view c : names) {
    if (table.column(c) < 0) errors.push_back(fmt::format("{}:1: missing column '{}'", file_label, c));
  }
  if (!errors.empty()) return fail(fmt::format("{}", fmt::join(errors, "\n")));
  return {};
}

std::string row_problem(std::string_view file_label, int line, std::string_view what) {
  return fmt::format("{}:{}: {}", file_label, line, quote_for_message(what));
}

Result<double> cell_quantity(std::string_view column, std::string_view text, std::string_view unit,
                             bool whole) {
  auto value = parse_quantity(text, unit);
  if (!value) return fail(fmt::format("{}: {}", column, value.error().message));
  if (whole && *value != std::floor(*value))
    return fail(fmt::format("{}: '{}' is not a whole number", column, quote_for_message(text)));
  return value;
}

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace keipath
