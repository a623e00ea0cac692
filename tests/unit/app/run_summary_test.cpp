#include "app/run_summary.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "contract/temp_dir.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/forwarding_tracker.h"
#include "support/fakes/in_memory_object_store.h"
#include "tracker/sqlite/sqlite_batch_tracker.h"

namespace rawfeed::app {
namespace {

tracker::BatchSnapshot batchOf(std::vector<tracker::ChunkResult> chunks, int total_chunks) {
  tracker::BatchSnapshot batch;
  batch.plan.batch_id = "b-1";
  batch.plan.batch_ds = "2024-12-06";
  batch.plan.total_chunks = total_chunks;
  batch.chunks = std::move(chunks);
  batch.state = tracker::BatchState::kComplete;
  return batch;
}

tracker::ObjectEntry object(const std::string& symbol, bool written, std::int64_t bytes) {
  tracker::ObjectEntry entry;
  entry.symbol = symbol;
  entry.day = "2024-12-05";
  entry.written = written;
  entry.bytes = bytes;
  return entry;
}

pipeline::OrchestrationResult orchestrated(int symbols,
                                           std::vector<universe::RejectedSymbol> rejected = {}) {
  pipeline::OrchestrationResult result;
  result.batch_id = "b-1";
  result.symbols = symbols;
  result.rejected = std::move(rejected);
  result.seconds = 0.0125;
  return result;
}

TEST(RunSummaryTest, ACleanBatchCountsEverySymbolAndObject) {
  tracker::ChunkResult chunk;
  chunk.ok_symbols = {"AAPL", "MSFT"};
  chunk.empty_symbols = {"NEWCO"};
  chunk.records = 42;
  chunk.objects = {object("AAPL", true, 100), object("MSFT", false, 80)};
  const auto summary = summarize(batchOf({chunk}, 1), orchestrated(3), 1.5);
  EXPECT_EQ(summary.batch_id, "b-1");
  EXPECT_EQ(summary.state, "complete");
  EXPECT_EQ(summary.symbols_total, 3);
  EXPECT_EQ(summary.ok, 2);
  EXPECT_EQ(summary.empty, 1);
  EXPECT_EQ(summary.failed, 0);
  EXPECT_EQ(summary.unfinished, 0);
  EXPECT_EQ(summary.objects_written, 1);
  EXPECT_EQ(summary.objects_skipped, 1);
  EXPECT_EQ(summary.bytes, 100);  // only what was written
  EXPECT_EQ(summary.records, 42);
  EXPECT_EQ(summary.chunks_recorded, 1);
  EXPECT_EQ(summary.chunks_total, 1);
  EXPECT_TRUE(summary.success());
}

TEST(RunSummaryTest, FailuresAndRejectionsAreGroupedByReason) {
  tracker::ChunkResult chunk;
  chunk.ok_symbols = {"AAPL"};
  chunk.failed = {{"ZZZZ", "not_found", "No data found"},
                  {"YYYY", "not_found", "No data found"},
                  {"MSFT", "throttled", "429"}};
  const auto summary =
      summarize(batchOf({chunk}, 1), orchestrated(4, {{"bad symbol!", "invalid characters"}}), 1);
  EXPECT_EQ(summary.symbols_total, 5);  // as given: the rejected one too
  EXPECT_EQ(summary.failed, 3);
  EXPECT_EQ(summary.rejected, 1);
  EXPECT_EQ(summary.failed_transient, 1);
  // By symbol, whatever order the chunks were read in.
  EXPECT_EQ(summary.failures.at("not_found: No data found"),
            (std::vector<std::string>{"YYYY", "ZZZZ"}));
  EXPECT_EQ(summary.failures.at("throttled: 429"), (std::vector<std::string>{"MSFT"}));
  EXPECT_EQ(summary.failures.at("rejected: invalid characters"),
            (std::vector<std::string>{"bad symbol!"}));
  EXPECT_FALSE(summary.success());  // a transient failure: run the batch again
}

TEST(RunSummaryTest, PermanentFailuresAloneStillSucceed) {
  tracker::ChunkResult chunk;
  chunk.failed = {{"ZZZZ", "not_found", "No data found"}};
  EXPECT_TRUE(summarize(batchOf({chunk}, 1), orchestrated(1), 1).success());
}

TEST(RunSummaryTest, DeadLettersAndUnrecordedChunksAreNotASuccess) {
  tracker::ChunkResult dead;
  dead.dead_lettered = true;
  dead.failed = {{"AAPL", "bad_request", "400"}};
  const auto dead_summary = summarize(batchOf({dead}, 1), orchestrated(1), 1);
  EXPECT_EQ(dead_summary.dead_lettered_chunks, 1);
  EXPECT_FALSE(dead_summary.success());

  tracker::ChunkResult first;
  first.ok_symbols = {"AAPL"};
  const auto unfinished = summarize(batchOf({first}, 2), orchestrated(3), 1);
  EXPECT_EQ(unfinished.unfinished, 2);
  EXPECT_EQ(unfinished.chunks_recorded, 1);
  EXPECT_FALSE(unfinished.success());
}

TEST(RunSummaryTest, InvalidBarsAreCountedPerReasonAndSymbol) {
  tracker::ChunkResult chunk;
  chunk.ok_symbols = {"AAPL", "MSFT"};
  chunk.invalid_bars = {
      {"AAPL", "negative", 2}, {"AAPL", "not_finite", 1}, {"MSFT", "negative", 3}};
  const auto summary = summarize(batchOf({chunk}, 1), orchestrated(2), 1);
  EXPECT_EQ(summary.invalid_bars.at("negative"), 5);
  EXPECT_EQ(summary.invalid_bars.at("not_finite"), 1);
  EXPECT_EQ(summary.symbols_with_invalid_bars, 2);
}

TEST(RunSummaryTest, CorporateActionObjectsAreCountedApartFromTheBars) {
  tracker::ChunkResult chunk;
  chunk.ok_symbols = {"AAPL"};
  auto dividend = object("AAPL", true, 300);
  dividend.table = "corporate_actions";
  auto split = object("AAPL", false, 200);
  split.table = "corporate_actions";
  chunk.objects = {object("AAPL", true, 2048), object("AAPL", false, 10), dividend, split,
                   dividend};
  chunk.invalid_actions = {{"AAPL", "negative", 2}, {"MSFT", "bad_date", 1}};
  const auto summary = summarize(batchOf({chunk}, 1), orchestrated(1), 1);
  EXPECT_EQ(summary.objects_written, 1);
  EXPECT_EQ(summary.objects_skipped, 1);
  EXPECT_EQ(summary.action_objects_written, 2);
  EXPECT_EQ(summary.action_objects_skipped, 1);
  EXPECT_EQ(summary.bytes, 2048 + 300 + 300);
  const auto text = formatSummary(summary);
  EXPECT_NE(text.find("  objects   1 written, 1 skipped (already in the lake)\n"
                      "  actions   2 corporate-action objects written, 1 skipped\n"
                      "  actions   3 dropped as invalid (1 bad_date, 2 negative): not written\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(formatSummary(summarize(batchOf({}, 1), orchestrated(1), 1)).find("actions"),
            std::string::npos);
}

TEST(RunSummaryTest, TheFormattedSummaryNamesEveryFigure) {
  tracker::ChunkResult chunk;
  chunk.ok_symbols = {"AAPL"};
  chunk.failed = {{"ZZZZ", "not_found", "No data found"}};
  chunk.records = 21;
  chunk.objects = {object("AAPL", true, 2048)};
  chunk.invalid_bars = {{"AAPL", "negative", 2}};
  const auto text = formatSummary(summarize(batchOf({chunk}, 1), orchestrated(2), 2.25));
  for (const char* expected : {
           "batch b-1 (ds 2024-12-06): complete\n",
           "  symbols   2 total: 1 ok, 0 empty, 1 failed, 0 rejected at validation\n",
           "        1 × not_found: No data found\n          ZZZZ\n",
           "  objects   1 written, 0 skipped (already in the lake)\n",
           "  records   21\n  bytes     2048\n",
           "  bars      2 dropped as invalid, of 1 symbols (2 negative): not written\n",
           "  chunks    1 of 1 recorded; 0 dead-lettered messages\n",
           "  time      2.25 s wall, orchestration 12.5 ms\n",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\nin\n" << text;
  }
  EXPECT_EQ(text.find("not finished"), std::string::npos);
}

TEST(RunSummaryTest, ALongListOfSymbolsIsCutAfterTwelve) {
  tracker::ChunkResult chunk;
  for (int i = 0; i < 15; ++i) {
    std::string symbol = "S";  // not "S" + std::to_string(i): GCC 12's -Wrestrict false positive
    symbol += static_cast<char>('a' + 14 - i);  // So … Sa: listed by symbol, Sa first
    chunk.failed.push_back({symbol, "not_found", "gone"});
  }
  const auto text = formatSummary(summarize(batchOf({chunk}, 1), orchestrated(15), 1));
  EXPECT_NE(text.find("Sa Sb Sc"), std::string::npos) << text;
  EXPECT_NE(text.find("Sl … and 3 more"), std::string::npos) << text;
  EXPECT_EQ(text.find("Sm"), std::string::npos) << text;
}

// --- RunTally: the summary from the finalizer's reading -----------------------------------------

class DiscardingSink final : public events::EventSink {
 public:
  core::Status publish(std::string_view) override { return core::okStatus(); }
};

std::unique_ptr<tracker::BatchTracker> openTracker(const contract::TempDir& dir) {
  auto opened = tracker::sqlite::SqliteBatchTracker::open({dir.path() / "tracker.db"});
  if (!opened.ok())
    throw std::runtime_error(opened.error().describe());
  return std::move(opened).value();
}

class RunTallyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tracker::BatchPlan plan;
    plan.batch_id = "b-1";
    plan.batch_ds = "2024-12-06";
    plan.domain = "equities";
    plan.table_name = "prices";
    plan.data_source = "yahoo_finance";
    plan.interval = "1d";
    plan.file_format = "json";
    plan.total_chunks = 2;
    plan.fingerprint = "f";
    ASSERT_TRUE(tracker_.registerBatch(plan, clock_.now()).ok());
  }

  void record(const tracker::ChunkResult& chunk) {
    auto recorded = tracker_.recordChunk("b-1", chunk, clock_.now());
    ASSERT_TRUE(recorded.ok()) << recorded.error().describe();
  }

  static tracker::ChunkResult okChunk(int index, const std::string& symbol) {
    tracker::ChunkResult chunk;
    chunk.chunk_index = index;
    chunk.ok_symbols = {symbol};
    chunk.records = 5;
    auto entry = object(symbol, true, 100);
    entry.key = "equities/prices/interval=1d/data_source=yahoo_finance/year=2024/month=12/day=05/" +
                symbol + ".json";
    entry.sha256 = std::string(64, 'a');
    entry.records = 5;
    chunk.objects = {entry};
    return chunk;
  }

  static tracker::ChunkResult deadChunk(int index, const std::string& symbol) {
    tracker::ChunkResult chunk;
    chunk.chunk_index = index;
    chunk.failed = {{symbol, "transient", "timed out"}};
    chunk.dead_lettered = true;
    return chunk;
  }

  void finalizeOk() {
    auto finalized = finalizer_.finalize("b-1");
    ASSERT_TRUE(finalized.ok()) << finalized.error().describe();
  }

  contract::TempDir dir_;
  fakes::FakeClock clock_;
  std::unique_ptr<tracker::BatchTracker> sqlite_ = openTracker(dir_);
  fakes::ReadCountingTracker tracker_{*sqlite_};
  fakes::InMemoryObjectStore store_;
  DiscardingSink events_;
  pipeline::BatchFinalizer finalizer_{store_, tracker_, events_, "test", clock_};
};

// The finalizer read every chunk result already: while the batch's revision is the one it read,
// the summary is that reading, and the batch is not read a second time.
TEST_F(RunTallyTest, TheSummaryIsTheFinalizersReadingWhileTheBatchIsUnchanged) {
  RunTally tally(finalizer_, "b-1");
  record(okChunk(0, "AAPL"));
  auto gone = okChunk(1, "MSFT");
  gone.failed = {{"ZZZZ", "not_found", "No data found"}};
  record(gone);
  finalizeOk();
  ASSERT_EQ(tracker_.readings(), 1);
  auto summary = tally.summarize(tracker_, orchestrated(3), 2.5);
  ASSERT_TRUE(summary.ok()) << summary.error().describe();
  EXPECT_EQ(tracker_.readings(), 1) << "the summary came from the finalizer's reading";
  auto read_again = summarizeBatch(tracker_, "b-1", orchestrated(3), 2.5);
  ASSERT_TRUE(read_again.ok());
  EXPECT_EQ(formatSummary(*summary), formatSummary(*read_again));
  EXPECT_EQ(summary->state, "complete");
  EXPECT_EQ(summary->ok, 2);
  EXPECT_EQ(summary->objects_written, 2);
  EXPECT_EQ(summary->records, 10);
  EXPECT_EQ(summary->failures.at("not_found: No data found"), std::vector<std::string>{"ZZZZ"});
  EXPECT_EQ(summary->chunks_recorded, 2);
}

// A result recorded after the finalizer's reading (here a redriven dead letter's success, which no
// finalizer of this process saw) moves the revision: the summary reads the batch again.
TEST_F(RunTallyTest, AChangeAfterTheReadingMakesTheSummaryReadTheBatchAgain) {
  RunTally tally(finalizer_, "b-1");
  record(okChunk(0, "AAPL"));
  record(deadChunk(1, "MSFT"));
  finalizeOk();
  record(okChunk(1, "MSFT"));
  auto summary = tally.summarize(tracker_, orchestrated(2), 1);
  ASSERT_TRUE(summary.ok()) << summary.error().describe();
  EXPECT_EQ(tracker_.readings(), 2);
  EXPECT_EQ(summary->ok, 2);
  EXPECT_EQ(summary->failed, 0);
  EXPECT_EQ(summary->dead_lettered_chunks, 0);
  EXPECT_TRUE(summary->success());
}

// The finalizer digested the batch as its chunks were recorded through it (what `rawfeed run`
// does for its batch): the summary is that digest's, and nothing reads the batch at all.
TEST_F(RunTallyTest, ABatchDigestedAsItWasRecordedIsNeverRead) {
  RunTally tally(finalizer_, "b-1");
  ASSERT_TRUE(finalizer_.digestAhead("b-1").ok());
  auto gone = okChunk(1, "MSFT");
  gone.failed = {{"ZZZZ", "not_found", "No data found"}, {"YYYY", "not_found", "No data found"}};
  const std::vector<tracker::ChunkRecord> records{{"b-1", gone}, {"b-1", okChunk(0, "AAPL")}};
  auto recorded = finalizer_.recordChunks(records, clock_.now());
  ASSERT_TRUE(recorded.ok()) << recorded.error().describe();
  finalizeOk();
  auto summary = tally.summarize(tracker_, orchestrated(4), 2.5);
  ASSERT_TRUE(summary.ok()) << summary.error().describe();
  EXPECT_EQ(tracker_.readings(), 0) << "neither the finalizer nor the summary read the batch";
  auto read_again = summarizeBatch(tracker_, "b-1", orchestrated(4), 2.5);
  ASSERT_TRUE(read_again.ok());
  EXPECT_EQ(formatSummary(*summary), formatSummary(*read_again));
  EXPECT_EQ(summary->ok, 2);
  EXPECT_EQ(summary->failures.at("not_found: No data found"),
            (std::vector<std::string>{"YYYY", "ZZZZ"}));
}

// Readings of other batches are not the run's; with no reading of its own (another process
// finalized it, or it never completed) the summary reads the batch.
TEST_F(RunTallyTest, WithoutAReadingOfItsBatchTheSummaryReadsIt) {
  RunTally tally(finalizer_, "another-batch");
  record(okChunk(0, "AAPL"));
  record(okChunk(1, "MSFT"));
  finalizeOk();
  auto summary = tally.summarize(tracker_, orchestrated(2), 1);
  ASSERT_FALSE(summary.ok());  // it reads its own batch, which this tracker does not know
  EXPECT_EQ(summary.error().code, core::ErrorCode::kNotFound);

  RunTally own(finalizer_, "b-1");
  auto unread = own.summarize(tracker_, orchestrated(2), 1);
  ASSERT_TRUE(unread.ok()) << unread.error().describe();
  EXPECT_EQ(unread->ok, 2);
  EXPECT_EQ(tracker_.readings(), 3);
}

}  // namespace
}  // namespace rawfeed::app
