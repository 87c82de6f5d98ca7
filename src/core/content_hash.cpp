#include "keipath/content_hash.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

namespace keipath {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

void mix(uint64_t& h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
}

}  // namespace

Result<std::string> content_hash(const std::filesystem::path& root, std::vector<std::filesystem::path> files,
                                 const std::vector<LabelledFile>& extra) {
  std::sort(files.begin(), files.end());
  std::vector<LabelledFile> all;
  for (const auto& file : files) all.push_back({file.lexically_relative(root).generic_string(), file});
  all.insert(all.end(), extra.begin(), extra.end());
  uint64_t h = kFnvOffset;
  std::string buffer(1 << 16, '\0');
  for (const auto& [label, file] : all) {
    mix(h, label);
    mix(h, std::string_view("\0", 1));
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(fmt::format("{}: cannot be read", file.string()));
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
      mix(h, std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
    }
  }
  return fmt::format("{:016x}", h);
}

std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir, std::string_view extension) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != decltype(it){};
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == extension) out.push_back(it->path());
  }
  return out;
}

}  // namespace keipath
