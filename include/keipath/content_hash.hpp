// A content hash of the files a run read (rule base, catalog, scenario), printed with every answer so that
// any figure can be traced to the exact data that produced it. FNV-1a 64: a fingerprint, not a security hash.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "keipath/result.hpp"

namespace keipath {

// Hashes each file's path (relative to `root`) and bytes, in sorted path order. Returns 16 hex digits.
// `extra` files (a scenario) are hashed after them under their given labels, not their paths, so the same
// scenario at two paths gives one hash.
struct LabelledFile {
  std::string label;
  std::filesystem::path file;
};
Result<std::string> content_hash(const std::filesystem::path& root, std::vector<std::filesystem::path> files,
                                 const std::vector<LabelledFile>& extra = {});

// Every regular file under `dir` with the given extension, recursively.
std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir, std::string_view extension);

}  // namespace keipath
