#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/fakes/in_memory_object_store.h"
#include "tracker/lake/lake_batch_tracker.h"

namespace rawfeed::tracker::lake {
namespace {

using namespace std::chrono_literals;
using fakes::InMemoryObjectStore;

const core::SystemTime kRaceT0{std::chrono::seconds(1'700'000'000)};

ChunkResult raceOk(int index) {
  ChunkResult result;
  result.chunk_index = index;
  std::string symbol = "S";  // += : GCC 12 warns falsely on "literal" + std::string
  symbol += std::to_string(index);
  result.ok_symbols = {symbol};
  return result;
}

struct Tally {
  std::atomic<int> counted{0};
  std::atomic<int> completions{0};
  std::atomic<int> errors{0};
};

// Each host records every chunk `rounds` times from its own starting point and at its own
// instants, on threads of its own.
void recordAll(BatchTracker& tracker, int chunks, int offset, core::SystemTime at,
               ChunkResult (*make)(int), Tally& tally) {
  for (int i = 0; i < chunks; ++i) {
    const int index = (i + offset) % chunks;
    auto outcome = tracker.recordChunk("b1", make(index), at + std::chrono::milliseconds(i));
    if (!outcome.ok()) {
      ++tally.errors;
      continue;
    }
    tally.counted += outcome->counted ? 1 : 0;
    tally.completions += outcome->batch_complete ? 1 : 0;
  }
}

BatchPlan plan(int chunks) {
  BatchPlan plan;
  plan.batch_id = "b1";
  plan.domain = "equities";
  plan.total_chunks = chunks;
  // Not `= "f"`: GCC 12 at -O3 warns falsely (-Wrestrict) on that copy of a one-character
  // literal here.
  plan.fingerprint.assign(1, 'f');
  return plan;
}

// Two tracker instances — two hosts, sharing only the store — with three threads each.
TEST(LakeBatchTrackerRace, TwoInstancesCountEachChunkOnceAndAgreeOnCompletedAt) {
  constexpr int kChunks = 40;
  InMemoryObjectStore store;
  LakeBatchTracker a(store);
  LakeBatchTracker b(store);
  ASSERT_TRUE(a.registerBatch(plan(kChunks), kRaceT0).ok());
  Tally tally;
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back(recordAll, std::ref(a), kChunks, t * 7, kRaceT0 + 1min, raceOk,
                         std::ref(tally));
    threads.emplace_back(recordAll, std::ref(b), kChunks, t * 11, kRaceT0 + 2min, raceOk,
                         std::ref(tally));
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(tally.errors.load(), 0);
  EXPECT_EQ(tally.counted.load(), kChunks);
  EXPECT_GE(tally.completions.load(), 1);

  auto seen_by_a = a.snapshot("b1");
  auto seen_by_b = b.snapshot("b1");
  LakeBatchTracker c(store);  // a third host that recorded nothing
  auto seen_by_c = c.snapshot("b1");
  ASSERT_TRUE(seen_by_a.ok() && seen_by_b.ok() && seen_by_c.ok());
  EXPECT_EQ(seen_by_a->state, BatchState::kComplete);
  ASSERT_TRUE(seen_by_a->completed_at.has_value());
  EXPECT_EQ(seen_by_a->completed_at, seen_by_b->completed_at);
  EXPECT_EQ(seen_by_a->completed_at, seen_by_c->completed_at);
  EXPECT_EQ(seen_by_a->chunks.size(), static_cast<std::size_t>(kChunks));
}

ChunkResult raceDead(int index) {
  ChunkResult result = raceOk(index);
  result.ok_symbols.clear();
  result.dead_lettered = true;
  return result;
}

// A redriven message delivered to both hosts at once: one replacement per dead letter.
TEST(LakeBatchTrackerRace, RacingReplacementsOfDeadLettersCountOnce) {
  constexpr int kChunks = 20;
  InMemoryObjectStore store;
  LakeBatchTracker a(store);
  LakeBatchTracker b(store);
  ASSERT_TRUE(a.registerBatch(plan(kChunks), kRaceT0).ok());
  Tally first;
  recordAll(a, kChunks, 0, kRaceT0, raceDead, first);
  ASSERT_EQ(first.counted.load(), kChunks);
  ASSERT_EQ(a.snapshot("b1").value().state, BatchState::kPartial);
  const auto completed_at = a.snapshot("b1").value().completed_at;

  Tally redriven;
  std::thread on_a(recordAll, std::ref(a), kChunks, 0, kRaceT0 + 1h, raceOk, std::ref(redriven));
  std::thread on_b(recordAll, std::ref(b), kChunks, 5, kRaceT0 + 2h, raceOk, std::ref(redriven));
  on_a.join();
  on_b.join();
  EXPECT_EQ(redriven.errors.load(), 0);
  EXPECT_EQ(redriven.counted.load(), kChunks);
  EXPECT_EQ(redriven.completions.load(), 2 * kChunks);
  auto after = b.snapshot("b1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->state, BatchState::kComplete);
  EXPECT_EQ(after->completed_at, completed_at) << "replacements leave completed_at alone";
}

}  // namespace
}  // namespace rawfeed::tracker::lake
