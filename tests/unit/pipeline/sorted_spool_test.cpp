#include "pipeline/sorted_spool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace rawfeed::pipeline {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

Entries drained(SortedSpool& spool) {
  Entries out;
  auto status = spool.drain([&out](std::string_view key, std::string_view payload) {
    out.emplace_back(std::string(key), std::string(payload));
    return core::okStatus();
  });
  EXPECT_TRUE(status.ok()) << status.error().describe();
  return out;
}

TEST(SortedSpoolTest, InMemoryEntriesComeOutByKeyThenPayloadWithoutAFile) {
  SortedSpool spool;
  ASSERT_TRUE(spool.add("b", "2").ok());
  ASSERT_TRUE(spool.add("a", "9").ok());
  ASSERT_TRUE(spool.add("b", "1").ok());
  ASSERT_TRUE(spool.add("", "empty key").ok());
  EXPECT_EQ(spool.entries(), 4u);
  EXPECT_EQ(spool.runs(), 0u);
  EXPECT_EQ(drained(spool), (Entries{{"", "empty key"}, {"a", "9"}, {"b", "1"}, {"b", "2"}}));
  EXPECT_EQ(spool.entries(), 0u) << "a drained spool is empty";
  EXPECT_TRUE(drained(spool).empty());
}

// A budget far below the data: many runs spilled and merged, the output exactly the sorted input
// whatever order it went in, binary bytes (NUL, newline) kept.
TEST(SortedSpoolTest, SpilledRunsMergeIntoTheSortedInputWithBinaryBytesIntact) {
  std::mt19937 random(7);
  Entries input;
  for (int i = 0; i < 5000; ++i) {
    std::string key = "table";
    key += '\0';
    key += "2024-01-" + std::to_string(10 + random() % 5);
    key += '\0';
    key += "sym" + std::to_string(random() % 2000);
    input.emplace_back(std::move(key), "{\"n\":" + std::to_string(i) + "}\n");
  }
  SortedSpool spool(4096);
  for (const auto& [key, payload] : input)
    ASSERT_TRUE(spool.add(key, payload).ok());
  EXPECT_GT(spool.runs(), 10u) << "the budget forced spills";
  EXPECT_EQ(spool.entries(), input.size());
  auto expected = input;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(drained(spool), expected);
}

TEST(SortedSpoolTest, AnEntryLargerThanTheBudgetIsKept) {
  SortedSpool spool(64);
  const std::string big(1000, 'x');
  ASSERT_TRUE(spool.add("m", big).ok());
  ASSERT_TRUE(spool.add("a", "small").ok());
  ASSERT_TRUE(spool.add("z", big).ok());
  EXPECT_EQ(drained(spool), (Entries{{"a", "small"}, {"m", big}, {"z", big}}));
}

TEST(SortedSpoolTest, TheVisitorsErrorEndsTheDrainAndIsReturned) {
  for (const std::size_t budget : {std::size_t{1} << 20, std::size_t{32}}) {
    SortedSpool spool(budget);
    for (int i = 0; i < 10; ++i)
      ASSERT_TRUE(spool.add(std::to_string(i), "p").ok());
    int calls = 0;
    auto status = spool.drain([&calls](std::string_view, std::string_view) {
      return ++calls == 3 ? core::Status(core::makeError(core::ErrorCode::kInternal, "full"))
                          : core::okStatus();
    });
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message, "full");
    EXPECT_EQ(calls, 3) << "budget " << budget;
  }
}

// Runs go to $TMPDIR: one that cannot be written is an error naming the spool and the directory
// to fix, and what was added before the failed spill stays readable.
TEST(SortedSpoolTest, AnUnwritableTemporaryDirectoryIsAnErrorThatSaysWhere) {
  const char* saved = std::getenv("TMPDIR");
  const std::string previous = saved != nullptr ? saved : "";
  ::setenv("TMPDIR", "/nonexistent/rawfeed-spool-test", 1);
  SortedSpool spool(64);
  ASSERT_TRUE(spool.add("a", std::string(40, 'x')).ok());
  auto spilled = spool.add("b", std::string(40, 'y'));
  if (saved != nullptr)
    ::setenv("TMPDIR", previous.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  ASSERT_FALSE(spilled.ok());
  EXPECT_EQ(spilled.error().code, core::ErrorCode::kInternal);
  EXPECT_NE(spilled.error().message.find("sorted spool: creating a temporary file"),
            std::string::npos)
      << spilled.error().message;
  EXPECT_NE(spilled.error().message.find("$TMPDIR"), std::string::npos);
  EXPECT_EQ(drained(spool), (Entries{{"a", std::string(40, 'x')}}));
}

}  // namespace
}  // namespace rawfeed::pipeline
