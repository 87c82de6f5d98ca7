// Errors as values. Every fallible call in keipath returns Result<T>: either the value, or an Error whose
// message says what is wrong and where ("data/law/jp/kei.toml:14: value has no ref",
// "vehicle.length_mm: -5 is not a length"). Nothing in the library throws across a module boundary.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace keipath {

struct Error {
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

// Builds the unexpected side of a Result: `return fail("field: what is wrong");`.
inline std::unexpected<Error> fail(std::string message) {
  return std::unexpected(Error{std::move(message)});
}

}  // namespace keipath
