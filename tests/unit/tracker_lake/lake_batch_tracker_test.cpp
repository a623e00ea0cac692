#include "tracker/lake/lake_batch_tracker.h"

#include <gtest/gtest.h>

#include <set>

#include "support/fakes/in_memory_object_store.h"
#include "tracker/lake/batch_keys.h"

namespace rawfeed::tracker::lake {
namespace {

using core::ErrorCode;
using namespace std::chrono_literals;
using fakes::InMemoryObjectStore;
using tracker::ClaimOutcome;
using tracker::EventStatus;

const core::SystemTime kT0{std::chrono::seconds(1'700'000'000)};

BatchPlan plan(const std::string& id, int chunks) {
  BatchPlan plan;
  plan.batch_id = id;
  plan.domain = "equities";
  plan.total_chunks = chunks;
  plan.fingerprint = "f";
  return plan;
}

ChunkResult ok(int index) {
  ChunkResult result;
  result.chunk_index = index;
  result.ok_symbols = {"S" + std::to_string(index)};
  return result;
}

ChunkResult dead(int index) {
  ChunkResult result;
  result.chunk_index = index;
  result.dead_lettered = true;
  return result;
}

class LakeBatchTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(tracker_.registerBatch(plan("b1", 3), kT0).ok()); }

  InMemoryObjectStore store_;
  LakeBatchTracker tracker_{store_};
};

TEST_F(LakeBatchTrackerTest, ARecordIsOnePutAndOneListUntilTheBatchIsSeenComplete) {
  auto before = store_.requests();
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(0), kT0).ok());
  auto after = store_.requests();
  EXPECT_EQ(after.puts - before.puts, 1);
  EXPECT_EQ(after.gets - before.gets, 0) << "the plan was remembered at registration";
  EXPECT_EQ(after.lists - before.lists, 1);

  ASSERT_TRUE(tracker_.recordChunk("b1", ok(1), kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(2), kT0).value().batch_complete);
  before = store_.requests();
  auto redelivered = tracker_.recordChunk("b1", ok(2), kT0 + 1s);
  ASSERT_TRUE(redelivered.ok());
  EXPECT_TRUE(redelivered->batch_complete);
  after = store_.requests();
  EXPECT_EQ(after.puts - before.puts, 1);
  EXPECT_EQ(after.gets - before.gets, 1) << "is the stored result a dead letter?";
  EXPECT_EQ(after.lists - before.lists, 0) << "complete once, complete for good";
}

TEST_F(LakeBatchTrackerTest, ADeliveryChecksCompletionOncePerBatch) {
  ASSERT_TRUE(tracker_.registerBatch(plan("b2", 1), kT0).ok());
  const std::vector<ChunkRecord> delivery{
      {"b1", ok(0)}, {"b2", ok(0)}, {"b1", ok(1)}, {"b1", ok(2)}};
  const auto before = store_.requests();
  auto outcomes = tracker_.recordChunks(delivery, kT0);
  ASSERT_TRUE(outcomes.ok()) << outcomes.error().describe();
  EXPECT_EQ(store_.requests().puts - before.puts, 4);
  EXPECT_EQ(store_.requests().lists - before.lists, 2);
  for (const auto& outcome : *outcomes) {
    EXPECT_TRUE(outcome.counted);
    EXPECT_TRUE(outcome.batch_complete) << "each batch is complete after the delivery";
  }
}

TEST_F(LakeBatchTrackerTest, AnUnchangedBatchIsReadAgainWithOneList) {
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(0), kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(1), kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(2), kT0).ok());
  ASSERT_TRUE(tracker_.recentSummaries(10, "").ok());
  auto before = store_.requests();
  ASSERT_TRUE(tracker_.markEventPublished("b1", EventStatus::kComplete).ok());
  auto summaries = tracker_.recentSummaries(10, "");
  ASSERT_TRUE(summaries.ok());
  EXPECT_TRUE(summaries->front().event_published) << "markers are read from the listing";
  EXPECT_EQ(summaries->front().symbols_ok, 3);
  EXPECT_EQ(store_.requests().gets - before.gets, 0);
  ASSERT_TRUE(tracker_.registerBatch(plan("b2", 1), kT0 + 1s).ok());
  ASSERT_TRUE(tracker_.recordChunk("b2", ok(0), kT0 + 1s).ok());
  before = store_.requests();
  summaries = tracker_.recentSummaries(10, "");
  ASSERT_TRUE(summaries.ok());
  ASSERT_EQ(summaries->size(), 2u);
  EXPECT_EQ(store_.requests().gets - before.gets, 1) << "only b2's one new chunk result";
}

TEST_F(LakeBatchTrackerTest, MarkSentIsOnePutPerCall) {
  const auto before = store_.requests();
  ASSERT_TRUE(tracker_.markSent("b1", std::vector<int>{2, 0, 2}).ok());
  EXPECT_EQ(store_.requests().puts - before.puts, 1);
  ASSERT_TRUE(tracker_.markSent("b1", std::vector<int>{0, 2}).ok()) << "the same set again";
  ASSERT_TRUE(tracker_.markSent("b1", std::vector<int>{1}).ok());
  EXPECT_EQ(tracker_.snapshot("b1").value().sent_chunks, (std::vector<int>{0, 1, 2}));
}

// A batch larger than the reader's window of parallel GETs, with replacements (a redriven dead
// letter: its first result and its replacement) at and across the windows' edges: every chunk
// read once, in order, the replacement's result in place of the first, completed_at from the
// last first result, and one GET per document.
TEST_F(LakeBatchTrackerTest, ABatchOfManyWindowsReadsEveryChunkOnceInOrder) {
  constexpr int kChunks = 600;
  ASSERT_TRUE(tracker_.registerBatch(plan("big", kChunks), kT0).ok());
  const std::set<int> redriven{0, 1, 254, 255, 256, 300, 511, 598, 599};
  for (int i = 0; i < kChunks; ++i) {
    const auto at = kT0 + std::chrono::seconds(i + 1);
    ASSERT_TRUE(tracker_.recordChunk("big", redriven.count(i) ? dead(i) : ok(i), at).ok());
  }
  for (const int i : redriven)
    ASSERT_TRUE(tracker_.recordChunk("big", ok(i), kT0 + std::chrono::hours(1)).ok());
  LakeBatchTracker reader(store_);  // nothing cached
  const auto before = store_.requests();
  auto snapshot = reader.snapshot("big");
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().describe();
  EXPECT_EQ(store_.requests().gets - before.gets, 1 + kChunks + static_cast<int>(redriven.size()))
      << "the plan, every first result and every replacement, once each";
  ASSERT_EQ(snapshot->chunks.size(), static_cast<std::size_t>(kChunks));
  for (int i = 0; i < kChunks; ++i) {
    EXPECT_EQ(snapshot->chunks[i].chunk_index, i);
    EXPECT_FALSE(snapshot->chunks[i].dead_lettered) << "chunk " << i << ": the replacement";
    EXPECT_EQ(snapshot->chunks[i].ok_symbols, ok(i).ok_symbols);
  }
  EXPECT_EQ(snapshot->state, BatchState::kComplete);
  EXPECT_EQ(snapshot->completed_at, kT0 + std::chrono::seconds(kChunks))
      << "the last first result, not a replacement";
}

// The view cache holds at most ~100,000 object entries: reading a second batch of 60,000 evicts
// the first (read again with its GETs), while the newest stays cached (a LIST alone).
TEST_F(LakeBatchTrackerTest, TheViewCacheIsBoundedByObjectEntriesAndKeepsTheNewest) {
  constexpr int kChunks = 300;
  constexpr int kObjectsPerChunk = 200;
  for (const std::string id : {"first", "second"}) {
    ASSERT_TRUE(tracker_.registerBatch(plan(id, kChunks), kT0).ok());
    for (int i = 0; i < kChunks; ++i) {
      auto chunk = ok(i);
      for (int k = 0; k < kObjectsPerChunk; ++k)
        chunk.objects.push_back({"S", "k/" + std::to_string(i) + "/" + std::to_string(k),
                                 "2024-01-02", 1, 1, "", true});
      ASSERT_TRUE(tracker_.recordChunk(id, chunk, kT0).ok());
    }
  }
  LakeBatchTracker reader(store_);
  const auto getsOf = [&](const std::string& id) {
    const int before = store_.requests().gets;
    EXPECT_TRUE(reader.snapshot(id).ok());
    return store_.requests().gets - before;
  };
  EXPECT_GT(getsOf("first"), kChunks - 1) << "read from the store";
  EXPECT_EQ(getsOf("first"), 0) << "cached";
  EXPECT_GT(getsOf("second"), kChunks - 1);
  EXPECT_EQ(getsOf("second"), 0) << "the newest stays";
  EXPECT_GE(getsOf("first"), kChunks) << "evicted: 120,000 entries are over the bound";
}

TEST_F(LakeBatchTrackerTest, AnotherInstanceReadsWhatThisOneWrote) {
  ASSERT_TRUE(tracker_.markSent("b1", std::vector<int>{0, 1, 2}).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(0), kT0 + 1s).ok());
  LakeBatchTracker other(store_);  // a worker on another host: nothing in memory
  auto counted = other.recordChunk("b1", ok(0), kT0 + 2s);
  ASSERT_TRUE(counted.ok()) << counted.error().describe();
  EXPECT_FALSE(counted->counted);
  auto snapshot = other.snapshot("b1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->chunks.size(), 1u);
  EXPECT_EQ(snapshot->registered_at, kT0);
  EXPECT_EQ(snapshot->sent_chunks.size(), 3u);
}

TEST_F(LakeBatchTrackerTest, ProgressIsOnePutToSaveAndAGetOrTwoToRead) {
  auto before = store_.requests();
  auto none = tracker_.chunkProgress("b1", 0);
  ASSERT_TRUE(none.ok()) << none.error().describe();
  EXPECT_FALSE(none->has_value());
  auto after = store_.requests();
  EXPECT_EQ(after.gets - before.gets, 1) << "a first delivery pays one GET";

  ChunkResult progress = ok(0);
  before = store_.requests();
  ASSERT_TRUE(tracker_.saveChunkProgress("b1", progress, kT0).ok());
  after = store_.requests();
  EXPECT_EQ(after.puts - before.puts, 1);
  EXPECT_EQ(after.gets - before.gets, 0);
  EXPECT_EQ(store_.objects().count(progressKey("b1", 0)), 1u);

  before = store_.requests();
  auto saved = tracker_.chunkProgress("b1", 0);
  ASSERT_TRUE(saved.ok()) << saved.error().describe();
  ASSERT_TRUE(saved->has_value());
  EXPECT_EQ((*saved)->ok_symbols, progress.ok_symbols);
  after = store_.requests();
  EXPECT_EQ(after.gets - before.gets, 2) << "the progress, then whether the chunk is recorded";
  EXPECT_EQ(after.lists - before.lists, 0) << "no LIST on a delivery's path";

  ASSERT_TRUE(tracker_.recordChunk("b1", ok(0), kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(1), kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(2), kT0).value().batch_complete);
  before = store_.requests();
  EXPECT_FALSE(tracker_.chunkProgress("b1", 0).value().has_value());
  ASSERT_TRUE(tracker_.saveChunkProgress("b1", ok(1), kT0).ok());
  after = store_.requests();
  EXPECT_EQ(after.gets - before.gets, 0) << "a batch seen complete has no progress to keep";
  EXPECT_EQ(after.puts - before.puts, 0);
}

TEST_F(LakeBatchTrackerTest, ProgressDocumentsDoNotChangeTheBatchView) {
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(0), kT0).ok());
  ASSERT_TRUE(tracker_.snapshot("b1").ok());
  ASSERT_TRUE(tracker_.saveChunkProgress("b1", ok(1), kT0).ok());
  const auto before = store_.requests();
  auto snapshot = tracker_.snapshot("b1");
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().describe();
  EXPECT_EQ(snapshot->chunks.size(), 1u);
  EXPECT_EQ(store_.requests().gets - before.gets, 0) << "the cached view still holds";
}

TEST_F(LakeBatchTrackerTest, ACorruptProgressDocumentIsInternalNamingItsKey) {
  store_.set(progressKey("b1", 1), "{");
  auto progress = tracker_.chunkProgress("b1", 1);
  ASSERT_FALSE(progress.ok());
  EXPECT_EQ(progress.error().code, ErrorCode::kInternal);
  EXPECT_NE(progress.error().message.find(progressKey("b1", 1)), std::string::npos)
      << progress.error().message;
}

TEST_F(LakeBatchTrackerTest, EachAnnouncedStatusHasAMarker) {
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(0), kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(1), kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", dead(2), kT0 + 5s).ok());
  ASSERT_TRUE(tracker_.markEventPublished("b1", EventStatus::kPartial).ok());
  EXPECT_TRUE(store_.objects().count(eventPublishedKey("b1", "partial")));
  EXPECT_TRUE(tracker_.snapshot("b1").value().event_published);
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(2), kT0 + 9s).value().counted);
  auto snapshot = tracker_.snapshot("b1").value();
  EXPECT_FALSE(snapshot.event_published) << "complete was not announced";
  EXPECT_EQ(snapshot.completed_at, kT0 + 5s) << "first results decide completed_at";
  EXPECT_TRUE(store_.objects().count(chunkKey("b1", 2))) << "the dead letter stays as it was";
  EXPECT_TRUE(store_.objects().count(replacedKey("b1", 2)));
  ASSERT_TRUE(tracker_.markEventPublished("b1", EventStatus::kComplete).ok());
  EXPECT_TRUE(tracker_.snapshot("b1").value().event_published);
}

// A lake written before claims has one marker per announced revision.
TEST_F(LakeBatchTrackerTest, ABatchAnnouncedBeforeClaimsIsNotAnnouncedAgain) {
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(0), kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(1), kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b1", dead(2), kT0).ok());
  store_.set(legacyPublishedKey("b1", 3), "");  // partial, at revision 3
  LakeBatchTracker upgraded(store_);
  EXPECT_TRUE(upgraded.snapshot("b1").value().event_published);
  EXPECT_EQ(upgraded.claimEvent("b1", EventStatus::kPartial, kT0, 60s).value().outcome,
            ClaimOutcome::kPublished);
  ASSERT_TRUE(upgraded.recordChunk("b1", ok(2), kT0 + 1s).value().counted);  // revision 4
  EXPECT_FALSE(upgraded.snapshot("b1").value().event_published);
  EXPECT_EQ(upgraded.claimEvent("b1", EventStatus::kComplete, kT0, 60s).value().outcome,
            ClaimOutcome::kGranted);
}

TEST_F(LakeBatchTrackerTest, AClaimAfterTheFinalizersSnapshotIsOneListAndOnePut) {
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(tracker_.recordChunk("b1", ok(i), kT0).ok());
  ASSERT_TRUE(tracker_.snapshot("b1").ok());
  auto before = store_.requests();
  auto granted = tracker_.claimEvent("b1", EventStatus::kComplete, kT0, 60s);
  ASSERT_TRUE(granted.ok()) << granted.error().describe();
  EXPECT_EQ(granted->outcome, ClaimOutcome::kGranted);
  auto after = store_.requests();
  EXPECT_EQ(after.lists - before.lists, 1);
  EXPECT_EQ(after.gets - before.gets, 0) << "no claim to read yet, the view cached";
  EXPECT_EQ(after.puts - before.puts, 1);
  EXPECT_TRUE(store_.objects().count(eventClaimKey("b1", 0)));

  before = after;
  EXPECT_EQ(tracker_.claimEvent("b1", EventStatus::kComplete, kT0 + 1s, 60s).value().outcome,
            ClaimOutcome::kHeld);
  after = store_.requests();
  EXPECT_EQ(after.gets - before.gets, 1) << "the newest claim's lease";
  EXPECT_EQ(after.puts - before.puts, 0);

  ASSERT_TRUE(tracker_.markEventPublished("b1", EventStatus::kComplete).ok());
  before = store_.requests();
  EXPECT_EQ(tracker_.claimEvent("b1", EventStatus::kComplete, kT0 + 2s, 60s).value().outcome,
            ClaimOutcome::kPublished);
  after = store_.requests();
  EXPECT_EQ(after.gets - before.gets, 0) << "published: no lease to read";
  EXPECT_EQ(after.puts - before.puts, 0);
}

TEST_F(LakeBatchTrackerTest, ACorruptClaimIsInternalNamingItsKey) {
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(tracker_.recordChunk("b1", ok(i), kT0).ok());
  store_.set(eventClaimKey("b1", 0), R"({"schema":"rawfeed.event_claim/1","status":"maybe"})");
  auto claimed = tracker_.claimEvent("b1", EventStatus::kComplete, kT0, 60s);
  ASSERT_FALSE(claimed.ok());
  EXPECT_EQ(claimed.error().code, ErrorCode::kInternal);
  EXPECT_NE(claimed.error().message.find(eventClaimKey("b1", 0)), std::string::npos)
      << claimed.error().message;
}

TEST_F(LakeBatchTrackerTest, ASecondReplacementOfOneDeadLetterIsNotCounted) {
  ASSERT_TRUE(tracker_.recordChunk("b1", dead(0), kT0).ok());
  EXPECT_TRUE(tracker_.recordChunk("b1", ok(0), kT0 + 1s).value().counted);
  EXPECT_FALSE(tracker_.recordChunk("b1", ok(0), kT0 + 2s).value().counted);
}

TEST_F(LakeBatchTrackerTest, ACorruptStoredResultIsInternalNamingItsKey) {
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(1), kT0).ok());
  store_.set(chunkKey("b1", 1), "not json");
  auto snapshot = tracker_.snapshot("b1");
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.error().code, ErrorCode::kInternal);
  EXPECT_NE(snapshot.error().message.find(chunkKey("b1", 1)), std::string::npos);
  store_.set(chunkKey("b1", 1), R"({"schema":"rawfeed.chunk_result/1"})");
  EXPECT_EQ(tracker_.recordChunk("b1", ok(1), kT0).error().code, ErrorCode::kInternal);
}

TEST_F(LakeBatchTrackerTest, AResultStoredUnderTheWrongIndexIsInternal) {
  ASSERT_TRUE(tracker_.recordChunk("b1", ok(1), kT0).ok());
  store_.set(chunkKey("b1", 0), store_.objects().at(chunkKey("b1", 1)));
  auto snapshot = tracker_.snapshot("b1");
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.error().code, ErrorCode::kInternal);
}

TEST_F(LakeBatchTrackerTest, RegisteringAgainHealsAMissingIndexEntry) {
  ASSERT_TRUE(store_.remove(recentIndexKey(toMillis(kT0), "b1")).ok());
  EXPECT_TRUE(tracker_.recentBatches(10).value().empty());
  ASSERT_EQ(tracker_.registerBatch(plan("b1", 3), kT0 + 1h).value(), RegisterOutcome::kExisting);
  auto recent = tracker_.recentBatches(10);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ(recent->front().registered_at, kT0);
}

TEST_F(LakeBatchTrackerTest, AnIndexEntryWithoutItsPlanIsSkipped) {
  ASSERT_TRUE(store_.put(recentIndexKey(toMillis(kT0 + 1h), "gone"), "", {}).ok());
  auto recent = tracker_.recentBatches(10);
  ASSERT_TRUE(recent.ok()) << recent.error().describe();
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ(recent->front().plan.batch_id, "b1");
}

TEST_F(LakeBatchTrackerTest, IdsThatCannotBeAKeySegmentAreRejectedOrUnknown) {
  for (const char* id : {"a/b", ".", ".."}) {
    auto registered = tracker_.registerBatch(plan(id, 1), kT0);
    ASSERT_FALSE(registered.ok()) << id;
    EXPECT_EQ(registered.error().code, ErrorCode::kInvalidInput) << id;
    EXPECT_EQ(tracker_.snapshot(id).error().code, ErrorCode::kNotFound) << id;
    EXPECT_EQ(tracker_.markEventPublished(id, EventStatus::kComplete).error().code,
              ErrorCode::kNotFound)
        << id;
    EXPECT_EQ(tracker_.claimEvent(id, EventStatus::kComplete, kT0, 60s).error().code,
              ErrorCode::kNotFound)
        << id;
  }
  auto bad_domain = plan("b2", 1);
  bad_domain.domain = "eq/uities";
  EXPECT_EQ(tracker_.registerBatch(bad_domain, kT0).error().code, ErrorCode::kInvalidInput);
}

TEST_F(LakeBatchTrackerTest, PartitionStatsCountEachKeyOnceNewestDayFirst) {
  auto two = plan("b2", 1);
  ASSERT_TRUE(tracker_.registerBatch(two, kT0 + 1h).ok());
  ChunkResult a = ok(0);
  a.objects = {{"A", "k/a", "2024-01-02", 1, 10, "", true},
               {"B", "k/b", "2024-01-03", 1, 20, "", true}};
  ChunkResult again = ok(0);
  again.objects = {{"A", "k/a", "2024-01-02", 1, 10, "", false}};
  ASSERT_TRUE(tracker_.recordChunk("b1", a, kT0).ok());
  ASSERT_TRUE(tracker_.recordChunk("b2", again, kT0).ok());
  auto days = tracker_.partitionStats("equities", 1);
  ASSERT_TRUE(days.ok()) << days.error().describe();
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ(days->front().day, "2024-01-03");
  auto all = tracker_.partitionStats("equities", 10).value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].day, "2024-01-02");
  EXPECT_EQ(all[1].objects, 1) << "k/a once, though two batches recorded it";
  EXPECT_EQ(all[1].bytes, 10);
}

}  // namespace
}  // namespace rawfeed::tracker::lake
