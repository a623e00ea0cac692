#include "tracker/lake/batch_documents.h"

#include <gtest/gtest.h>

#include <limits>

namespace rawfeed::tracker::lake {
namespace {

ChunkDocument sampleChunk() {
  ChunkDocument document;
  auto& result = document.result;
  result.chunk_index = 7;
  result.objects.push_back(
      {"AAPL", "equities/a.jsonl", "2024-01-02", 21, 2048, std::string(64, 'a'), true});
  result.objects.push_back({"MSFT", "equities/m.jsonl", "2024-01-03", 0, 10, "", false});
  result.ok_symbols = {"AAPL", "MSFT"};
  result.empty_symbols = {"EMPTY"};
  result.failed.push_back({"BAD", "not_found", "no such symbol \"BAD\""});
  result.records = 21;
  result.dead_lettered = true;
  document.recorded_at_ms = 1'700'000'000'123;
  return document;
}

TEST(BatchDocuments, ChunkDocumentRoundTripsEveryField) {
  const ChunkDocument original = sampleChunk();
  auto parsed = parseChunkDocument(chunkDocumentJson(original));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  const auto& result = parsed->result;
  EXPECT_EQ(parsed->recorded_at_ms, original.recorded_at_ms);
  EXPECT_EQ(result.chunk_index, 7);
  ASSERT_EQ(result.objects.size(), 2u);
  EXPECT_EQ(result.objects[0].symbol, "AAPL");
  EXPECT_EQ(result.objects[0].key, "equities/a.jsonl");
  EXPECT_EQ(result.objects[0].day, "2024-01-02");
  EXPECT_EQ(result.objects[0].records, 21);
  EXPECT_EQ(result.objects[0].bytes, 2048);
  EXPECT_EQ(result.objects[0].sha256, std::string(64, 'a'));
  EXPECT_TRUE(result.objects[0].written);
  EXPECT_FALSE(result.objects[1].written);
  EXPECT_EQ(result.ok_symbols, original.result.ok_symbols);
  EXPECT_EQ(result.empty_symbols, original.result.empty_symbols);
  ASSERT_EQ(result.failed.size(), 1u);
  EXPECT_EQ(result.failed[0].reason, "no such symbol \"BAD\"");
  EXPECT_EQ(result.records, 21);
  EXPECT_TRUE(result.dead_lettered);
}

TEST(BatchDocuments, TheSameContentIsTheSameBytes) {
  // Racing writers of one document must write identical bytes: fixed field order, no spacing.
  EXPECT_EQ(chunkDocumentJson(sampleChunk()), chunkDocumentJson(sampleChunk()));
  EXPECT_EQ(sentDocumentJson({0, 2}), R"({"schema":"rawfeed.sent_chunks/1","chunks":[0,2]})");
  ChunkDocument empty;
  EXPECT_EQ(chunkDocumentJson(empty),
            R"({"schema":"rawfeed.chunk_result/1","chunk_index":0,"recorded_at_ms":0,)"
            R"("dead_lettered":false,"records":0,"ok_symbols":[],"empty_symbols":[],)"
            R"("failed":[],"objects":[]})");
}

TEST(BatchDocuments, PlanDocumentRoundTrips) {
  PlanDocument original;
  auto& plan = original.plan;
  plan = {"b1",     "2024-01-02", "equities", "prices", "yahoo_finance", "1d", "json",
          "manual", "corr",       12,         "fp"};
  original.registered_at_ms = 1'700'000'000'000;
  auto parsed = parsePlanDocument(planDocumentJson(original));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(planDocumentJson(*parsed), planDocumentJson(original));
  EXPECT_EQ(parsed->plan.total_chunks, 12);
  EXPECT_EQ(parsed->plan.correlation_id, "corr");
  EXPECT_EQ(parsed->registered_at_ms, 1'700'000'000'000);
}

// A document's instant beyond what the clock holds (a broken or hostile lake; found by review:
// the conversion overflowed) reads as absent; every instant the clock holds round-trips.
TEST(BatchDocuments, MillisBeyondTheClockReadAsAbsent) {
  EXPECT_EQ(toMillis(fromMillis(1'700'000'000'123)), 1'700'000'000'123);
  EXPECT_EQ(toMillis(fromMillis(-86'400'000)), -86'400'000);
  for (const std::int64_t far :
       {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(),
        std::int64_t{9'300'000'000'000'000}}) {
    EXPECT_EQ(fromMillis(far), core::SystemTime{}) << far;
  }
}

TEST(BatchDocuments, ABrokenDocumentIsInternalAndSaysWhat) {
  struct Case {
    const char* text;
    const char* expected;  // in the message
  };
  const Case cases[] = {
      {"", "chunk result"},
      {"{", "chunk result"},
      {"[]", "chunk result"},
      {R"({"schema":"rawfeed.batch_plan/1"})", "schema"},
      {R"({"schema":"rawfeed.chunk_result/1","chunk_index":"seven"})", "chunk result"},
  };
  for (const auto& c : cases) {
    auto parsed = parseChunkDocument(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInternal) << c.text;
    EXPECT_NE(parsed.error().message.find(c.expected), std::string::npos) << parsed.error().message;
  }
  EXPECT_EQ(parsePlanDocument("{}").error().code, core::ErrorCode::kInternal);
  EXPECT_EQ(parseSentDocument(R"({"schema":"x","chunks":[]})").error().code,
            core::ErrorCode::kInternal);
}

TEST(BatchDocuments, MillisecondsRoundTrip) {
  const core::SystemTime at{std::chrono::milliseconds(1'700'000'000'123)};
  EXPECT_EQ(toMillis(at), 1'700'000'000'123);
  EXPECT_EQ(fromMillis(toMillis(at)), at);
}

}  // namespace
}  // namespace rawfeed::tracker::lake
