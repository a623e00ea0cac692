#include "http/curl/host_limiter.h"

#include <gtest/gtest.h>

namespace rawfeed::http::curl {
namespace {

TEST(HostLimiter, AdmitsUpToTheLimitThenQueues) {
  HostLimiter<int> limiter(2);
  EXPECT_EQ(limiter.admit("a", 1), 1);
  EXPECT_EQ(limiter.admit("a", 2), 2);
  EXPECT_EQ(limiter.admit("a", 3), std::nullopt);
  EXPECT_EQ(limiter.active("a"), 2u);
  EXPECT_EQ(limiter.waiting(), 1u);
}

TEST(HostLimiter, HostsAreIndependent) {
  HostLimiter<int> limiter(1);
  EXPECT_EQ(limiter.admit("a", 1), 1);
  EXPECT_EQ(limiter.admit("b", 2), 2);
  EXPECT_EQ(limiter.admit("a", 3), std::nullopt);
  EXPECT_EQ(limiter.active(), 2u);
}

TEST(HostLimiter, ReleaseHandsTheSlotToTheOldestWaiter) {
  HostLimiter<int> limiter(1);
  ASSERT_EQ(limiter.admit("a", 1), 1);
  EXPECT_EQ(limiter.admit("a", 2), std::nullopt);
  EXPECT_EQ(limiter.admit("a", 3), std::nullopt);
  EXPECT_EQ(limiter.release("a"), 2);
  EXPECT_EQ(limiter.active("a"), 1u);
  EXPECT_EQ(limiter.release("a"), 3);
  EXPECT_EQ(limiter.release("a"), std::nullopt);
  EXPECT_EQ(limiter.active("a"), 0u);
  EXPECT_EQ(limiter.active(), 0u);
  EXPECT_EQ(limiter.waiting(), 0u);
}

TEST(HostLimiter, NewcomerDoesNotOvertakeWaiters) {
  HostLimiter<int> limiter(1);
  ASSERT_EQ(limiter.admit("a", 1), 1);
  EXPECT_EQ(limiter.admit("a", 2), std::nullopt);
  auto next = limiter.release("a");  // slot goes to 2, so a newcomer still waits
  EXPECT_EQ(next, 2);
  EXPECT_EQ(limiter.admit("a", 3), std::nullopt);
  EXPECT_EQ(limiter.release("a"), 3);
}

TEST(HostLimiter, ReleaseWithoutAdmitIsIgnored) {
  HostLimiter<int> limiter(1);
  EXPECT_EQ(limiter.release("nobody"), std::nullopt);
  EXPECT_EQ(limiter.active(), 0u);
}

TEST(HostLimiter, DrainWaitingKeepsStartedSlots) {
  HostLimiter<int> limiter(1);
  ASSERT_EQ(limiter.admit("a", 1), 1);
  ASSERT_EQ(limiter.admit("a", 2), std::nullopt);
  ASSERT_EQ(limiter.admit("b", 3), 3);
  ASSERT_EQ(limiter.admit("b", 4), std::nullopt);
  auto drained = limiter.drainWaiting();
  std::sort(drained.begin(), drained.end());
  EXPECT_EQ(drained, (std::vector<int>{2, 4}));
  EXPECT_EQ(limiter.waiting(), 0u);
  EXPECT_EQ(limiter.active(), 2u);
}

TEST(HostLimiter, ZeroLimitMeansOne) {
  HostLimiter<int> limiter(0);
  EXPECT_EQ(limiter.admit("a", 1), 1);
  EXPECT_EQ(limiter.admit("a", 2), std::nullopt);
}

TEST(HostLimiter, MoveOnlyItems) {
  HostLimiter<std::unique_ptr<int>> limiter(1);
  ASSERT_TRUE(limiter.admit("a", std::make_unique<int>(1)).has_value());
  EXPECT_FALSE(limiter.admit("a", std::make_unique<int>(2)).has_value());
  auto next = limiter.release("a");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(**next, 2);
}

}  // namespace
}  // namespace rawfeed::http::curl
