#include "tracker/sqlite/chunk_result_json.h"

#include <gtest/gtest.h>

namespace rawfeed::tracker::sqlite {
namespace {

TEST(ChunkResultJson, RoundTripsEveryField) {
  ChunkResult chunk;
  chunk.chunk_index = 7;
  chunk.objects.push_back({"BRK.B", "k/\"quoted\"", "2024-02-29", 3, 99, "ab", false});
  chunk.ok_symbols = {"BRK.B"};
  chunk.empty_symbols = {"^VIX"};
  chunk.failed = {{"X", "rejected", "line\nbreak"}};
  chunk.records = 3;
  chunk.dead_lettered = true;
  auto back = chunkResultFromJson(chunkResultToJson(chunk));
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(back->chunk_index, 7);
  ASSERT_EQ(back->objects.size(), 1u);
  EXPECT_EQ(back->objects[0].key, "k/\"quoted\"");
  EXPECT_FALSE(back->objects[0].written);
  EXPECT_EQ(back->empty_symbols, chunk.empty_symbols);
  EXPECT_EQ(back->failed[0].reason, "line\nbreak");
  EXPECT_TRUE(back->dead_lettered);
}

TEST(ChunkResultJson, ForeignTextIsAnInternalError) {
  for (const char* text : {"", "{", "[]", R"({"chunk_index":"x"})"}) {
    auto parsed = chunkResultFromJson(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInternal);
  }
}

}  // namespace
}  // namespace rawfeed::tracker::sqlite
