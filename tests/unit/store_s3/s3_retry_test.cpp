#include <gtest/gtest.h>

#include "store/s3/s3_backoff.h"
#include "unit/store_s3/s3_world.h"

namespace rawfeed::store::s3 {
namespace {

using fakes::FixedRandom;
using std::chrono::milliseconds;
using testing::FakeWorld;

const PutOptions kRetryOverwrite{PutMode::kOverwrite, "application/json", ""};

TEST(S3BackoffTest, DoublesToTheCapWithHalfOfItJittered) {
  const Backoff backoff(milliseconds(200), milliseconds(1000));
  FixedRandom none(0.0);
  FixedRandom most(0.999);
  EXPECT_EQ(backoff.delay(0, none), milliseconds(100));
  EXPECT_EQ(backoff.delay(1, none), milliseconds(200));
  EXPECT_EQ(backoff.delay(2, none), milliseconds(400));
  EXPECT_EQ(backoff.delay(3, none), milliseconds(500));   // capped at 1000, half fixed
  EXPECT_EQ(backoff.delay(60, none), milliseconds(500));  // no overflow
  EXPECT_EQ(backoff.delay(0, most), milliseconds(199));
  EXPECT_EQ(backoff.delay(3, most), milliseconds(999));
}

TEST(S3RetryTest, SlowDownIsRetriedAfterBackoffWithoutSleeping) {
  FakeWorld world;
  auto store = world.make();
  world.s3.script(503, "<Error><Code>SlowDown</Code><Message>Reduce your rate</Message></Error>");
  world.s3.script(503);
  const core::SteadyTime start = world.clock.steadyNow();
  auto put = store->put("k", "v", kRetryOverwrite);
  ASSERT_TRUE(put.ok()) << put.error().describe();
  const auto requests = world.s3.requests();
  ASSERT_EQ(requests.size(), 3u);
  // Random 0.5 of the jittered half: 100 + 50 ms, then 200 + 100 ms; the first goes at once.
  EXPECT_EQ(requests[0].not_before, core::SteadyTime{});
  EXPECT_EQ(requests[1].not_before, start + milliseconds(150));
  EXPECT_EQ(requests[2].not_before, start + milliseconds(300));
  EXPECT_TRUE(world.s3.has("raw/k"));
  const S3Stats stats = store->stats();
  EXPECT_EQ(stats.requests, 3u);
  EXPECT_EQ(stats.retries, 2u);
  EXPECT_EQ(stats.throttled, 2u);
}

TEST(S3RetryTest, EachAttemptIsSignedAfresh) {
  FakeWorld world;
  auto store = world.make();
  world.s3.scriptFailure(core::ErrorCode::kTransient, "connection reset");
  ASSERT_TRUE(store->get("missing").error().code == core::ErrorCode::kNotFound);
  const auto requests = world.s3.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(testing::headerOf(requests[1], "authorization").empty());
}

TEST(S3RetryTest, RetriesAreBoundedAndTheLastErrorIsReturned) {
  FakeWorld world;
  auto options = FakeWorld::options();
  options.max_retries = 2;
  auto store = world.make(options);
  for (int i = 0; i < 3; ++i)
    world.s3.script(500, "<Error><Code>InternalError</Code></Error>");
  auto got = store->get("k");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, core::ErrorCode::kTransient);
  EXPECT_NE(got.error().message.find("InternalError"), std::string::npos);
  EXPECT_EQ(world.s3.requests().size(), 3u);
}

TEST(S3RetryTest, TransportFailuresAreRetriedButRefusalsAreNot) {
  FakeWorld world;
  auto store = world.make();
  world.s3.scriptFailure(core::ErrorCode::kTransient, "timed out after 30000 ms");
  ASSERT_TRUE(store->put("k", "v", kRetryOverwrite).ok());
  EXPECT_EQ(world.s3.requests().size(), 2u);

  world.s3.script(403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
  auto denied = store->put("k2", "v", kRetryOverwrite);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(world.s3.requests().size(), 3u);
  world.s3.scriptFailure(core::ErrorCode::kCancelled, "client stopped");
  EXPECT_EQ(store->get("k").error().code, core::ErrorCode::kCancelled);
  EXPECT_EQ(world.s3.requests().size(), 4u);
}

TEST(S3RetryTest, CredentialFailuresSayWhichSourceAndNeverASecret) {
  FakeWorld world;
  auto store = world.make();
  world.credentials.failWith(
      core::makeError(core::ErrorCode::kUnauthenticated, "no AWS_ACCESS_KEY_ID"));
  auto put = store->put("k", "v", kRetryOverwrite);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(put.error().message.find("credentials from " + world.credentials.describe()),
            std::string::npos);
  EXPECT_TRUE(world.s3.requests().empty());
}

TEST(S3RetryTest, ErrorsNeverCarryTheSecretOrToken) {
  FakeWorld world;
  world.credentials.withToken();
  auto store = world.make();
  world.s3.script(403,
                  "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature "
                  "we calculated does not match</Message></Error>");
  auto put = store->put("k", "v", kRetryOverwrite);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(put.error().message.find("signature we calculated"), std::string::npos);
  EXPECT_EQ(put.error().message.find(fakes::kExampleSecret), std::string::npos);
  EXPECT_EQ(put.error().message.find(fakes::kExampleSessionToken), std::string::npos);
  EXPECT_EQ(put.error().message.find("Signature="), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::store::s3
