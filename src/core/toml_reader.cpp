#include "core/toml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/toml_guard.hpp"
#include "keipath/units.hpp"

namespace keipath::toml_reader {

void Problems::add(const toml::node& at, std::string_view what) {
  add_at_line(static_cast<int>(at.source().begin.line), what);
}

void Problems::add_at_line(int line, std::string_view what) {
  // One line per problem: a newline quoted from the input would leave the next line without its prefix.
  lines_.push_back(fmt::format("{}:{}: {}", file_, line, quote_for_message(what)));
}

Error Problems::error() const {
  return Error{fmt::format("{}", fmt::join(lines_, "\n"))};
}

SourceLocation Problems::where(const toml::node& at) const {
  return SourceLocation{file_, static_cast<int>(at.source().begin.line)};
}

Result<toml::table> parse(std::string_view text, std::string_view file_label) {
  // toml++ 3.3.0 has inputs it does not survive (see toml_guard.hpp): it never sees them.
  if (auto checked = check_toml_text(text, file_label); !checked) return std::unexpected(checked.error());
  try {
    return toml::parse(text, file_label);
  } catch (const toml::parse_error& e) {
    return fail(fmt::format("{}:{}:{}: {}", file_label, e.source().begin.line, e.source().begin.column,
                            e.description()));
  }
}

void reject_unknown_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                         std::string_view context, Problems& problems) {
  for (const auto& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      problems.add(node, fmt::format("{}: unknown key '{}' (expected one of: {})", context, key.str(),
                                     fmt::join(allowed, ", ")));
    }
  }
}

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "nothing";
  }
}

std::optional<Date> read_date(const toml::table& table, std::string_view key, std::string_view context,
                              Problems& problems, bool required) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required)
      problems.add(table, fmt::format("{}: missing '{}' (a date such as 2026-11-22)", context, key));
    return std::nullopt;
  }
  const auto* date = node->as_date();
  if (date == nullptr) {
    problems.add(*node, fmt::format("{}: '{}' must be a date such as 2026-11-22 (unquoted), not {}", context,
                                    key, type_name(*node)));
    return std::nullopt;
  }
  const toml::date& d = date->get();
  const std::chrono::year_month_day ymd{std::chrono::year{d.year}, std::chrono::month{d.month},
                                        std::chrono::day{d.day}};
  if (!ymd.ok()) {
    problems.add(*node, fmt::format("{}: '{}' is not a calendar date", context, key));
    return std::nullopt;
  }
  return Date(ymd);
}

std::optional<std::string> read_string(const toml::table& table, std::string_view key,
                                       std::string_view context, Problems& problems, bool required) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) problems.add(table, fmt::format("{}: missing '{}'", context, key));
    return std::nullopt;
  }
  const auto* s = node->as_string();
  if (s == nullptr) {
    problems.add(*node, fmt::format("{}: '{}' must be a string, not {}", context, key, type_name(*node)));
    return std::nullopt;
  }
  if (s->get().find_first_not_of(" \t") == std::string::npos) {
    problems.add(*node, fmt::format("{}: '{}' is empty", context, key));
    return std::nullopt;
  }
  return s->get();
}

bool read_distribution(const toml::table& table, std::optional<double> low, std::optional<double> high,
                       std::string_view context, Problems& problems) {
  const toml::node* d = table.get("distribution");
  if (d == nullptr) return false;
  const auto* s = d->as_string();
  if (s == nullptr || (s->get() != "uniform" && s->get() != "log_uniform")) {
    problems.add(*d, fmt::format("{}: 'distribution' must be \"uniform\" or \"log_uniform\"", context));
    return false;
  }
  if (!low || !high) {
    problems.add(*d, fmt::format("{}: a distribution needs the range 'low' and 'high'", context));
    return false;
  }
  if (s->get() != "log_uniform") return false;
  if (!(*low > 0)) problems.add(*d, fmt::format("{}: a log_uniform range needs low > 0", context));
  return true;
}

}  // namespace keipath::toml_reader
