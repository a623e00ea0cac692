#include "tracker/chunk_result_json.h"

#include <gtest/gtest.h>

namespace rawfeed::tracker {
namespace {

ChunkDocument sample() {
  ChunkDocument document;
  auto& chunk = document.result;
  chunk.chunk_index = 7;
  chunk.objects.push_back({"BRK.B", "k/\"quoted\"", "2024-02-29", 3, 99, "ab", false});
  chunk.ok_symbols = {"BRK.B"};
  chunk.empty_symbols = {"^VIX"};
  chunk.failed = {{"X", "rejected", "line\nbreak"}};
  chunk.records = 3;
  chunk.dead_lettered = true;
  document.recorded_at_ms = 1'700'000'000'123;
  return document;
}

TEST(ChunkResultJson, RoundTripsEveryField) {
  auto back = parseChunkDocument(chunkDocumentJson(sample()));
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(back->recorded_at_ms, 1'700'000'000'123);
  EXPECT_EQ(back->result.chunk_index, 7);
  ASSERT_EQ(back->result.objects.size(), 1u);
  EXPECT_EQ(back->result.objects[0].key, "k/\"quoted\"");
  EXPECT_FALSE(back->result.objects[0].written);
  EXPECT_EQ(back->result.empty_symbols, sample().result.empty_symbols);
  EXPECT_EQ(back->result.failed[0].reason, "line\nbreak");
  EXPECT_TRUE(back->result.dead_lettered);
  EXPECT_EQ(chunkDocumentJson(*back), chunkDocumentJson(sample()));
}

TEST(ChunkResultJson, AnObjectsTableIsKeptAndAbsentForTheBatchsOwn) {
  ChunkDocument document = sample();
  document.result.objects.push_back(
      {"BRK.B", "a/k", "2024-02-29", 2, 50, "cd", true, "corporate_actions"});
  document.result.invalid_actions = {{"BRK.B", "negative", 2}};
  const std::string text = chunkDocumentJson(document);
  EXPECT_NE(text.find(R"("invalid_actions":[{"symbol":"BRK.B","reason":"negative","actions":2}])"),
            std::string::npos)
      << text;
  EXPECT_EQ(chunkDocumentJson(sample()).find("invalid_actions"), std::string::npos);
  // The bars' entry has no "table" (its bytes are those of before); the other names its table.
  EXPECT_NE(text.find(R"("sha256":"ab","written":false})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("written":true,"table":"corporate_actions"})"), std::string::npos) << text;
  auto back = parseChunkDocument(text);
  ASSERT_TRUE(back.ok()) << back.error().describe();
  ASSERT_EQ(back->result.objects.size(), 2u);
  EXPECT_EQ(back->result.objects[0].table, "");
  EXPECT_EQ(back->result.objects[1].table, "corporate_actions");
  EXPECT_EQ(back->result.objects[1].key, "a/k");
  EXPECT_EQ(back->result.invalid_actions, document.result.invalid_actions);
  EXPECT_EQ(chunkDocumentJson(*back), text);
}

TEST(ChunkResultJson, ForeignTextIsAnInternalError) {
  for (const char* text : {"", "{", "[]", R"({"chunk_index":"x"})",
                           R"({"schema":"rawfeed.batch_plan/1","chunk_index":1})"}) {
    for (auto forms : {ChunkDocumentForms::kCurrentOnly, ChunkDocumentForms::kWithSchemaless}) {
      auto parsed = parseChunkDocument(text, forms);
      ASSERT_FALSE(parsed.ok()) << text;
      EXPECT_EQ(parsed.error().code, core::ErrorCode::kInternal);
      EXPECT_NE(parsed.error().message.find("chunk result"), std::string::npos);
    }
  }
}

TEST(ChunkResultJson, TheSqliteTrackersFirstRowsAreReadOnlyWhereAccepted) {
  // The form tracker/sqlite stored before the trackers shared one document.
  const char* legacy =
      R"({"chunk_index":3,"dead_lettered":false,"empty_symbols":[],"failed":[],)"
      R"("objects":[{"bytes":9,"day":"2024-01-02","key":"k","records":1,"sha256":"s",)"
      R"("symbol":"A","written":true}],"ok_symbols":["A"],"records":1})";
  auto read = parseChunkDocument(legacy, ChunkDocumentForms::kWithSchemaless);
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(read->result.chunk_index, 3);
  EXPECT_EQ(read->recorded_at_ms, 0);
  ASSERT_EQ(read->result.objects.size(), 1u);
  EXPECT_EQ(read->result.objects[0].symbol, "A");
  EXPECT_EQ(read->result.objects[0].table, "") << "older documents are the batch's own table";
  auto strict = parseChunkDocument(legacy);
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.error().message.find("schema"), std::string::npos) << strict.error().message;
}

}  // namespace
}  // namespace rawfeed::tracker
