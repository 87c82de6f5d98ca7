#include "keipath/csv.hpp"

#include <gtest/gtest.h>

namespace keipath {
namespace {

TEST(CsvTest, ReadsQuotedFieldsAndKeepsRowLines) {
  auto t = parse_csv("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\n2,\"two\nlines\",\n3,,z\n", "t.csv");
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].fields, (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ(t->rows[0].line, 2);
  EXPECT_EQ(t->rows[1].fields[1], "two\nlines");
  EXPECT_EQ(t->rows[1].line, 4);
  EXPECT_EQ(t->rows[2].line, 6);
  EXPECT_EQ(t->rows[2].fields[1], "");
  EXPECT_EQ(t->column("c"), 2);
  EXPECT_EQ(t->column("d"), -1);
}

TEST(CsvTest, ErrorsNameFileAndLine) {
  auto count = parse_csv("a,b\n1,2\n3\n", "t.csv");
  ASSERT_FALSE(count);
  EXPECT_EQ(count.error().message, "t.csv:3: row has 1 fields, the header has 2");
  auto open = parse_csv("a,b\n1,\"2\n", "t.csv");
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().message, "t.csv:2: a quoted field is never closed");
  auto stray = parse_csv("a,b\n1,x\"y\"\n", "t.csv");
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.error().message, "t.csv:2: a quote inside unquoted field 2");
  auto after = parse_csv("a,b\n1,\"x\"y\n", "t.csv");
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().message, "t.csv:2: text after a closing quote in field 2");
  auto empty = parse_csv("", "t.csv");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "t.csv:1: empty file (expected a header row)");
}

TEST(CsvTest, EscapesWhatNeedsIt) {
  EXPECT_EQ(csv_escape("plain"), "plain");
  EXPECT_EQ(csv_escape("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
  auto round = parse_csv("x\n" + csv_escape("a,\"b\"\nc") + "\n", "t.csv");
  ASSERT_TRUE(round);
  EXPECT_EQ(round->rows[0].fields[0], "a,\"b\"\nc");
}

}  // namespace
}  // namespace keipath
