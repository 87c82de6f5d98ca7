// Checks a TOML document's bytes before toml++ 3.3.0 (Debian's package) reads them. That parser has inputs
// on which it fails one of its internal assertions (an abort where NDEBUG is unset; with NDEBUG, an
// assumption the compiler may build on) or reaches __builtin_unreachable, which is undefined behaviour in
// every build. fuzz/ found them; this guard turns each into an ordinary error, so that toml++ only ever
// reads text it handles. The reproducers are in tests/core/toml_guard_test.cpp.
//
// A document passes when
//  - it is well-formed UTF-8: no overlong forms, surrogates, code points above U+10FFFF or cut-short
//    sequences;
//  - it holds no control character other than tab, line feed, and carriage return directly before a line
//    feed;
//  - outside strings and comments it is ASCII (as TOML requires: toml++ tests a stray character for
//    whitespace, and its test reaches __builtin_unreachable on U+00A1-U+0499, U+2C5E-U+2FFF,
//    U+3001-U+3057 and U+FB26-U+FEFE, "§" among them);
//  - in a multi-line basic string, no non-ASCII character follows a backslash, and none of those code
//    points is the first character after a line-ending backslash (valid TOML, but toml++ fails on it);
//  - no array is closed with '}' (`a = [}`) nor an inline table with ']';
//  - a table header starts with a key or ']' (`[=`, `[\x01` and `[[ [` make toml++ assert);
//  - a date-time has a digit right after its 'T', and a date followed by a space and a digit is followed by
//    more than that one digit.
// Each rejection reads "file:line:column: what (byte 0xNN)", the column counted in characters from 1 and
// the byte the first of the character named. Anything else, valid or not, is left to toml++.
#pragma once

#include <string_view>

#include "keipath/result.hpp"

namespace keipath::toml_reader {

Result<void> check_toml_text(std::string_view text, std::string_view file_label);

}  // namespace keipath::toml_reader
