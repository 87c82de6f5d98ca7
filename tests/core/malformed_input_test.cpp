// Bad input never crashes and never passes silently: thousands of seeded random corruptions of the bundled
// rule file, catalog and a scenario must each load or fail with a message that names the file. Run under
// ASan/UBSan in CI, this also checks that no corruption reads out of bounds.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "keipath/catalog.hpp"
#include "keipath/params.hpp"
#include "keipath/scenario.hpp"
#include "keipath/us_states.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One random edit: flip a byte, delete a run, duplicate a run, or insert a TOML/CSV-significant character.
std::string corrupt(std::string text, std::mt19937& rng) {
  auto pick = [&](size_t hi) { return std::uniform_int_distribution<size_t>(0, hi)(rng); };
  const size_t at = pick(text.size() - 1);
  switch (pick(3)) {
    case 0:
      text[at] = static_cast<char>(pick(255));
      break;
    case 1:
      text.erase(at, pick(40));
      break;
    case 2:
      text.insert(at, text.substr(pick(text.size() - 1), pick(40)));
      break;
    default: {
      static const std::string kSignificant = "\"',=[]{}#\n\r-0123456789.:";
      text.insert(at, 1, kSignificant[pick(kSignificant.size() - 1)]);
    }
  }
  return text;
}

TEST(MalformedInputTest, CorruptedRuleFilesLoadOrSayWhereTheyAreWrong) {
  const std::string good = read(std::string(KEIPATH_DATA_DIR) + "/law/jp/kei_class.toml");
  std::mt19937 rng(2026);
  int rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    ParamStore store;
    auto added = store.add_toml(corrupt(good, rng), "kei_class.toml");
    if (!added) {
      ++rejected;
      EXPECT_TRUE(added.error().message.starts_with("kei_class.toml:")) << added.error().message;
    }
  }
  EXPECT_GT(rejected, 1000) << "most corruptions should be caught";
}

TEST(MalformedInputTest, CorruptedCatalogsLoadOrSayWhereTheyAreWrong) {
  const std::string good = read(std::string(KEIPATH_DATA_DIR) + "/vehicles/kei_catalog.csv");
  std::mt19937 rng(7);
  int rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    auto catalog = Catalog::parse(corrupt(good, rng), "kei_catalog.csv", testing::date("2026-11-22"));
    if (!catalog) {
      ++rejected;
      EXPECT_TRUE(catalog.error().message.starts_with("kei_catalog.csv:")) << catalog.error().message;
    }
  }
  // Most of the catalog's bytes are its free-text sources and notes, where a changed byte is still a valid
  // row; a quarter of the corruptions land where the parser must refuse them.
  EXPECT_GT(rejected, 600);
}

TEST(MalformedInputTest, CorruptedStateRuleFilesLoadOrSayWhereTheyAreWrong) {
  // Rhode Island has a grandfather clause, Colorado a class definition: every part of the format.
  for (const char* code : {"RI", "CO", "NC"}) {
    const std::string label = std::string(code) + ".toml";
    const std::string good = read(std::string(KEIPATH_DATA_DIR) + "/law/us/states/" + label);
    ASSERT_TRUE(StateLaw::parse(good, label));
    std::mt19937 rng(31);
    int rejected = 0;
    for (int i = 0; i < 1000; ++i) {
      auto j = StateLaw::parse(corrupt(good, rng), label);
      if (!j) {
        ++rejected;
        EXPECT_TRUE(j.error().message.starts_with(label + ":")) << j.error().message;
      }
    }
    EXPECT_GT(rejected, 300) << code;
  }
}

TEST(MalformedInputTest, CorruptedScenariosParseOrSayWhereTheyAreWrong) {
  const std::string good = read(std::string(KEIPATH_DATA_DIR) + "/scenarios/example_longer_kei.toml");
  std::mt19937 rng(11);
  for (int i = 0; i < 2000; ++i) {
    auto scenario = Scenario::parse(corrupt(good, rng), "s.toml");
    if (!scenario) {
      EXPECT_TRUE(scenario.error().message.starts_with("s.toml:")) << scenario.error().message;
    }
  }
}

}  // namespace
}  // namespace keipath
