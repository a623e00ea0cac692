#include "tracker/lake/watermark_document.h"

#include <gtest/gtest.h>

#include "support/fakes/in_memory_object_store.h"

namespace rawfeed::tracker::lake {
namespace {

const WatermarkScope kScope{"prices-daily", "prices", "1d", "yahoo_finance"};

SymbolWatermark mark(std::string symbol, std::string last_day, std::int64_t checked_at) {
  SymbolWatermark watermark;
  watermark.symbol = std::move(symbol);
  watermark.last_day = std::move(last_day);
  watermark.checked_at = checked_at;
  watermark.time_zone = "America/New_York";
  watermark.session_close_minute = 960;
  return watermark;
}

TEST(WatermarkMerge, KeepsTheLaterDayAndTheLaterChecksFacts) {
  auto older = mark("AAPL", "2024-03-15", 100);
  auto backfill = mark("AAPL", "2020-01-31", 0);
  backfill.time_zone = "";
  backfill.session_close_minute = -1;
  EXPECT_EQ(mergeWatermark(older, backfill), older);
  EXPECT_EQ(mergeWatermark(backfill, older), older);
  auto later = mark("AAPL", "2024-03-14", 200);  // an answer without the newest bar
  later.time_zone = "America/Chicago";
  later.weekends = true;
  const auto merged = mergeWatermark(older, later);
  EXPECT_EQ(merged.last_day, "2024-03-15");
  EXPECT_EQ(merged.checked_at, 200);
  EXPECT_EQ(merged.time_zone, "America/Chicago");
  EXPECT_TRUE(merged.weekends);
  EXPECT_EQ(mergeWatermark(merged, later), merged);  // idempotent
}

TEST(WatermarkJson, RoundTripsAndNamesTheBadField) {
  auto watermark = mark("6309.T", "2024-03-15", 1710500000);
  watermark.weekends = true;
  auto parsed = parseWatermarkJson(watermarkJson(watermark));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, watermark);
  for (const auto& [text, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"last_day":"2024-03-15"})", "symbol"},
           {R"({"symbol":"A","last_day":"2024-13-01"})", "last_day"},
           {R"({"symbol":"A","checked_at":-5})", "checked_at"},
           {R"({"symbol":"A","checked_at":"soon"})", "checked_at"},
           {R"({"symbol":"A","checked_at":9000000000000000000})", "checked_at"},
           {R"({"symbol":"A","session_close_minute":1440})", "session_close_minute"},
           {R"({"symbol":"A","weekends":1})", "weekends"},
           {R"([1,2])", "JSON object"}}) {
    auto bad = parseWatermarkJson(text);
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(bad.error().message.find(field), std::string::npos) << bad.error().message;
  }
}

TEST(WatermarkDocumentStore, MergesIntoOneDocumentPerScope) {
  fakes::InMemoryObjectStore store;
  WatermarkDocumentStore watermarks(store, "lake");
  auto empty = watermarks.load(kScope);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());

  const std::vector<SymbolWatermark> first{mark("MSFT", "2024-03-14", 100),
                                           mark("AAPL", "2024-03-14", 100)};
  ASSERT_TRUE(watermarks.merge(kScope, first).ok());
  const std::vector<SymbolWatermark> second{mark("AAPL", "2024-03-15", 200),
                                            mark("MSFT", "2024-03-13", 50)};
  ASSERT_TRUE(watermarks.merge(kScope, second).ok());
  auto loaded = watermarks.load(kScope);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0], mark("AAPL", "2024-03-15", 200));
  EXPECT_EQ((*loaded)[1], mark("MSFT", "2024-03-14", 100));

  const std::string key = WatermarkDocumentStore::documentKey(kScope);
  EXPECT_EQ(key,
            "_rawfeed/watermarks/domain=prices-daily/table_name=prices/interval=1d/"
            "data_source=yahoo_finance.jsonl");
  auto text = store.get(key);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(std::count(text->begin(), text->end(), '\n'), 2);
  // Another scope is another document.
  WatermarkScope hourly = kScope;
  hourly.interval = "1h";
  EXPECT_TRUE(watermarks.load(hourly).value().empty());
}

TEST(WatermarkDocumentStore, AnUnreadableDocumentIsReportedAndReplacedByTheNextMerge) {
  fakes::InMemoryObjectStore store;
  WatermarkDocumentStore watermarks(store, "state directory");
  const std::string key = WatermarkDocumentStore::documentKey(kScope);
  store::PutOptions overwrite;
  overwrite.mode = store::PutMode::kOverwrite;
  ASSERT_TRUE(
      store.put(key, watermarkJson(mark("AAPL", "2024-03-14", 1)) + "\n{oops\n", overwrite).ok());
  auto loaded = watermarks.load(kScope);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, core::ErrorCode::kInternal);
  EXPECT_NE(loaded.error().message.find("line 2"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("state directory"), std::string::npos);

  // The merge keeps the lines before the bad one and drops the rest (those symbols fetch their
  // period once).
  const std::vector<SymbolWatermark> update{mark("MSFT", "2024-03-15", 5)};
  ASSERT_TRUE(watermarks.merge(kScope, update).ok());
  auto replaced = watermarks.load(kScope);
  ASSERT_TRUE(replaced.ok()) << replaced.error().message;
  EXPECT_EQ(*replaced, (std::vector<SymbolWatermark>{mark("AAPL", "2024-03-14", 1), update[0]}));
}

TEST(WatermarkDocumentStore, AnUnchangedMergeWritesNothing) {
  fakes::InMemoryObjectStore store;
  WatermarkDocumentStore watermarks(store, "lake");
  const std::vector<SymbolWatermark> update{mark("AAPL", "2024-03-15", 5)};
  ASSERT_TRUE(watermarks.merge(kScope, update).ok());
  const std::string key = WatermarkDocumentStore::documentKey(kScope);
  ASSERT_TRUE(store.remove(key).ok());
  ASSERT_TRUE(watermarks.merge(kScope, {}).ok());
  EXPECT_FALSE(store.head(key).ok());
}

// The merge is a join of the sorted document and the sorted updates: new symbols land in their
// place, several reports of one symbol in one merge fold into one line, and merging the same
// reports again writes nothing.
TEST(WatermarkDocumentStore, AMergeJoinKeepsTheDocumentSortedAndFoldsRepeatedReports) {
  fakes::InMemoryObjectStore store;
  WatermarkDocumentStore watermarks(store, "lake");
  ASSERT_TRUE(watermarks
                  .merge(kScope, std::vector<SymbolWatermark>{mark("MSFT", "2024-03-14", 100),
                                                              mark("AAPL", "2024-03-14", 100),
                                                              mark("KO", "2024-03-14", 100)})
                  .ok());
  const std::vector<SymbolWatermark> reports{
      mark("ZZ", "2024-03-15", 200), mark("AAPL", "2024-03-15", 200), mark("B", "2024-03-11", 9),
      mark("AAPL", "2024-03-13", 300), mark("A", "2024-03-15", 200)};
  ASSERT_TRUE(watermarks.merge(kScope, reports).ok());
  const std::string key = WatermarkDocumentStore::documentKey(kScope);
  const std::string expected = watermarkJson(mark("A", "2024-03-15", 200)) + "\n" +
                               watermarkJson(mark("AAPL", "2024-03-15", 300)) + "\n" +
                               watermarkJson(mark("B", "2024-03-11", 9)) + "\n" +
                               watermarkJson(mark("KO", "2024-03-14", 100)) + "\n" +
                               watermarkJson(mark("MSFT", "2024-03-14", 100)) + "\n" +
                               watermarkJson(mark("ZZ", "2024-03-15", 200)) + "\n";
  EXPECT_EQ(store.get(key).value(), expected);
  const int puts = store.requests().puts;
  ASSERT_TRUE(watermarks.merge(kScope, reports).ok());
  EXPECT_EQ(store.requests().puts, puts) << "nothing moved: nothing written";
  EXPECT_EQ(store.get(key).value(), expected);
}

// A document someone edited by hand, out of order and with a symbol twice, reads sorted with
// the symbol's lines merged, and the next merge writes it back in order.
TEST(WatermarkDocumentStore, ADocumentOutOfOrderIsReadSortedAndRewrittenInOrder) {
  fakes::InMemoryObjectStore store;
  WatermarkDocumentStore watermarks(store, "lake");
  const std::string key = WatermarkDocumentStore::documentKey(kScope);
  store.set(key, watermarkJson(mark("MSFT", "2024-03-14", 100)) + "\n" +
                     watermarkJson(mark("AAPL", "2024-03-12", 100)) + "\n\n" +
                     watermarkJson(mark("AAPL", "2024-03-14", 50)) + "\n");
  auto loaded = watermarks.load(kScope);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(*loaded, (std::vector<SymbolWatermark>{mark("AAPL", "2024-03-14", 100),
                                                   mark("MSFT", "2024-03-14", 100)}));
  ASSERT_TRUE(
      watermarks.merge(kScope, std::vector<SymbolWatermark>{mark("KO", "2024-03-15", 7)}).ok());
  EXPECT_EQ(store.get(key).value(), watermarkJson(mark("AAPL", "2024-03-14", 100)) + "\n" +
                                        watermarkJson(mark("KO", "2024-03-15", 7)) + "\n" +
                                        watermarkJson(mark("MSFT", "2024-03-14", 100)) + "\n");
}

}  // namespace
}  // namespace rawfeed::tracker::lake
