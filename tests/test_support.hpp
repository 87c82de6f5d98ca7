// Helpers shared by the tests: the bundled rule base, and scratch folders for writing bad input files.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "keipath/rule_base.hpp"

namespace keipath::testing {

inline const RuleBase& bundled() {
  static const std::unique_ptr<const RuleBase> base = [] {
    auto loaded = RuleBase::load(RuleBaseOptions{KEIPATH_DATA_DIR, std::nullopt, Date::today()});
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message;
      std::abort();
    }
    return std::move(*loaded);
  }();
  return *base;
}

inline Date date(const char* text) {
  return *Date::parse(text);
}

// A file's whole text ("" when it cannot be read).
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh folder under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("keipath_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& relative, const std::string& text) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  std::filesystem::path path_;
};

// A copy of the bundled data folder (law and catalog) in a scratch dir, so a test can break one file.
inline void copy_bundled_data(const ScratchDir& dir) {
  std::filesystem::copy(KEIPATH_DATA_DIR, dir.path() / "data", std::filesystem::copy_options::recursive);
}

}  // namespace keipath::testing
