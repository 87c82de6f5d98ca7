// Runs the `keipath` binary as a user would, for the CLI tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace keipath::testing {

struct CliRun {
  int exit_code;
  std::string out;  // stdout and stderr together
};

// A shell command line (its stderr too, when it ends in 2>&1), as a user would type it.
inline CliRun shell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  CliRun r{-1, ""};
  std::array<char, 4096> buffer{};
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) r.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline CliRun keipath(const std::string& args) {
  return shell(std::string(KEIPATH_BINARY) + " " + args + " 2>&1");
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace keipath::testing
