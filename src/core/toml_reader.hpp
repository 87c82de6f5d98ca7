// Private helpers for reading TOML with toml++ and turning every problem into "file:line: what" text.
// Only the loaders in src/core use this; toml++ types never appear in a public header.
#pragma once

#include <toml++/toml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keipath/date.hpp"
#include "keipath/params.hpp"
#include "keipath/result.hpp"

namespace keipath::toml_reader {

// Collects problems; a loader reports all of them at once, one per line.
class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(const toml::node& at, std::string_view what);
  void add_at_line(int line, std::string_view what);
  bool empty() const { return lines_.empty(); }
  Error error() const;
  SourceLocation where(const toml::node& at) const;

 private:
  std::string file_;
  std::vector<std::string> lines_;
};

// Parses a document; a syntax error becomes "file:line:column: message".
Result<toml::table> parse(std::string_view text, std::string_view file_label);

// Reports each key of `table` not in `allowed`, prefixed with `context`.
void reject_unknown_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                         std::string_view context, Problems& problems);

// Reads a required TOML date (not a string); reports its absence or wrong type.
std::optional<Date> read_date(const toml::table& table, std::string_view key, std::string_view context,
                              Problems& problems, bool required = true);
// Reads a required non-empty string.
std::optional<std::string> read_string(const toml::table& table, std::string_view key,
                                       std::string_view context, Problems& problems, bool required = true);

// Describes a node's TOML type for messages ("a string", "a boolean", ...).
std::string_view type_name(const toml::node& node);

// A value's optional `distribution` ("uniform" or "log_uniform") for its range [low, high]: true for
// log_uniform. A distribution without a range, another word, or a log_uniform range that does not start above
// 0 is a problem at its key.
bool read_distribution(const toml::table& table, std::optional<double> low, std::optional<double> high,
                       std::string_view context, Problems& problems);

}  // namespace keipath::toml_reader
