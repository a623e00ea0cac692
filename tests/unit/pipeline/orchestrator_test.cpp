#include "pipeline/orchestrator.h"

#include <gtest/gtest.h>

#include "contract/temp_dir.h"
#include "pipeline/chunk_message.h"
#include "support/fakes/batch_request_builder.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/in_memory_queue.h"
#include "tracker/sqlite/sqlite_batch_tracker.h"

namespace rawfeed::pipeline {
namespace {

class OrchestratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = tracker::sqlite::SqliteBatchTracker::open({dir_.path() / "tracker.db"});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    tracker_ = std::move(opened).value();
  }

  static BatchRequest request(const std::string& batch_id) {
    return fakes::BatchRequestBuilder(batch_id, "2024-01-02").build();
  }

  static std::vector<std::string> symbols(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      std::string symbol("S");
      symbol += std::to_string(i);
      out.push_back(symbol);
    }
    return out;
  }

  contract::TempDir dir_;
  fakes::FakeClock clock_;
  fakes::InMemoryQueue queue_;
  std::unique_ptr<tracker::BatchTracker> tracker_;
};

TEST_F(OrchestratorTest, ChunksRegistersAndSendsInBatchesOfTen) {
  Orchestrator orchestrator(queue_, *tracker_, clock_, {5, 10});
  auto raw = symbols(103);
  raw.push_back("bad symbol");
  raw.push_back("S0");      // a duplicate
  raw.push_back("ACHR-W");  // in the source's notation already: sent as it is, never re-mapped
  auto result = orchestrator.orchestrate(request("b1"), raw);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->symbols, 104);
  EXPECT_EQ(result->chunks, 21);
  EXPECT_EQ(result->published, 21);
  ASSERT_EQ(result->rejected.size(), 1u);
  EXPECT_EQ(result->rejected[0].symbol, "bad symbol");
  EXPECT_EQ(queue_.sendCalls(), 3);  // 10 + 10 + 1
  const auto bodies = queue_.bodies();
  ASSERT_EQ(bodies.size(), 21u);
  auto last = decodeChunkMessage(bodies.back());
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->chunk_index, 20);
  EXPECT_EQ(last->batch_total_chunks, 21);
  EXPECT_EQ(last->symbols, (std::vector<std::string>{"S100", "S101", "S102", "ACHR-W"}));
  auto snapshot = tracker_->snapshot("b1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->plan.total_chunks, 21);
  EXPECT_EQ(snapshot->sent_chunks.size(), 21u);
}

TEST_F(OrchestratorTest, RetriesFailedEntriesOnce) {
  queue_.failEntry("3", 1);
  Orchestrator orchestrator(queue_, *tracker_, clock_, {5, 10});
  auto result = orchestrator.orchestrate(request("b2"), symbols(50));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->published, 10);
  EXPECT_EQ(queue_.bodies().size(), 10u);
}

TEST_F(OrchestratorTest, ResidualFailureIsLoudAndARerunSendsOnlyTheRest) {
  queue_.failEntry("3", 2);
  Orchestrator orchestrator(queue_, *tracker_, clock_, {5, 10});
  auto failed = orchestrator.orchestrate(request("b3"), symbols(50));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("failed to send twice"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(queue_.bodies().size(), 9u);
  auto rerun = orchestrator.orchestrate(request("b3"), symbols(50));
  ASSERT_TRUE(rerun.ok()) << rerun.error().message;
  EXPECT_TRUE(rerun->existing_batch);
  EXPECT_EQ(rerun->published, 1);
  EXPECT_EQ(rerun->already_sent, 9);
  EXPECT_EQ(queue_.bodies().size(), 10u);
}

TEST_F(OrchestratorTest, RerunOfTheSameBatchSendsNothingNew) {
  Orchestrator orchestrator(queue_, *tracker_, clock_, {5, 10});
  ASSERT_TRUE(orchestrator.orchestrate(request("b4"), symbols(12)).ok());
  auto rerun = orchestrator.orchestrate(request("b4"), symbols(12));
  ASSERT_TRUE(rerun.ok());
  EXPECT_EQ(rerun->published, 0);
  EXPECT_EQ(queue_.bodies().size(), 3u);
}

TEST_F(OrchestratorTest, ReusedBatchIdForOtherWorkIsRefused) {
  Orchestrator orchestrator(queue_, *tracker_, clock_, {5, 10});
  ASSERT_TRUE(orchestrator.orchestrate(request("b5"), symbols(12)).ok());
  auto other = orchestrator.orchestrate(request("b5"), symbols(13));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(queue_.bodies().size(), 3u);
}

TEST_F(OrchestratorTest, EmptyUniverseEnqueuesNothing) {
  Orchestrator orchestrator(queue_, *tracker_, clock_, {5, 10});
  auto result = orchestrator.orchestrate(request("b6"), {"bad one", "$X"});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("no valid symbol"), std::string::npos);
  EXPECT_EQ(queue_.sendCalls(), 0);
  EXPECT_FALSE(tracker_->snapshot("b6").ok());
}

TEST_F(OrchestratorTest, BackfillWindowsMultiplyChunksAndDryRunSendsNothing) {
  Orchestrator orchestrator(queue_, *tracker_, clock_, {5, 10});
  BatchRequest r = request("b7");
  r.period.clear();
  r.start = "2024-01-01";
  r.end = "2024-01-14";
  r.windows = {{"2024-01-01", "2024-01-07"}, {"2024-01-08", "2024-01-14"}};
  auto plan = orchestrator.plan(r, symbols(7));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->bodies.size(), 4u);  // 2 chunks × 2 windows
  EXPECT_EQ(queue_.sendCalls(), 0);
  EXPECT_FALSE(tracker_->snapshot("b7").ok());
  auto last = decodeChunkMessage(plan->bodies[3]);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->request.start, "2024-01-08");
  EXPECT_EQ(last->request.end, "2024-01-14");
  EXPECT_EQ(last->symbols, (std::vector<std::string>{"S5", "S6"}));
  EXPECT_EQ(last->batch_total_chunks, 4);
  auto result = orchestrator.orchestrate(r, symbols(7));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->chunks, 4);
  EXPECT_EQ(queue_.bodies(), plan->bodies);
}

// An incremental plan: the symbols of each window chunked together, the windows in the
// exchange's days, the period for symbols without a watermark, and the up-to-date ones left out
// but counted in the registered plan.
TEST_F(OrchestratorTest, PerSymbolWindowsGroupSymbolsSharingAWindow) {
  Orchestrator orchestrator(queue_, *tracker_, clock_, {2, 10});
  BatchRequest r = request("b8");
  r.symbol_windows =
      std::vector<SymbolWindow>{{"AAPL", "2024-01-03", "2024-01-05", "America/New_York"},
                                {"NEW", "", "", ""},
                                {"MSFT", "2024-01-03", "2024-01-05", "America/New_York"},
                                {"6309.T", "2024-01-04", "2024-01-05", "Asia/Tokyo"},
                                {"IBM", "2024-01-03", "2024-01-05", "America/New_York"},
                                {"bad symbol", "", "", ""}};
  r.up_to_date = {"NVDA", "TSLA"};
  auto result = orchestrator.orchestrate(r, {});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->symbols, 5);
  EXPECT_EQ(result->up_to_date, 2);
  EXPECT_EQ(result->chunks, 4);  // period: NEW; New York: 2 + 1; Tokyo: 1
  ASSERT_EQ(result->rejected.size(), 1u);
  const auto bodies = queue_.bodies();
  ASSERT_EQ(bodies.size(), 4u);
  std::vector<ChunkMessage> messages;
  for (const auto& body : bodies) {
    auto decoded = decodeChunkMessage(body);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->batch_total_chunks, 4);
    messages.push_back(*decoded);
  }
  EXPECT_EQ(messages[0].request.period, r.period);  // the window without dates sorts first
  EXPECT_EQ(messages[0].symbols, std::vector<std::string>{"NEW"});
  EXPECT_EQ(messages[1].request.start, "2024-01-03");
  EXPECT_EQ(messages[1].request.end, "2024-01-05");
  EXPECT_EQ(messages[1].request.window_time_zone, "America/New_York");
  EXPECT_TRUE(messages[1].request.period.empty());
  EXPECT_EQ(messages[1].symbols, (std::vector<std::string>{"AAPL", "MSFT"}));
  EXPECT_EQ(messages[2].symbols, std::vector<std::string>{"IBM"});
  EXPECT_EQ(messages[3].request.window_time_zone, "Asia/Tokyo");
  EXPECT_EQ(messages[3].symbols, std::vector<std::string>{"6309.T"});
  auto snapshot = tracker_->snapshot("b8");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->plan.symbols_up_to_date, 2);
  EXPECT_EQ(snapshot->plan.total_chunks, 4);
}

TEST_F(OrchestratorTest, NothingToFetchRegistersAndSendsNothing) {
  Orchestrator orchestrator(queue_, *tracker_, clock_, {5, 10});
  BatchRequest r = request("b9");
  r.symbol_windows = std::vector<SymbolWindow>{};
  r.up_to_date = {"AAPL", "MSFT"};
  auto result = orchestrator.orchestrate(r, {"AAPL", "MSFT"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->chunks, 0);
  EXPECT_EQ(result->up_to_date, 2);
  EXPECT_EQ(queue_.sendCalls(), 0);
  EXPECT_FALSE(tracker_->snapshot("b9").ok());
  // Nothing valid and nothing up to date is still the empty universe's error.
  r.up_to_date.clear();
  r.symbol_windows = std::vector<SymbolWindow>{{"bad symbol", "", "", ""}};
  EXPECT_EQ(orchestrator.orchestrate(r, {}).error().code, core::ErrorCode::kInvalidInput);
}

TEST(ChunkMessageWindows, AZonedWindowRoundTripsAndBadDatesArePoison) {
  ChunkMessage message;
  message.request = fakes::BatchRequestBuilder("b", "2024-01-02").build();
  message.request.period.clear();
  message.request.start = "2024-01-03";
  message.request.end = "2024-01-05";
  message.request.window_time_zone = "Asia/Tokyo";
  message.symbols = {"6309.T"};
  message.batch_total_chunks = 1;
  auto decoded = decodeChunkMessage(encodeChunkMessage(message));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->request.window_time_zone, "Asia/Tokyo");
  message.request.window_time_zone.clear();
  const std::string plain = encodeChunkMessage(message);
  EXPECT_EQ(plain.find("window_time_zone"), std::string::npos);  // older bytes for UTC windows
  for (const auto& [start, end, field] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"2024-02-30", "2024-03-01", "'start'"},
           {"2024-01-03", "soon", "'end'"},
           {"2024-01-05", "2024-01-03", "before"}}) {
    message.request.start = start;
    message.request.end = end;
    auto poison = decodeChunkMessage(encodeChunkMessage(message));
    ASSERT_FALSE(poison.ok()) << start << " " << end;
    EXPECT_NE(poison.error().message.find(field), std::string::npos) << poison.error().message;
  }
}

TEST_F(OrchestratorTest, AReRunOfASentIncrementalBatchResumesItWhateverTheNewPlan) {
  Orchestrator orchestrator(queue_, *tracker_, clock_, {5, 10});
  BatchRequest first = request("b11");
  first.symbol_windows =
      std::vector<SymbolWindow>{{"AAPL", "2024-01-03", "2024-01-05", "America/New_York"},
                                {"MSFT", "2024-01-03", "2024-01-05", "America/New_York"}};
  ASSERT_TRUE(orchestrator.orchestrate(first, {}).ok());
  ASSERT_EQ(queue_.bodies().size(), 1u);
  // The batch's results merged since: the same id now plans AAPL up to date, MSFT alone.
  BatchRequest again = request("b11");
  again.symbol_windows =
      std::vector<SymbolWindow>{{"MSFT", "2024-01-04", "2024-01-05", "America/New_York"}};
  again.up_to_date = {"AAPL"};
  auto resumed = orchestrator.orchestrate(again, {});
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  EXPECT_TRUE(resumed->existing_batch);
  EXPECT_EQ(resumed->chunks, 1);
  EXPECT_EQ(resumed->already_sent, 1);
  EXPECT_EQ(resumed->published, 0);
  EXPECT_EQ(queue_.bodies().size(), 1u);  // nothing sent again
  // Even a plan with nothing left to fetch resumes the stored batch rather than saying so.
  again.symbol_windows = std::vector<SymbolWindow>{};
  again.up_to_date = {"AAPL", "MSFT"};
  auto nothing = orchestrator.orchestrate(again, {});
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->existing_batch);
  EXPECT_EQ(nothing->chunks, 1);
}

}  // namespace
}  // namespace rawfeed::pipeline
