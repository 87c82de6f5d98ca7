#include "core/toml_guard.hpp"

#include <fmt/format.h>

#include <vector>

namespace keipath::toml_reader {
namespace {

// Where a scan is: the line and column of text[offset], both counted from 1, the column in characters.
struct Cursor {
  size_t offset = 0;
  int line = 1;
  int column = 1;
};

std::unexpected<Error> reject(std::string_view file_label, const Cursor& at, std::string_view what,
                              unsigned char byte) {
  return fail(fmt::format("{}:{}:{}: {} (byte 0x{:02X})", file_label, at.line, at.column, what, byte));
}

// --- bytes: UTF-8 and control characters --------------------------------------------------------------

// The problem with the UTF-8 sequence that starts at text[at] (a byte >= 0x80), or an empty view when it is
// well-formed; `length` receives its length in bytes.
std::string_view utf8_problem(std::string_view text, size_t at, size_t& length) {
  const auto lead = static_cast<unsigned char>(text[at]);
  char32_t code_point = 0;
  char32_t smallest = 0;  // the first code point that needs this many bytes
  if (lead < 0xC0) return "invalid UTF-8: a continuation byte with no lead byte";
  if (lead < 0xE0) {
    length = 2, code_point = lead & 0x1Fu, smallest = 0x80;
  } else if (lead < 0xF0) {
    length = 3, code_point = lead & 0x0Fu, smallest = 0x800;
  } else if (lead < 0xF8) {
    length = 4, code_point = lead & 0x07u, smallest = 0x10000;
  } else {
    return "invalid UTF-8: no sequence starts with this byte";
  }
  for (size_t k = 1; k < length; ++k) {
    if (at + k >= text.size() || (static_cast<unsigned char>(text[at + k]) & 0xC0u) != 0x80u)
      return "invalid UTF-8: sequence cut short";
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3Fu);
  }
  if (code_point < smallest) return "invalid UTF-8: overlong encoding";
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return "invalid UTF-8: a surrogate code point";
  if (code_point > 0x10FFFF) return "invalid UTF-8: a code point above U+10FFFF";
  return {};
}

Result<void> check_bytes(std::string_view text, std::string_view file_label) {
  Cursor at;
  while (at.offset < text.size()) {
    const auto byte = static_cast<unsigned char>(text[at.offset]);
    size_t length = 1;
    if (byte >= 0x80) {
      if (const auto problem = utf8_problem(text, at.offset, length); !problem.empty())
        return reject(file_label, at, problem, byte);
    } else if (byte == '\n') {
      ++at.offset;
      ++at.line;
      at.column = 1;
      continue;
    } else if (byte == '\r') {
      if (at.offset + 1 == text.size() || text[at.offset + 1] != '\n')
        return reject(file_label, at, "a carriage return not followed by a line feed", byte);
    } else if ((byte < 0x20 && byte != '\t') || byte == 0x7F) {
      return reject(file_label, at, "a control character (only tab, line feed and CR LF are allowed)", byte);
    }
    at.offset += length;
    ++at.column;
  }
  return {};
}

// --- structure: what toml++ 3.3.0 does not survive in well-formed UTF-8 ------------------------------

// The code points on which toml++'s generated is_non_ascii_horizontal_whitespace reaches
// __builtin_unreachable: it looks them up in blocks of 0x3FA from U+00A0 and has no case for blocks 0, 11
// and 63 (U+00A1-U+0499, U+2C5E-U+2FFF, U+3001-U+3057, U+FB26-U+FEFE), save the spaces U+3000 and U+FEFF.
// Checked against the function itself for every code point.
bool breaks_toml_whitespace_test(char32_t c) {
  if (c <= 0xA0 || c >= 0xFEFF || c == 0x3000) return false;
  const char32_t block = (c - 0xA0) / 0x3FA;
  return block == 0 || block == 11 || block == 63;
}

// The non-ASCII characters toml++ counts as horizontal whitespace (outside the blocks above).
bool is_wide_space(char32_t c) {
  return c == 0xA0 || c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200B) || c == 0x202F ||
         (c >= 0x205F && c <= 0x2060) || c == 0x3000 || c == 0xFEFF;
}

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// A scan of text already known to be well-formed UTF-8 without stray control characters. It follows
// strings, comments, table headers and the brackets of values only as far as it needs to find the inputs
// on which toml++ asserts or reaches __builtin_unreachable; everything else is left to toml++.
class StructureScan {
 public:
  StructureScan(std::string_view text, std::string_view file_label) : text_(text), file_label_(file_label) {}

  Result<void> run() {
    if (text_.starts_with("\xEF\xBB\xBF")) step();  // a byte-order mark, which toml++ skips
    while (!at_end()) {
      const char c = peek();
      if (c == ' ' || c == '\t' || c == '\r') {
        step();
        continue;
      }
      if (c == '\n') {
        if (open_.empty()) {
          line_start_ = true;
          expect_value_ = false;
          in_header_ = false;
        }
        step();
        continue;
      }
      if (c == '#') {
        while (!at_end() && peek() != '\n') step();
        continue;
      }
      const bool value_starts = expect_value_;
      const bool line_start = line_start_;
      expect_value_ = false;
      line_start_ = false;
      Result<void> done;
      if (c == '"' || c == '\'') {
        done = string(c);  // a string value or a quoted key
      } else if (value_starts && std::string_view("[]{},=").find(c) == std::string_view::npos) {
        done = bare_value();
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        done = non_ascii();
      } else {
        done = punctuation(c, value_starts, line_start);
        step();
      }
      if (!done) return done;
    }
    return {};
  }

 private:
  bool at_end() const { return at_.offset >= text_.size(); }
  char peek(size_t ahead = 0) const {
    return at_.offset + ahead < text_.size() ? text_[at_.offset + ahead] : '\0';
  }
  unsigned char byte() const { return static_cast<unsigned char>(peek()); }

  // The code point at the cursor and its length in bytes.
  char32_t code_point(size_t& length) const {
    const auto lead = byte();
    length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t c = length == 1 ? lead : lead & (0x7Fu >> length);
    for (size_t k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(peek(k)) & 0x3Fu);
    return c;
  }

  // Moves past one character.
  void step() {
    size_t length = 1;
    (void)code_point(length);
    if (peek() == '\n') {
      ++at_.line;
      at_.column = 1;
    } else {
      ++at_.column;
    }
    at_.offset += length;
  }

  // TOML allows non-ASCII text only in strings and comments; elsewhere toml++ tests it for whitespace.
  Result<void> non_ascii() const {
    return reject(file_label_, at_, "a non-ASCII character outside a string or comment", byte());
  }

  // A value that does not start with a quote or bracket (a number, date, boolean...): toml++ reads it up to
  // the next space, ']', '}', ',' or '#', quotes included, testing each character as it goes.
  Result<void> bare_value() {
    const Cursor start = at_;
    if (auto scanned = bare_run(); !scanned) return scanned;
    const std::string_view value = text_.substr(start.offset, at_.offset - start.offset);
    if (value.size() >= 11 && (value[10] == 'T' || value[10] == 't') && is_date(value.substr(0, 10)) &&
        (value.size() == 11 || !is_digit(value[11]))) {
      Cursor t = start;  // the value is ASCII: ten characters are ten columns
      t.offset += 10;
      t.column += 10;
      // toml++ asserts that a digit follows the 'T' ("2026-11-22T:00").
      return reject(file_label_, t, "a date-time needs a time (HH:MM:SS) right after the 'T'",
                    static_cast<unsigned char>(value[10]));
    }
    if (peek() == ' ' && is_digit(peek(1))) {
      // "2026-11-22 07:32:00" is one value: toml++ reads on past the space when a digit follows (after a
      // value of ten digits and dashes; this reads on after any, which only valid date-times survive), and
      // asserts unless a second character follows the digit.
      step();
      const Cursor time = at_;
      if (auto scanned = bare_run(); !scanned) return scanned;
      if (at_.offset - time.offset == 1) {
        return reject(
            file_label_, time,
            "a value followed by a space and one digit (a date-time needs HH:MM:SS after the space)",
            text_[time.offset]);
      }
      return {};
    }
    return {};
  }

  // Moves up to the next character that ends a bare value.
  Result<void> bare_run() {
    while (!at_end() && std::string_view(" \t\r\n]},#").find(peek()) == std::string_view::npos) {
      if (byte() >= 0x80) return non_ascii();
      step();
    }
    return {};
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  // "YYYY-MM-DD" in shape: digits with dashes at 4 and 7.
  static bool is_date(std::string_view text) {
    if (text.size() != 10) return false;
    for (size_t k = 0; k < text.size(); ++k) {
      if ((k == 4 || k == 7) ? text[k] != '-' : !is_digit(text[k])) return false;
    }
    return true;
  }

  // Brackets, commas, '=' and table headers, outside strings and comments.
  Result<void> punctuation(char c, bool value_starts, bool line_start) {
    if (c == '=' && !in_header_) {
      expect_value_ = true;
    } else if (c == '[' && line_start && open_.empty() && !value_starts) {
      return table_header();
    } else if ((c == '[' || c == '{') && value_starts) {
      open_.push_back(c);
      expect_value_ = c == '[';
    } else if (c == ',' && !open_.empty()) {
      expect_value_ = open_.back() == '[';
    } else if ((c == ']' || c == '}') && !open_.empty()) {
      if (c == '}' && open_.back() == '[')
        return reject(file_label_, at_, "'}' inside an array, which needs a value or ']'", byte());
      if (c == ']' && open_.back() == '{')
        return reject(file_label_, at_, "']' inside an inline table, which needs a key or '}'", byte());
      open_.pop_back();
    }
    return {};
  }

  // At the '[' that opens a table header: toml++ asserts unless a key or ']' follows '[' or '[[' (after
  // spaces; `[ [` is an error it reports).
  Result<void> table_header() {
    in_header_ = true;
    const bool array_of_tables = peek(1) == '[';
    size_t k = array_of_tables ? 2 : 1;
    while (peek(k) == ' ' || peek(k) == '\t') ++k;
    const char first = peek(k);
    if (at_.offset + k >= text_.size() || is_bare_key_char(first) || first == '"' || first == '\'' ||
        first == ']' || (first == '[' && !array_of_tables))
      return {};
    while (k-- > 0) step();
    return reject(file_label_, at_,
                  "a table header must start with a key (a letter, digit, '_', '-' or quote)", byte());
  }

  // At the quote that opens a string (or quoted key): moves past it.
  Result<void> string(char quote) {
    const bool multi_line = peek(1) == quote && peek(2) == quote;
    for (int k = 0; k < (multi_line ? 3 : 1); ++k) step();
    while (!at_end()) {
      const char c = peek();
      if (c == '\n' && !multi_line) return {};  // unterminated: toml++ reports it
      if (c == quote && (!multi_line || (peek(1) == quote && peek(2) == quote))) {
        for (int k = 0; k < (multi_line ? 3 : 1); ++k) step();
        // Up to two more quotes belong to the string's text (`""""` ends with one).
        for (int k = 0; multi_line && k < 2 && peek() == quote; ++k) step();
        return {};
      }
      if (c == '\\' && quote == '"') {
        step();
        if (multi_line) {
          if (auto escaped = multi_line_escape(); !escaped) return escaped;
        } else if (!at_end() && peek() != '\n') {
          step();
        }
        continue;
      }
      step();
    }
    return {};
  }

  // After a backslash in a multi-line basic string. toml++ tests the next character for whitespace, and,
  // after a line-ending backslash, each character up to the first that is not.
  Result<void> multi_line_escape() {
    if (at_end()) return {};
    if (byte() >= 0x80)
      return reject(file_label_, at_, "a backslash followed by a non-ASCII character (not an escape)",
                    byte());
    if (peek() != ' ' && peek() != '\t' && peek() != '\n' && peek() != '\r') {
      step();  // an escape such as \n or \"; toml++ checks the rest of it
      return {};
    }
    while (peek() == ' ' || peek() == '\t') step();
    // toml++ tests the character after the spaces for whitespace too, and reports any other misplaced
    // backslash itself.
    if (byte() >= 0x80) return reject(file_label_, at_, "a line-ending backslash must end its line", byte());
    if (peek() != '\n' && peek() != '\r') return {};
    while (!at_end()) {
      size_t length = 1;
      const char32_t c = code_point(length);
      if (breaks_toml_whitespace_test(c)) {
        return reject(
            file_label_, at_,
            fmt::format("U+{:04X} cannot start the text after a line-ending backslash (toml++ 3.3.0 "
                        "fails on it); write it as \\u{:04X}",
                        static_cast<uint32_t>(c), static_cast<uint32_t>(c)),
            byte());
      }
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && !is_wide_space(c)) return {};
      step();
    }
    return {};
  }

  std::string_view text_;
  std::string_view file_label_;
  Cursor at_;
  std::vector<char> open_;     // the '[' and '{' of the value being read
  bool line_start_ = true;     // nothing but whitespace yet on this line, outside any value
  bool expect_value_ = false;  // after '=', or '[' or ',' in an array: a value comes next
  bool in_header_ = false;     // inside a [table] or [[array]] header line
};

}  // namespace

Result<void> check_toml_text(std::string_view text, std::string_view file_label) {
  if (auto bytes = check_bytes(text, file_label); !bytes) return bytes;
  return StructureScan(text, file_label).run();
}

}  // namespace keipath::toml_reader
