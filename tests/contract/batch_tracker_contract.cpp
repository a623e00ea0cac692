#include "contract/batch_tracker_contract.h"

#include <atomic>
#include <optional>
#include <thread>
#include <tuple>

namespace rawfeed::contract {
namespace {

using core::ErrorCode;
using namespace std::chrono_literals;
using tracker::BatchState;
using tracker::ChunkResult;
using tracker::ClaimOutcome;
using tracker::EventStatus;

const core::SystemTime kT0{std::chrono::seconds(1'700'000'000)};
constexpr std::chrono::milliseconds kLease = 60s;

tracker::BatchPlan plan(const std::string& id, int chunks, const std::string& fingerprint = "f1") {
  tracker::BatchPlan plan;
  plan.batch_id = id;
  plan.batch_ds = "2024-01-02";
  plan.domain = "equities";
  plan.table_name = "prices";
  plan.data_source = "yahoo_finance";
  plan.interval = "1d";
  plan.file_format = "json";
  plan.trigger_type = "manual";
  plan.correlation_id = "corr-" + id;
  plan.total_chunks = chunks;
  plan.fingerprint = fingerprint;
  return plan;
}

ChunkResult okChunk(int index) {
  ChunkResult chunk;
  chunk.chunk_index = index;
  const std::string symbol = "SYM" + std::to_string(index);
  chunk.objects.push_back({symbol, "equities/prices/" + symbol + ".jsonl", "2024-01-02", 21, 2048,
                           std::string(64, 'a'), true});
  chunk.ok_symbols = {symbol};
  chunk.empty_symbols = {"EMPTY" + std::to_string(index)};
  chunk.records = 21;
  return chunk;
}

ChunkResult deadChunk(int index) {
  ChunkResult chunk;
  chunk.chunk_index = index;
  chunk.failed.push_back({"SYM" + std::to_string(index), "transient", "timed out"});
  chunk.dead_lettered = true;
  return chunk;
}

void registerNew(tracker::BatchTracker& t, const tracker::BatchPlan& p, core::SystemTime at = kT0) {
  auto registered = t.registerBatch(p, at);
  ASSERT_TRUE(registered.ok()) << registered.error().describe();
  ASSERT_EQ(*registered, tracker::RegisterOutcome::kNew);
}

tracker::RecordOutcome record(tracker::BatchTracker& t, const std::string& id,
                              const ChunkResult& chunk, core::SystemTime at = kT0) {
  auto outcome = t.recordChunk(id, chunk, at);
  EXPECT_TRUE(outcome.ok()) << outcome.error().describe();
  return outcome.ok() ? *outcome : tracker::RecordOutcome{};
}

tracker::BatchSnapshot snap(tracker::BatchTracker& t, const std::string& id) {
  auto snapshot = t.snapshot(id);
  EXPECT_TRUE(snapshot.ok()) << snapshot.error().describe();
  return snapshot.ok() ? *snapshot : tracker::BatchSnapshot{};
}

// A delivery's progress: two symbols fetched (one with bars, one without), two that will never
// be, and the object written for the first; the chunk's other symbols are still throttled.
ChunkResult progressOf(int index) {
  ChunkResult progress;
  progress.chunk_index = index;
  progress.objects.push_back(
      {"AAPL", "equities/prices/AAPL.jsonl", "2024-01-02", 21, 2048, std::string(64, 'c'), true});
  progress.ok_symbols = {"AAPL"};
  progress.empty_symbols = {"QUIET"};
  progress.failed = {{"GONE", "not_found", "no such symbol"}, {"B@D", "bad_request", "400"}};
  progress.records = 21;
  return progress;
}

void expectSameResult(const ChunkResult& got, const ChunkResult& want) {
  EXPECT_EQ(got.chunk_index, want.chunk_index);
  ASSERT_EQ(got.objects.size(), want.objects.size());
  for (std::size_t i = 0; i < want.objects.size(); ++i) {
    const auto& g = got.objects[i];
    const auto& w = want.objects[i];
    EXPECT_EQ(std::tie(g.symbol, g.key, g.day, g.records, g.bytes, g.sha256, g.written, g.table),
              std::tie(w.symbol, w.key, w.day, w.records, w.bytes, w.sha256, w.written, w.table))
        << "object " << i;
  }
  EXPECT_EQ(got.ok_symbols, want.ok_symbols);
  EXPECT_EQ(got.empty_symbols, want.empty_symbols);
  ASSERT_EQ(got.failed.size(), want.failed.size());
  for (std::size_t i = 0; i < want.failed.size(); ++i) {
    const auto& g = got.failed[i];
    const auto& w = want.failed[i];
    EXPECT_EQ(std::tie(g.symbol, g.outcome, g.reason), std::tie(w.symbol, w.outcome, w.reason))
        << "failure " << i;
  }
  EXPECT_EQ(got.records, want.records);
  EXPECT_EQ(got.dead_lettered, want.dead_lettered);
}

tracker::EventClaim claim(tracker::BatchTracker& t, const std::string& id, EventStatus status,
                          core::SystemTime at) {
  auto claimed = t.claimEvent(id, status, at, kLease);
  EXPECT_TRUE(claimed.ok()) << claimed.error().describe();
  return claimed.ok() ? *claimed : tracker::EventClaim{};
}

ClaimOutcome claimOutcome(tracker::BatchTracker& t, const std::string& id, EventStatus status,
                          core::SystemTime at) {
  return claim(t, id, status, at).outcome;
}

// Every chunk of `id` recorded, chunk 1 dead-lettered: a partial batch.
void recordPartial(tracker::BatchTracker& t, const std::string& id) {
  registerNew(t, plan(id, 2));
  record(t, id, okChunk(0), kT0 + 1s);
  record(t, id, deadChunk(1), kT0 + 2s);
}

void saveProgress(tracker::BatchTracker& t, const std::string& id, const ChunkResult& progress,
                  core::SystemTime at = kT0) {
  auto saved = t.saveChunkProgress(id, progress, at);
  EXPECT_TRUE(saved.ok()) << saved.error().describe();
}

std::optional<ChunkResult> progressRead(tracker::BatchTracker& t, const std::string& id,
                                        int index) {
  auto progress = t.chunkProgress(id, index);
  EXPECT_TRUE(progress.ok()) << progress.error().describe();
  return progress.ok() ? *progress : std::nullopt;
}

TEST_P(BatchTrackerContractTest, RegisterTwiceWithTheSamePlanIsExisting) {
  auto first = tracker().registerBatch(plan("b1", 2), kT0);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(*first, tracker::RegisterOutcome::kNew);
  auto second = tracker().registerBatch(plan("b1", 2), kT0 + 1h);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, tracker::RegisterOutcome::kExisting);
  auto snapshot = tracker().snapshot("b1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->registered_at, kT0) << "the first registration stands";
  EXPECT_EQ(snapshot->plan.correlation_id, "corr-b1");
  EXPECT_EQ(snapshot->plan.total_chunks, 2);
  EXPECT_EQ(snapshot->state, BatchState::kOpen);
}

TEST_P(BatchTrackerContractTest, RegisterWithAnotherFingerprintIsRejectedNamingTheBatch) {
  ASSERT_TRUE(tracker().registerBatch(plan("b1", 2, "f1"), kT0).ok());
  auto other = tracker().registerBatch(plan("b1", 2, "f2"), kT0);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(other.error().message.find("b1"), std::string::npos) << other.error().message;
  auto snapshot = tracker().snapshot("b1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->plan.fingerprint, "f1");
}

TEST_P(BatchTrackerContractTest, RegisterRejectsAnEmptyIdOrNoChunks) {
  for (const auto& bad : {plan("", 2), plan("b0", 0), plan("b-1", -1)}) {
    auto registered = tracker().registerBatch(bad, kT0);
    ASSERT_FALSE(registered.ok());
    EXPECT_EQ(registered.error().code, ErrorCode::kInvalidInput);
  }
  auto recent = tracker().recentBatches(10);
  ASSERT_TRUE(recent.ok());
  EXPECT_TRUE(recent->empty());
}

TEST_P(BatchTrackerContractTest, UnknownBatchIsNotFound) {
  const std::vector<int> chunks{0};
  auto sent = tracker().markSent("nope", chunks);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kNotFound);
  EXPECT_NE(sent.error().message.find("nope"), std::string::npos);
  auto recorded = tracker().recordChunk("nope", okChunk(0), kT0);
  ASSERT_FALSE(recorded.ok());
  EXPECT_EQ(recorded.error().code, ErrorCode::kNotFound);
  auto snapshot = tracker().snapshot("nope");
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.error().code, ErrorCode::kNotFound);
  auto published = tracker().markEventPublished("nope", EventStatus::kComplete);
  ASSERT_FALSE(published.ok());
  EXPECT_EQ(published.error().code, ErrorCode::kNotFound);
  auto claim = tracker().claimEvent("nope", EventStatus::kComplete, kT0, kLease);
  ASSERT_FALSE(claim.ok());
  EXPECT_EQ(claim.error().code, ErrorCode::kNotFound);
  auto released = tracker().releaseEventClaim("nope", EventStatus::kComplete, 0);
  ASSERT_FALSE(released.ok());
  EXPECT_EQ(released.error().code, ErrorCode::kNotFound);
}

TEST_P(BatchTrackerContractTest, MarkSentKeepsSentChunksAndRejectsOutOfRange) {
  ASSERT_TRUE(tracker().registerBatch(plan("b1", 3), kT0).ok());
  ASSERT_TRUE(tracker().markSent("b1", std::vector<int>{2, 0}).ok());
  ASSERT_TRUE(tracker().markSent("b1", std::vector<int>{0}).ok()) << "idempotent";
  auto bad = tracker().markSent("b1", std::vector<int>{1, 3});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(bad.error().message.find("3"), std::string::npos);
  auto snapshot = tracker().snapshot("b1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->sent_chunks, (std::vector<int>{0, 2})) << "chunk 1 was not marked";
}

TEST_P(BatchTrackerContractTest, CompletesExactlyWhenTheLastChunkLands) {
  registerNew(tracker(), plan("b1", 3));
  auto first = record(tracker(), "b1", okChunk(2), kT0 + 1s);
  EXPECT_TRUE(first.counted);
  EXPECT_FALSE(first.batch_complete);
  auto second = record(tracker(), "b1", okChunk(0), kT0 + 2s);
  EXPECT_TRUE(second.counted);
  EXPECT_FALSE(second.batch_complete);
  auto open = snap(tracker(), "b1");
  EXPECT_EQ(open.state, BatchState::kOpen);
  EXPECT_FALSE(open.completed_at.has_value());
  auto last = record(tracker(), "b1", okChunk(1), kT0 + 3s);
  EXPECT_TRUE(last.counted);
  EXPECT_TRUE(last.batch_complete);
  auto done = snap(tracker(), "b1");
  EXPECT_EQ(done.state, BatchState::kComplete);
  ASSERT_TRUE(done.completed_at.has_value());
  EXPECT_EQ(*done.completed_at, kT0 + 3s);
  EXPECT_FALSE(done.event_published);
}

TEST_P(BatchTrackerContractTest, RedeliveryIsNotCountedButStillReportsCompletion) {
  registerNew(tracker(), plan("b1", 2));
  record(tracker(), "b1", okChunk(0), kT0 + 1s);
  auto again = record(tracker(), "b1", okChunk(0), kT0 + 2s);
  EXPECT_FALSE(again.counted);
  EXPECT_FALSE(again.batch_complete);
  auto last = record(tracker(), "b1", okChunk(1), kT0 + 3s);
  EXPECT_TRUE(last.batch_complete);
  // The last chunk redelivered after a crash: not counted, but it may finish the finalisation.
  auto redelivered = record(tracker(), "b1", okChunk(1), kT0 + 9s);
  EXPECT_FALSE(redelivered.counted);
  EXPECT_TRUE(redelivered.batch_complete);
  auto done = snap(tracker(), "b1");
  ASSERT_EQ(done.chunks.size(), 2u);
  ASSERT_TRUE(done.completed_at.has_value());
  EXPECT_EQ(*done.completed_at, kT0 + 3s) << "completed_at stays stable";
}

TEST_P(BatchTrackerContractTest, ChunkIndexOutOfRangeIsRejectedAndRecordsNothing) {
  registerNew(tracker(), plan("b1", 2));
  for (int index : {-1, 2}) {
    auto outcome = tracker().recordChunk("b1", okChunk(index), kT0);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(outcome.error().message.find(std::to_string(index)), std::string::npos)
        << outcome.error().message;
  }
  EXPECT_TRUE(snap(tracker(), "b1").chunks.empty());
}

TEST_P(BatchTrackerContractTest, SnapshotReturnsChunkResultsIntactAndByIndex) {
  registerNew(tracker(), plan("b1", 3));
  auto chunk = okChunk(1);
  chunk.failed.push_back({"BAD", "not_found", "no such symbol"});
  chunk.objects.push_back({"SYM1", "k2", "2024-01-03", 0, 10, std::string(64, 'b'), false});
  // An object of the domain's corporate-actions table keeps its table.
  chunk.objects.push_back(
      {"SYM1", "k3", "2024-01-03", 2, 30, std::string(64, 'c'), true, "corporate_actions"});
  record(tracker(), "b1", okChunk(2));
  record(tracker(), "b1", chunk);
  record(tracker(), "b1", okChunk(0));
  auto snapshot = snap(tracker(), "b1");
  ASSERT_EQ(snapshot.chunks.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(snapshot.chunks[i].chunk_index, i);
  }
  const auto& stored = snapshot.chunks[1];
  ASSERT_EQ(stored.objects.size(), 3u);
  EXPECT_EQ(stored.objects[0].table, "");
  EXPECT_EQ(stored.objects[1].table, "");
  EXPECT_EQ(stored.objects[2].table, "corporate_actions");
  EXPECT_EQ(stored.objects[2].key, "k3");
  EXPECT_TRUE(stored.objects[2].written);
  EXPECT_EQ(stored.objects[0].symbol, "SYM1");
  EXPECT_EQ(stored.objects[0].key, chunk.objects[0].key);
  EXPECT_EQ(stored.objects[0].day, "2024-01-02");
  EXPECT_EQ(stored.objects[0].records, 21);
  EXPECT_EQ(stored.objects[0].bytes, 2048);
  EXPECT_EQ(stored.objects[0].sha256, std::string(64, 'a'));
  EXPECT_TRUE(stored.objects[0].written);
  EXPECT_FALSE(stored.objects[1].written);
  EXPECT_EQ(stored.ok_symbols, chunk.ok_symbols);
  EXPECT_EQ(stored.empty_symbols, chunk.empty_symbols);
  ASSERT_EQ(stored.failed.size(), 1u);
  EXPECT_EQ(stored.failed[0].symbol, "BAD");
  EXPECT_EQ(stored.failed[0].outcome, "not_found");
  EXPECT_EQ(stored.failed[0].reason, "no such symbol");
  EXPECT_EQ(stored.records, 21);
  EXPECT_FALSE(stored.dead_lettered);
  EXPECT_EQ(snapshot.state, BatchState::kComplete) << "not_found is a final answer";
}

TEST_P(BatchTrackerContractTest, DeadLetteredChunkMakesThePartialStateAndIsReplacedLater) {
  registerNew(tracker(), plan("b1", 2));
  record(tracker(), "b1", okChunk(0), kT0 + 1s);
  auto dead = record(tracker(), "b1", deadChunk(1), kT0 + 2s);
  EXPECT_TRUE(dead.counted);
  EXPECT_TRUE(dead.batch_complete);
  EXPECT_EQ(snap(tracker(), "b1").state, BatchState::kPartial);
  ASSERT_TRUE(tracker().markEventPublished("b1", EventStatus::kPartial).ok());
  EXPECT_TRUE(snap(tracker(), "b1").event_published);

  auto dead_again = record(tracker(), "b1", deadChunk(1), kT0 + 3s);
  EXPECT_FALSE(dead_again.counted) << "a dead letter does not replace a dead letter";
  EXPECT_TRUE(snap(tracker(), "b1").event_published);

  auto redriven = record(tracker(), "b1", okChunk(1), kT0 + 4s);
  EXPECT_TRUE(redriven.counted);
  EXPECT_TRUE(redriven.batch_complete);
  auto after = snap(tracker(), "b1");
  EXPECT_EQ(after.state, BatchState::kComplete);
  EXPECT_FALSE(after.event_published) << "the complete event is still to be announced";
  ASSERT_TRUE(after.completed_at.has_value());
  EXPECT_EQ(*after.completed_at, kT0 + 2s);
  ASSERT_EQ(after.chunks.size(), 2u);
  EXPECT_FALSE(after.chunks[1].dead_lettered);
}

TEST_P(BatchTrackerContractTest, SummariesFollowRecordsAndReplacementsWithoutChunkResults) {
  registerNew(tracker(), plan("b1", 2));
  auto other = plan("x1", 1);
  other.domain = "other";
  registerNew(tracker(), other, kT0 + 1s);
  record(tracker(), "b1", okChunk(0), kT0 + 1s);
  record(tracker(), "b1", deadChunk(1), kT0 + 2s);
  auto summaries = tracker().recentSummaries(10, "equities");
  ASSERT_TRUE(summaries.ok()) << summaries.error().describe();
  ASSERT_EQ(summaries->size(), 1u);
  auto s = summaries->front();
  EXPECT_EQ(s.plan.batch_id, "b1");
  EXPECT_EQ(s.state, BatchState::kPartial);
  EXPECT_EQ(s.chunks_recorded, 2);
  EXPECT_EQ(s.dead_lettered_chunks, 1);
  EXPECT_EQ(s.symbols_ok, 1);
  EXPECT_EQ(s.symbols_empty, 1);
  EXPECT_EQ(s.symbols_failed, 1);
  EXPECT_EQ(s.symbols_failed_transient, 1);
  EXPECT_EQ(s.objects_written, 1);
  EXPECT_EQ(s.bytes_written, 2048);
  EXPECT_EQ(s.records, 21);
  const auto revision = s.revision;

  record(tracker(), "b1", okChunk(1), kT0 + 3s);  // the redriven chunk succeeds
  s = tracker().recentSummaries(10, "equities")->front();
  EXPECT_EQ(s.state, BatchState::kComplete);
  EXPECT_EQ(s.dead_lettered_chunks, 0);
  EXPECT_EQ(s.symbols_ok, 2);
  EXPECT_EQ(s.symbols_failed, 0);
  EXPECT_EQ(s.objects_written, 2);
  EXPECT_GT(s.revision, revision);
  EXPECT_EQ(tracker().recentSummaries(10, "")->size(), 2u);
  EXPECT_EQ(tracker().recentSummaries(10, "")->front().plan.batch_id, "x1");

  auto days = tracker().partitionStats("equities", 10);
  ASSERT_TRUE(days.ok()) << days.error().describe();
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ(days->front().day, "2024-01-02");
  EXPECT_EQ(days->front().objects, 2);
  EXPECT_EQ(days->front().bytes, 4096);
  EXPECT_TRUE(tracker().partitionStats("other", 10)->empty());
}

TEST_P(BatchTrackerContractTest, SuccessIsNeverReplacedByADeadLetter) {
  registerNew(tracker(), plan("b1", 1));
  record(tracker(), "b1", okChunk(0));
  auto dead = record(tracker(), "b1", deadChunk(0));
  EXPECT_FALSE(dead.counted);
  EXPECT_TRUE(dead.batch_complete);
  auto snapshot = snap(tracker(), "b1");
  EXPECT_EQ(snapshot.state, BatchState::kComplete);
  ASSERT_EQ(snapshot.chunks.size(), 1u);
  EXPECT_FALSE(snapshot.chunks[0].dead_lettered);
}

TEST_P(BatchTrackerContractTest, TransientSymbolFailuresMakeThePartialState) {
  registerNew(tracker(), plan("throttled", 1));
  auto chunk = okChunk(0);
  chunk.failed.push_back({"SLOW", "throttled", "429"});
  record(tracker(), "throttled", chunk);
  EXPECT_EQ(snap(tracker(), "throttled").state, BatchState::kPartial);
}

TEST_P(BatchTrackerContractTest, EventPublishedOnlyOnceComplete) {
  registerNew(tracker(), plan("b1", 2));
  record(tracker(), "b1", okChunk(0));
  auto early = tracker().markEventPublished("b1", EventStatus::kComplete);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(early.error().message.find("b1"), std::string::npos);
  EXPECT_FALSE(snap(tracker(), "b1").event_published);
  record(tracker(), "b1", okChunk(1));
  ASSERT_TRUE(tracker().markEventPublished("b1", EventStatus::kComplete).ok());
  EXPECT_TRUE(snap(tracker(), "b1").event_published);
}

TEST_P(BatchTrackerContractTest, RecentBatchesAreMostRecentFirst) {
  registerNew(tracker(), plan("old", 1), kT0);
  registerNew(tracker(), plan("mid", 1), kT0 + 1min);
  registerNew(tracker(), plan("new", 1), kT0 + 2min);
  record(tracker(), "mid", okChunk(0));
  auto recent = tracker().recentBatches(2);
  ASSERT_TRUE(recent.ok()) << recent.error().describe();
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].plan.batch_id, "new");
  EXPECT_EQ((*recent)[1].plan.batch_id, "mid");
  EXPECT_EQ((*recent)[1].state, BatchState::kComplete);
  auto bad = tracker().recentBatches(0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
}

TEST_P(BatchTrackerContractTest, ConcurrentRecordsCountEachChunkExactlyOnce) {
  constexpr int kChunks = 60;
  constexpr int kThreads = 6;
  registerNew(tracker(), plan("b1", kChunks));
  std::atomic<int> counted{0};
  std::atomic<int> completions{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Every thread records every chunk, each from its own starting point: all but one are
      // redeliveries.
      for (int i = 0; i < kChunks; ++i) {
        auto outcome = tracker().recordChunk("b1", okChunk((i + t * 7) % kChunks), kT0);
        if (!outcome.ok()) {
          ++errors;
          continue;
        }
        counted += outcome->counted ? 1 : 0;
        completions += outcome->batch_complete ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(counted.load(), kChunks);
  EXPECT_GE(completions.load(), 1);
  auto snapshot = snap(tracker(), "b1");
  EXPECT_EQ(snapshot.chunks.size(), static_cast<std::size_t>(kChunks));
  EXPECT_EQ(snapshot.state, BatchState::kComplete);
}

TEST_P(BatchTrackerContractTest, ChunkProgressReadsBackWhatWasSaved) {
  registerNew(tracker(), plan("b1", 3));
  EXPECT_FALSE(progressRead(tracker(), "b1", 1).has_value()) << "nothing saved yet";
  saveProgress(tracker(), "b1", progressOf(1));
  auto read = progressRead(tracker(), "b1", 1);
  ASSERT_TRUE(read.has_value());
  expectSameResult(*read, progressOf(1));
  EXPECT_FALSE(progressRead(tracker(), "b1", 0).has_value()) << "progress is per chunk";
  EXPECT_FALSE(progressRead(tracker(), "b1", 2).has_value());
  auto snapshot = snap(tracker(), "b1");
  EXPECT_TRUE(snapshot.chunks.empty()) << "progress is not a recorded result";
  EXPECT_EQ(snapshot.state, BatchState::kOpen);
}

TEST_P(BatchTrackerContractTest, SavingChunkProgressReplacesThePreviousProgress) {
  registerNew(tracker(), plan("b1", 2));
  saveProgress(tracker(), "b1", progressOf(0), kT0);
  auto merged = progressOf(0);
  merged.ok_symbols.push_back("MSFT");
  merged.objects.push_back(
      {"MSFT", "equities/prices/MSFT.jsonl", "2024-01-02", 5, 512, std::string(64, 'd'), false});
  merged.records = 26;
  saveProgress(tracker(), "b1", merged, kT0 + 1s);
  auto read = progressRead(tracker(), "b1", 0);
  ASSERT_TRUE(read.has_value());
  expectSameResult(*read, merged);

  ChunkResult smaller;  // replaced, not merged: the caller merges
  smaller.chunk_index = 0;
  smaller.empty_symbols = {"QUIET"};
  saveProgress(tracker(), "b1", smaller, kT0 + 2s);
  read = progressRead(tracker(), "b1", 0);
  ASSERT_TRUE(read.has_value());
  expectSameResult(*read, smaller);
}

TEST_P(BatchTrackerContractTest, RecordingAChunkRemovesItsProgress) {
  registerNew(tracker(), plan("b1", 3));
  saveProgress(tracker(), "b1", progressOf(0));
  saveProgress(tracker(), "b1", progressOf(1));
  saveProgress(tracker(), "b1", progressOf(2));
  const std::vector<tracker::ChunkRecord> delivery{{"b1", okChunk(0)}, {"b1", deadChunk(1)}};
  auto recorded = tracker().recordChunks(delivery, kT0 + 1s);
  ASSERT_TRUE(recorded.ok()) << recorded.error().describe();
  EXPECT_FALSE(progressRead(tracker(), "b1", 0).has_value());
  EXPECT_FALSE(progressRead(tracker(), "b1", 1).has_value()) << "a dead letter is recorded too";
  auto other = progressRead(tracker(), "b1", 2);
  ASSERT_TRUE(other.has_value()) << "another chunk's progress stays";
  expectSameResult(*other, progressOf(2));
  auto snapshot = snap(tracker(), "b1");
  ASSERT_EQ(snapshot.chunks.size(), 2u);
  expectSameResult(snapshot.chunks[0], okChunk(0));
}

TEST_P(BatchTrackerContractTest, ProgressOfARecordedChunkIsIgnored) {
  registerNew(tracker(), plan("b1", 2));
  record(tracker(), "b1", okChunk(0));
  saveProgress(tracker(), "b1", progressOf(0));  // a late duplicate delivery gave up part-way
  EXPECT_FALSE(progressRead(tracker(), "b1", 0).has_value());
  record(tracker(), "b1", okChunk(1));
  saveProgress(tracker(), "b1", progressOf(1));  // and once the batch is complete
  EXPECT_FALSE(progressRead(tracker(), "b1", 1).has_value());
  EXPECT_FALSE(progressRead(reopen(), "b1", 0).has_value());
  EXPECT_FALSE(progressRead(tracker(), "b1", 1).has_value());
  EXPECT_EQ(snap(tracker(), "b1").chunks.size(), 2u);
}

TEST_P(BatchTrackerContractTest, ProgressOfAnUnknownBatchIsNotFound) {
  auto saved = tracker().saveChunkProgress("nope", progressOf(0), kT0);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().code, ErrorCode::kNotFound);
  EXPECT_NE(saved.error().message.find("nope"), std::string::npos) << saved.error().message;
  auto read = tracker().chunkProgress("nope", 0);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::kNotFound);
  EXPECT_NE(read.error().message.find("nope"), std::string::npos) << read.error().message;
}

TEST_P(BatchTrackerContractTest, ProgressChunkIndexOutOfRangeIsRejectedAndKeepsNothing) {
  registerNew(tracker(), plan("b1", 2));
  for (int index : {-1, 2}) {
    auto saved = tracker().saveChunkProgress("b1", progressOf(index), kT0);
    ASSERT_FALSE(saved.ok());
    EXPECT_EQ(saved.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(saved.error().message.find(std::to_string(index)), std::string::npos)
        << saved.error().message;
    auto read = tracker().chunkProgress("b1", index);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kInvalidInput);
  }
  EXPECT_FALSE(progressRead(tracker(), "b1", 0).has_value());
  EXPECT_FALSE(progressRead(tracker(), "b1", 1).has_value());
}

TEST_P(BatchTrackerContractTest, ChunkProgressSurvivesReopening) {
  registerNew(tracker(), plan("b1", 2));
  saveProgress(tracker(), "b1", progressOf(1));
  auto read = progressRead(reopen(), "b1", 1);
  ASSERT_TRUE(read.has_value());
  expectSameResult(*read, progressOf(1));
  record(tracker(), "b1", okChunk(1));
  EXPECT_FALSE(progressRead(reopen(), "b1", 1).has_value());
}

TEST_P(BatchTrackerContractTest, EventStatusIsCompleteOnlyWhenNothingFailed) {
  registerNew(tracker(), plan("clean", 1));
  EXPECT_FALSE(tracker::eventStatusOf(snap(tracker(), "clean")).has_value()) << "open";
  record(tracker(), "clean", okChunk(0));
  EXPECT_EQ(tracker::eventStatusOf(snap(tracker(), "clean")), EventStatus::kComplete);
  registerNew(tracker(), plan("gone", 1));
  auto chunk = okChunk(0);
  chunk.failed.push_back({"GONE", "not_found", "no such symbol"});
  record(tracker(), "gone", chunk);
  EXPECT_EQ(snap(tracker(), "gone").state, BatchState::kComplete);
  EXPECT_EQ(tracker::eventStatusOf(snap(tracker(), "gone")), EventStatus::kPartial)
      << "a symbol failed, even for good";
  recordPartial(tracker(), "dead");
  EXPECT_EQ(tracker::eventStatusOf(snap(tracker(), "dead")), EventStatus::kPartial);
}

// readBatch hands the chunks a snapshot holds, in chunk order, and describes the batch as the
// snapshot does: its state, event status, completion and whether the event went out.
TEST_P(BatchTrackerContractTest, ReadBatchVisitsTheSnapshotsChunksInOrderAndAgreesWithIt) {
  registerNew(tracker(), plan("read", 3));
  auto open = tracker().readBatch("read", [](ChunkResult&) { return core::okStatus(); });
  ASSERT_TRUE(open.ok()) << open.error().describe();
  EXPECT_EQ(open->state, BatchState::kOpen);
  EXPECT_FALSE(open->event_status.has_value());
  EXPECT_EQ(open->chunks_recorded, 0);
  EXPECT_FALSE(open->completed_at.has_value());

  auto gone = okChunk(1);
  gone.failed.push_back({"GONE", "not_found", "no such symbol"});
  record(tracker(), "read", okChunk(2), kT0 + 1s);
  record(tracker(), "read", gone, kT0 + 2s);
  record(tracker(), "read", okChunk(0), kT0 + 3s);
  std::vector<ChunkResult> visited;
  auto outline = tracker().readBatch("read", [&visited](ChunkResult& chunk) {
    visited.push_back(std::move(chunk));
    return core::okStatus();
  });
  ASSERT_TRUE(outline.ok()) << outline.error().describe();
  const auto snapshot = snap(tracker(), "read");
  ASSERT_EQ(visited.size(), 3u);
  for (std::size_t i = 0; i < visited.size(); ++i) {
    EXPECT_EQ(visited[i].chunk_index, static_cast<int>(i));
    EXPECT_EQ(visited[i].ok_symbols, snapshot.chunks[i].ok_symbols);
    EXPECT_EQ(visited[i].objects.size(), snapshot.chunks[i].objects.size());
    EXPECT_EQ(visited[i].failed.size(), snapshot.chunks[i].failed.size());
  }
  EXPECT_EQ(outline->plan.fingerprint, snapshot.plan.fingerprint);
  EXPECT_EQ(outline->plan.total_chunks, 3);
  EXPECT_EQ(outline->chunks_recorded, 3);
  EXPECT_EQ(outline->state, BatchState::kComplete);
  EXPECT_EQ(outline->event_status, EventStatus::kPartial) << "a symbol failed for good";
  EXPECT_EQ(outline->completed_at, snapshot.completed_at);
  EXPECT_EQ(outline->registered_at, snapshot.registered_at);
  EXPECT_FALSE(outline->event_published);

  auto claim = tracker().claimEvent("read", EventStatus::kPartial, kT0 + 4s, kLease);
  ASSERT_TRUE(claim.ok() && claim->outcome == ClaimOutcome::kGranted);
  ASSERT_TRUE(tracker().markEventPublished("read", EventStatus::kPartial).ok());
  auto published = tracker().readBatch("read", [](ChunkResult&) { return core::okStatus(); });
  ASSERT_TRUE(published.ok());
  EXPECT_TRUE(published->event_published);
}

// revision() tells a reader whether its earlier reading is still the batch: where the backend
// keeps revisions it is the outline's, moves with every record and replacement, and stays put
// for a redelivery; where it does not, it says so, and its outlines say 0.
TEST_P(BatchTrackerContractTest, RevisionIsTheOutlinesAndMovesWithEveryChangeOnly) {
  registerNew(tracker(), plan("rev", 2));
  const auto nothing = [](ChunkResult&) { return core::okStatus(); };
  auto registered = tracker().revision("rev");
  ASSERT_TRUE(registered.ok()) << registered.error().describe();
  if (!registered->has_value()) {
    record(tracker(), "rev", okChunk(0));
    auto outline = tracker().readBatch("rev", nothing);
    ASSERT_TRUE(outline.ok());
    EXPECT_EQ(outline->revision, 0) << "no revisions: a reader always reads the batch again";
    return;
  }
  const auto revisionNow = [&] {
    auto revision = tracker().revision("rev");
    EXPECT_TRUE(revision.ok() && revision->has_value());
    return revision.ok() && revision->has_value() ? **revision : -1;
  };
  const auto outlineRevision = [&] {
    auto outline = tracker().readBatch("rev", nothing);
    EXPECT_TRUE(outline.ok());
    return outline.ok() ? outline->revision : -1;
  };
  EXPECT_EQ(outlineRevision(), **registered);
  record(tracker(), "rev", okChunk(0), kT0 + 1s);
  const auto one = revisionNow();
  EXPECT_GT(one, **registered);
  EXPECT_EQ(outlineRevision(), one);
  record(tracker(), "rev", okChunk(0), kT0 + 2s);  // a redelivery changes nothing
  EXPECT_EQ(revisionNow(), one);
  record(tracker(), "rev", deadChunk(1), kT0 + 3s);
  const auto dead = revisionNow();
  EXPECT_GT(dead, one);
  record(tracker(), "rev", okChunk(1), kT0 + 4s);  // the redriven chunk replaces its dead letter
  EXPECT_GT(revisionNow(), dead);
  EXPECT_EQ(outlineRevision(), revisionNow());
  auto unknown = tracker().revision("nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

// A caller that saw every chunk recorded (the finalizer digesting the run's batch) gets the
// outline without the chunk results — only while its tally is the whole batch and nothing else
// changed it since the revision it started from.
TEST_P(BatchTrackerContractTest, AnOutlineOfRecordedChunksOnlyWhileNothingElseChangedTheBatch) {
  registerNew(tracker(), plan("tally", 2));
  auto since = tracker().revision("tally");
  ASSERT_TRUE(since.ok()) << since.error().describe();
  tracker::ChunkTally tally;
  const auto first = okChunk(0);
  record(tracker(), "tally", first, kT0 + 1s);
  tally.add(first);
  const auto outlineOf = [&](std::int64_t from) {
    auto outline = tracker().outlineOfRecorded("tally", from, tally);
    EXPECT_TRUE(outline.ok()) << outline.error().describe();
    return outline.ok() ? *outline : std::nullopt;
  };
  if (!since->has_value()) {
    EXPECT_FALSE(outlineOf(0)) << "no revisions: the caller always reads the batch";
    return;
  }
  EXPECT_FALSE(outlineOf(**since)) << "not every chunk is tallied yet";
  const auto second = deadChunk(1);
  record(tracker(), "tally", second, kT0 + 2s);
  tally.add(second);
  const auto outline = outlineOf(**since);
  ASSERT_TRUE(outline);
  auto read = tracker().readBatch("tally", [](ChunkResult&) { return core::okStatus(); });
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(outline->plan.batch_id, "tally");
  EXPECT_EQ(outline->plan.total_chunks, 2);
  EXPECT_EQ(outline->state, read->state);
  EXPECT_EQ(outline->event_status, read->event_status);
  EXPECT_EQ(outline->event_status, tracker::EventStatus::kPartial);
  EXPECT_EQ(outline->chunks_recorded, 2);
  EXPECT_EQ(outline->completed_at, read->completed_at);
  EXPECT_EQ(outline->registered_at, read->registered_at);
  EXPECT_EQ(outline->event_published, read->event_published);
  EXPECT_EQ(outline->revision, read->revision);
  EXPECT_FALSE(outlineOf(**since - 1)) << "a revision it did not start from";
  record(tracker(), "tally", first, kT0 + 3s);  // a redelivery changes nothing
  EXPECT_TRUE(outlineOf(**since));
  record(tracker(), "tally", okChunk(1), kT0 + 4s);  // a replacement the tally did not see
  EXPECT_FALSE(outlineOf(**since)) << "the stored results are no longer the tallied ones";
  auto unknown = tracker().outlineOfRecorded("nope", 0, tally);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(BatchTrackerContractTest, ReadBatchStopsAtTheVisitorsErrorAndNamesUnknownBatches) {
  registerNew(tracker(), plan("stop", 2));
  record(tracker(), "stop", okChunk(0));
  record(tracker(), "stop", okChunk(1));
  int calls = 0;
  auto stopped = tracker().readBatch("stop", [&calls](ChunkResult&) {
    ++calls;
    return core::Status(core::makeError(ErrorCode::kInternal, "visitor gave up"));
  });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().message, "visitor gave up");
  EXPECT_EQ(calls, 1);
  auto unknown = tracker().readBatch("nope", [](ChunkResult&) { return core::okStatus(); });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(BatchTrackerContractTest, AClaimIsGrantedOnceAndAnsweredPublishedOnceMarked) {
  registerNew(tracker(), plan("b1", 1));
  record(tracker(), "b1", okChunk(0));
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kComplete, kT0), ClaimOutcome::kGranted);
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kComplete, kT0 + 1s), ClaimOutcome::kHeld);
  EXPECT_FALSE(snap(tracker(), "b1").event_published) << "claimed is not published";
  ASSERT_TRUE(tracker().markEventPublished("b1", EventStatus::kComplete).ok());
  EXPECT_TRUE(snap(tracker(), "b1").event_published);
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kComplete, kT0 + 2s),
            ClaimOutcome::kPublished);
  EXPECT_EQ(claimOutcome(reopen(), "b1", EventStatus::kComplete, kT0 + 1h),
            ClaimOutcome::kPublished)
      << "published for good, past any lease";
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kPartial, kT0 + 1h),
            ClaimOutcome::kSuperseded)
      << "a batch complete at once never announces partial";
  EXPECT_TRUE(tracker().recentSummaries(10, "")->front().event_published);
}

TEST_P(BatchTrackerContractTest, AClaimOnAnOpenBatchOrOnCompleteWhilePartialIsInvalid) {
  registerNew(tracker(), plan("b1", 2));
  record(tracker(), "b1", okChunk(0));
  auto open = tracker().claimEvent("b1", EventStatus::kPartial, kT0, kLease);
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(open.error().message.find("b1"), std::string::npos) << open.error().message;
  record(tracker(), "b1", deadChunk(1));
  auto complete = tracker().claimEvent("b1", EventStatus::kComplete, kT0, kLease);
  ASSERT_FALSE(complete.ok());
  EXPECT_EQ(complete.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kPartial, kT0), ClaimOutcome::kGranted);
}

// The holder "crashed": it claimed and never marked the event published.
TEST_P(BatchTrackerContractTest, AnUnmarkedClaimLapsesAfterItsLeaseNotBefore) {
  registerNew(tracker(), plan("b1", 1));
  record(tracker(), "b1", okChunk(0));
  const auto first = claim(tracker(), "b1", EventStatus::kComplete, kT0);
  ASSERT_EQ(first.outcome, ClaimOutcome::kGranted);
  EXPECT_EQ(claimOutcome(reopen(), "b1", EventStatus::kComplete, kT0 + kLease - 1ms),
            ClaimOutcome::kHeld)
      << "a millisecond before the lease ends";
  const auto second = claim(tracker(), "b1", EventStatus::kComplete, kT0 + kLease);
  ASSERT_EQ(second.outcome, ClaimOutcome::kGranted) << "the lease has ended";
  EXPECT_NE(second.claim_id, first.claim_id);
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kComplete, kT0 + kLease + 1s),
            ClaimOutcome::kHeld)
      << "the new claim has a lease of its own";
}

TEST_P(BatchTrackerContractTest, AReleasedClaimIsGrantedAgainAtOnceButAStaleReleaseEndsNothing) {
  registerNew(tracker(), plan("b1", 1));
  record(tracker(), "b1", okChunk(0));
  const auto first = claim(tracker(), "b1", EventStatus::kComplete, kT0);
  ASSERT_EQ(first.outcome, ClaimOutcome::kGranted);
  ASSERT_TRUE(tracker().releaseEventClaim("b1", EventStatus::kComplete, first.claim_id).ok());
  const auto second = claim(tracker(), "b1", EventStatus::kComplete, kT0 + 1s);
  ASSERT_EQ(second.outcome, ClaimOutcome::kGranted) << "released: no need to wait for the lease";
  // The first holder, late, releases again: the second claim is not its to end.
  ASSERT_TRUE(tracker().releaseEventClaim("b1", EventStatus::kComplete, first.claim_id).ok());
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kComplete, kT0 + 2s), ClaimOutcome::kHeld);
  ASSERT_TRUE(tracker().markEventPublished("b1", EventStatus::kComplete).ok());
  ASSERT_TRUE(tracker().releaseEventClaim("b1", EventStatus::kComplete, second.claim_id).ok());
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kComplete, kT0 + 3s),
            ClaimOutcome::kPublished)
      << "releasing after publishing unpublishes nothing";
}

TEST_P(BatchTrackerContractTest, PartialIsAnnouncedOnceThenCompleteOnceAfterTheRedrive) {
  recordPartial(tracker(), "b1");
  ASSERT_EQ(claimOutcome(tracker(), "b1", EventStatus::kPartial, kT0 + 3s), ClaimOutcome::kGranted);
  ASSERT_TRUE(tracker().markEventPublished("b1", EventStatus::kPartial).ok());
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kPartial, kT0 + 4s),
            ClaimOutcome::kPublished);
  record(tracker(), "b1", deadChunk(1), kT0 + 5s);  // a redrive that failed again
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kPartial, kT0 + 6s),
            ClaimOutcome::kPublished)
      << "still partial: nothing new to announce";
  EXPECT_TRUE(snap(tracker(), "b1").event_published);

  record(tracker(), "b1", okChunk(1), kT0 + 7s);  // a redrive that succeeded
  EXPECT_FALSE(snap(tracker(), "b1").event_published) << "complete is not announced yet";
  EXPECT_FALSE(tracker().recentSummaries(10, "")->front().event_published);
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kPartial, kT0 + 8s),
            ClaimOutcome::kSuperseded)
      << "a finalizer that read the batch partial must read it again";
  ASSERT_EQ(claimOutcome(tracker(), "b1", EventStatus::kComplete, kT0 + 8s),
            ClaimOutcome::kGranted);
  ASSERT_TRUE(tracker().markEventPublished("b1", EventStatus::kComplete).ok());
  EXPECT_TRUE(snap(tracker(), "b1").event_published);
  EXPECT_EQ(claimOutcome(reopen(), "b1", EventStatus::kComplete, kT0 + 9s),
            ClaimOutcome::kPublished);
}

// Claims of one batch are serialised whatever their status, so partial goes out before complete.
TEST_P(BatchTrackerContractTest, CompleteIsNotClaimedWhileAPartialClaimIsLive) {
  recordPartial(tracker(), "b1");
  ASSERT_EQ(claimOutcome(tracker(), "b1", EventStatus::kPartial, kT0), ClaimOutcome::kGranted);
  record(tracker(), "b1", okChunk(1), kT0 + 1s);
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kComplete, kT0 + 2s), ClaimOutcome::kHeld);
  ASSERT_TRUE(tracker().markEventPublished("b1", EventStatus::kPartial).ok());
  EXPECT_EQ(claimOutcome(tracker(), "b1", EventStatus::kComplete, kT0 + 3s),
            ClaimOutcome::kGranted);

  recordPartial(tracker(), "b2");  // its partial claimer crashed
  ASSERT_EQ(claimOutcome(tracker(), "b2", EventStatus::kPartial, kT0), ClaimOutcome::kGranted);
  record(tracker(), "b2", okChunk(1), kT0 + 1s);
  EXPECT_EQ(claimOutcome(tracker(), "b2", EventStatus::kComplete, kT0 + kLease),
            ClaimOutcome::kGranted)
      << "a lapsed partial claim does not hold complete back";
}

TEST_P(BatchTrackerContractTest, ConcurrentClaimsGrantOne) {
  constexpr int kThreads = 8;
  registerNew(tracker(), plan("b1", 1));
  record(tracker(), "b1", okChunk(0));
  std::atomic<int> granted{0};
  std::atomic<int> held{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto claimed = tracker().claimEvent("b1", EventStatus::kComplete, kT0, kLease);
      if (!claimed.ok()) {
        ++errors;
        return;
      }
      granted += claimed->outcome == ClaimOutcome::kGranted ? 1 : 0;
      held += claimed->outcome == ClaimOutcome::kHeld ? 1 : 0;
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(granted.load(), 1);
  EXPECT_EQ(held.load(), kThreads - 1);
}

// Each instance is another process or host sharing the storage.
TEST_P(BatchTrackerContractTest, ConcurrentClaimsAcrossInstancesGrantOne) {
  constexpr int kInstances = 4;
  registerNew(tracker(), plan("b1", 1));
  record(tracker(), "b1", okChunk(0));
  if (auto reason = harness_->unsupported("ConcurrentClaimsAcrossInstancesGrantOne")) {
    GTEST_SKIP() << *reason;
  }
  std::vector<std::unique_ptr<tracker::BatchTracker>> instances;
  for (int i = 0; i < kInstances; ++i) {
    instances.push_back(harness_->another());
    ASSERT_NE(instances.back(), nullptr);
  }
  std::atomic<int> granted{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int round = 0; round < 2; ++round) {  // two threads an instance
    for (auto& instance : instances) {
      threads.emplace_back([&, t = instance.get()] {
        auto claimed = t->claimEvent("b1", EventStatus::kComplete, kT0, kLease);
        errors += claimed.ok() ? 0 : 1;
        granted += claimed.ok() && claimed->outcome == ClaimOutcome::kGranted ? 1 : 0;
      });
    }
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(granted.load(), 1);
}

}  // namespace
}  // namespace rawfeed::contract
