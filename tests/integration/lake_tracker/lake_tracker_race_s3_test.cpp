#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "integration/lake_tracker/s3_lake.h"
#include "tracker/lake/lake_batch_tracker.h"

namespace rawfeed::integration {
namespace {

using namespace std::chrono_literals;

const core::SystemTime kT0{std::chrono::seconds(1'700'000'000)};

// One worker host: its own HTTP client and S3ObjectStore, on a prefix shared with the others.
struct Host {
  Host(const S3Server& server, const TestServers& servers, const std::string& prefix)
      : credentials(server.access_key_id, server.secret_access_key) {
    auto options = optionsFor(server, servers.region, servers.bucket, random);
    options.prefix = prefix;
    auto created =
        store::s3::S3ObjectStore::create(options, http, credentials, core::systemClock(), random);
    if (!created.ok()) {
      error = created.error().describe();
      return;
    }
    store = std::move(created).value();
    tracker = std::make_unique<tracker::lake::LakeBatchTracker>(*store);
  }

  core::SystemRandom random;
  http::curl::CurlHttpClient http;
  StaticCredentials credentials;
  std::string error;
  std::unique_ptr<store::s3::S3ObjectStore> store;
  std::unique_ptr<tracker::lake::LakeBatchTracker> tracker;
};

tracker::ChunkResult chunk(int index) {
  tracker::ChunkResult result;
  result.chunk_index = index;
  result.ok_symbols = {"S" + std::to_string(index)};
  result.objects.push_back({"S" + std::to_string(index), "k/" + std::to_string(index) + ".jsonl",
                            "2024-01-02", 1, 10, std::string(64, 'a'), true});
  return result;
}

// Two hosts record every chunk of one batch at once, from opposite ends and at different
// instants: moto decides each create-only put, so the counts are exact, someone sees the batch
// complete, and both hosts then read the same completed_at — the manifests' generated_at.
TEST(LakeTrackerRaceS3Test, TwoHostsRecordingTheSameChunksOnMotoCountEachOnce) {
  RAWFEED_REQUIRE_S3_SERVERS(servers);
  const std::string bucket_error = prepareBucket(*servers, servers->moto);
  ASSERT_TRUE(bucket_error.empty()) << bucket_error;
  core::SystemRandom random;
  const std::string prefix =
      optionsFor(servers->moto, servers->region, servers->bucket, random).prefix;
  Host a(servers->moto, *servers, prefix);
  Host b(servers->moto, *servers, prefix);
  ASSERT_TRUE(a.error.empty()) << a.error;
  ASSERT_TRUE(b.error.empty()) << b.error;

  constexpr int kChunks = 24;
  tracker::BatchPlan plan;
  plan.batch_id = "race";
  plan.domain = "equities";
  plan.total_chunks = kChunks;
  plan.fingerprint = "f";
  ASSERT_TRUE(a.tracker->registerBatch(plan, kT0).ok());
  ASSERT_EQ(b.tracker->registerBatch(plan, kT0 + 1s).value(), tracker::RegisterOutcome::kExisting);

  std::atomic<int> counted{0};
  std::atomic<int> completions{0};
  std::atomic<int> errors{0};
  const auto run = [&](tracker::BatchTracker& tracker, bool forward, core::SystemTime at) {
    for (int i = 0; i < kChunks; ++i) {
      const int index = forward ? i : kChunks - 1 - i;
      auto outcome = tracker.recordChunk("race", chunk(index), at + std::chrono::seconds(i));
      if (!outcome.ok()) {
        ++errors;
        ADD_FAILURE() << outcome.error().describe();
        continue;
      }
      counted += outcome->counted ? 1 : 0;
      completions += outcome->batch_complete ? 1 : 0;
    }
  };
  std::thread first(run, std::ref(*a.tracker), true, kT0 + 1min);
  std::thread second(run, std::ref(*b.tracker), false, kT0 + 2min);
  first.join();
  second.join();

  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(counted.load(), kChunks);
  EXPECT_GE(completions.load(), 1);
  auto seen_by_a = a.tracker->snapshot("race");
  auto seen_by_b = b.tracker->snapshot("race");
  ASSERT_TRUE(seen_by_a.ok()) << seen_by_a.error().describe();
  ASSERT_TRUE(seen_by_b.ok()) << seen_by_b.error().describe();
  EXPECT_EQ(seen_by_a->chunks.size(), static_cast<std::size_t>(kChunks));
  EXPECT_EQ(seen_by_a->state, tracker::BatchState::kComplete);
  ASSERT_TRUE(seen_by_a->completed_at.has_value());
  EXPECT_EQ(seen_by_a->completed_at, seen_by_b->completed_at);
  EXPECT_EQ(seen_by_a->registered_at, kT0) << "the first registration stands";
}

}  // namespace
}  // namespace rawfeed::integration
