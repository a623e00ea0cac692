#include "tracker/chunk_result_json.h"
#include "tracker/watermark.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

// The document as the trackers wrote it through nlohmann::ordered_json before it was written by
// hand: the same content must give the same bytes (lake-tracker writers race on them).
std::string treeWritten(const ChunkDocument& document) {
  using nlohmann::ordered_json;
  const auto& r = document.result;
  ordered_json objects = ordered_json::array();
  for (const auto& o : r.objects) {
    ordered_json json = {{"symbol", o.symbol},   {"key", o.key},     {"day", o.day},
                         {"records", o.records}, {"bytes", o.bytes}, {"sha256", o.sha256},
                         {"written", o.written}};
    if (!o.table.empty())
      json["table"] = o.table;
    objects.push_back(json);
  }
  ordered_json failed = ordered_json::array();
  for (const auto& f : r.failed)
    failed.push_back({{"symbol", f.symbol}, {"outcome", f.outcome}, {"reason", f.reason}});
  ordered_json json = {{"schema", "rawfeed.chunk_result/1"},
                       {"chunk_index", r.chunk_index},
                       {"recorded_at_ms", document.recorded_at_ms},
                       {"dead_lettered", r.dead_lettered},
                       {"records", r.records},
                       {"ok_symbols", r.ok_symbols},
                       {"empty_symbols", r.empty_symbols},
                       {"failed", failed},
                       {"objects", objects}};
  if (!r.invalid_bars.empty()) {
    for (const auto& i : r.invalid_bars)
      json["invalid_bars"].push_back(
          {{"symbol", i.symbol}, {"reason", i.reason}, {"bars", i.bars}});
  }
  if (!r.invalid_actions.empty()) {
    for (const auto& i : r.invalid_actions) {
      json["invalid_actions"].push_back(
          {{"symbol", i.symbol}, {"reason", i.reason}, {"actions", i.actions}});
    }
  }
  for (const auto& w : r.watermarks) {
    json["watermarks"].push_back({{"symbol", w.symbol},
                                  {"last_day", w.last_day},
                                  {"checked_at", w.checked_at},
                                  {"time_zone", w.time_zone},
                                  {"session_close_minute", w.session_close_minute},
                                  {"weekends", w.weekends}});
  }
  return json.dump();
}

ChunkDocument everyField() {
  ChunkDocument document = sample();
  auto& r = document.result;
  r.objects.push_back({"7203.T", "a/k", "2024-03-01", 2, 50, "cd", true, "corporate_actions"});
  r.failed.push_back({"Y", "transient", "HTTP 500: \"Erreur\" caf\u00e9 \u20ac\t\x01"});
  r.invalid_bars = {{"BRK.B", "negative volume", 4}};
  r.invalid_actions = {{"BRK.B", "negative", 2}};
  r.watermarks = {{"BRK.B", "2024-02-29", 1'709'251'200, "America/New_York", 960, false},
                  {"^VIX", "", 0, "", -1, true}};
  r.ok_symbols.push_back("7203.T");
  return document;
}

TEST(ChunkResultJson, BytesAreThoseOfTheDocumentTreeForm) {
  EXPECT_EQ(chunkDocumentJson(sample()), treeWritten(sample()));
  EXPECT_EQ(chunkDocumentJson(everyField()), treeWritten(everyField()));
  ChunkDocument empty;
  EXPECT_EQ(chunkDocumentJson(empty), treeWritten(empty));
  auto back = parseChunkDocument(chunkDocumentJson(everyField()));
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(back->result.watermarks, everyField().result.watermarks);
  EXPECT_EQ(back->result.invalid_bars, everyField().result.invalid_bars);
  EXPECT_EQ(back->result.failed[1].reason, everyField().result.failed[1].reason);
  EXPECT_EQ(chunkDocumentJson(*back), chunkDocumentJson(everyField()));
}

TEST(ChunkResultJson, AReasonThatIsNotUtf8IsRecordedWithReplacementCharacters) {
  // A hostile source's error text, passed on into a failure reason.
  ChunkDocument document = sample();
  document.result.failed[0].reason = "bad \xFF\xFE byte";
  const std::string text = chunkDocumentJson(document);
  auto back = parseChunkDocument(text);
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(back->result.failed[0].reason, "bad \xEF\xBF\xBD\xEF\xBF\xBD byte");
}

TEST(ChunkResultJson, AWrongFieldIsNamed) {
  std::string text = chunkDocumentJson(everyField());
  const auto at = text.find(R"("records":3,)");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 12, R"("records":"3",)");
  auto parsed = parseChunkDocument(text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, core::ErrorCode::kInternal);
  EXPECT_NE(parsed.error().message.find("'records' is not an integer"), std::string::npos)
      << parsed.error().message;
  std::string watermark = chunkDocumentJson(everyField());
  const auto minute = watermark.find(R"("session_close_minute":960)");
  ASSERT_NE(minute, std::string::npos);
  watermark.replace(minute, 26, R"("session_close_minute":1440)");
  parsed = parseChunkDocument(watermark);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("session_close_minute"), std::string::npos)
      << parsed.error().message;
}

TEST(ChunkResultJson, ForeignTextIsAnInternalError) {
  for (const char* text : {"", "{", "[]", R"({"chunk_index":"x"})", "{} trailing",
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

TEST(WatermarkJson, RoundTripsAndNamesTheWrongField) {
  const SymbolWatermark watermark{"BRK.B", "2024-02-29", 1'709'251'200, "America/New_York",
                                  960,     true};
  const std::string text = watermarkJson(watermark);
  EXPECT_EQ(text, R"({"symbol":"BRK.B","last_day":"2024-02-29","checked_at":1709251200,)"
                  R"("time_zone":"America/New_York","session_close_minute":960,"weekends":true})");
  auto back = parseWatermarkJson(text);
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(*back, watermark);
  // Only the symbol is required; of a key given twice the last counts.
  auto minimal = parseWatermarkJson(R"({"symbol":"A","last_day":"2024-01-02","symbol":"B"})");
  ASSERT_TRUE(minimal.ok()) << minimal.error().describe();
  EXPECT_EQ(minimal->symbol, "B");
  EXPECT_EQ(minimal->session_close_minute, -1);
  const std::pair<const char*, const char*> wrong[] = {
      {R"({"last_day":"2024-01-02"})", "'symbol'"},
      {R"({"symbol":""})", "'symbol'"},
      {R"({"symbol":"A","last_day":"2024-02-30"})", "'last_day'"},
      {R"({"symbol":"A","checked_at":-1})", "'checked_at'"},
      {R"({"symbol":"A","checked_at":1.5})", "'checked_at'"},
      {R"({"symbol":"A","checked_at":99999999999999})", "'checked_at'"},
      {R"({"symbol":"A","time_zone":3})", "'time_zone'"},
      {R"({"symbol":"A","session_close_minute":1440})", "'session_close_minute'"},
      {R"({"symbol":"A","weekends":"yes"})", "'weekends'"},
      {R"([1])", "not a JSON object"},
      {R"({"symbol":"A"} trailing)", "not a JSON object"},
      {R"({"symbol":"A")", "not a JSON object"},
  };
  for (const auto& [line, named] : wrong) {
    auto parsed = parseWatermarkJson(line);
    ASSERT_FALSE(parsed.ok()) << line;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput) << line;
    EXPECT_NE(parsed.error().message.find(named), std::string::npos)
        << line << ": " << parsed.error().message;
  }
}

}  // namespace
}  // namespace rawfeed::tracker
