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

}  // namespace
}  // namespace rawfeed::pipeline
