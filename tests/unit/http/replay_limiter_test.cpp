#include "support/replay_limiter.h"

#include <gtest/gtest.h>

namespace rawfeed::testing {
namespace {

using std::chrono::milliseconds;

// An arbitrary origin: the limiter only compares times it is given.
const core::SteadyTime kT0 = core::SteadyTime{} + std::chrono::hours(1);

core::SteadyTime at(int ms) {
  return kT0 + milliseconds(ms);
}

ReplayLimits rateLimit(double rate, double burst = 0) {
  ReplayLimits limits;
  limits.rate = rate;
  limits.burst = burst;
  return limits;
}

// Admits (and releases at once) `count` requests at `when`; returns how many got in.
int admitMany(ReplayLimiter& limiter, core::SteadyTime when, int count) {
  int admitted = 0;
  for (int i = 0; i < count; ++i) {
    if (limiter.admit(when) == Admission::kAdmitted) {
      limiter.release();
      ++admitted;
    }
  }
  return admitted;
}

TEST(ReplayLimiter, NoLimitsAdmitsEverything) {
  ReplayLimiter limiter;
  EXPECT_EQ(admitMany(limiter, at(0), 1000), 1000);
  EXPECT_EQ(limiter.counters().refused, 0u);
  EXPECT_EQ(limiter.counters().admitted, 1000u);
}

TEST(ReplayLimiter, BurstDefaultsToOneSecondOfRateAndStartsFull) {
  ReplayLimiter limiter(rateLimit(5));
  EXPECT_EQ(admitMany(limiter, at(0), 5), 5);
  EXPECT_EQ(limiter.admit(at(0)), Admission::kNoToken);
  EXPECT_EQ(limiter.counters().refused, 1u);
}

TEST(ReplayLimiter, BurstBelowOneRateStillHoldsOneRequest) {
  ReplayLimiter limiter(rateLimit(0.5));
  EXPECT_EQ(admitMany(limiter, at(0), 3), 1);
  EXPECT_EQ(admitMany(limiter, at(1999), 1), 0);
  EXPECT_EQ(admitMany(limiter, at(2000), 1), 1);
}

TEST(ReplayLimiter, ExplicitBurst) {
  ReplayLimiter limiter(rateLimit(1, 10));
  EXPECT_EQ(admitMany(limiter, at(0), 20), 10);
}

TEST(ReplayLimiter, BucketRefillsAtTheRate) {
  ReplayLimiter limiter(rateLimit(5));
  ASSERT_EQ(admitMany(limiter, at(0), 5), 5);
  EXPECT_EQ(admitMany(limiter, at(199), 1), 0);
  EXPECT_EQ(admitMany(limiter, at(200), 2), 1);  // exactly one token after 200 ms at 5/s
  EXPECT_EQ(admitMany(limiter, at(600), 5), 2);
  // A long idle spell refills only up to the burst.
  EXPECT_EQ(admitMany(limiter, at(60000), 100), 5);
}

TEST(ReplayLimiter, RefusedRequestsConsumeNoToken) {
  ReplayLimiter limiter(rateLimit(10, 1));
  ASSERT_EQ(admitMany(limiter, at(0), 1), 1);
  // Hammering while empty does not push the next token further away.
  EXPECT_EQ(admitMany(limiter, at(50), 100), 0);
  EXPECT_EQ(admitMany(limiter, at(100), 1), 1);
  EXPECT_EQ(limiter.counters().refused, 100u);
}

TEST(ReplayLimiter, ConcurrencyLimitHoldsSlotsUntilRelease) {
  ReplayLimits limits;
  limits.max_concurrent = 2;
  ReplayLimiter limiter(limits);
  EXPECT_EQ(limiter.admit(at(0)), Admission::kAdmitted);
  EXPECT_EQ(limiter.admit(at(0)), Admission::kAdmitted);
  EXPECT_EQ(limiter.admit(at(0)), Admission::kTooConcurrent);
  limiter.release();
  EXPECT_EQ(limiter.admit(at(0)), Admission::kAdmitted);
  EXPECT_EQ(limiter.admit(at(0)), Admission::kTooConcurrent);
}

TEST(ReplayLimiter, ConcurrencyRefusalConsumesNoToken) {
  ReplayLimits limits = rateLimit(1, 2);
  limits.max_concurrent = 1;
  ReplayLimiter limiter(limits);
  ASSERT_EQ(limiter.admit(at(0)), Admission::kAdmitted);
  EXPECT_EQ(limiter.admit(at(0)), Admission::kTooConcurrent);
  limiter.release();
  EXPECT_EQ(limiter.admit(at(0)), Admission::kAdmitted);  // the second token is still there
}

TEST(ReplayLimiter, BanRefusesEverythingForItsLength) {
  ReplayLimits limits = rateLimit(100, 1);
  limits.ban = milliseconds(1000);
  ReplayLimiter limiter(limits);
  ASSERT_EQ(admitMany(limiter, at(0), 1), 1);
  EXPECT_EQ(limiter.admit(at(1)), Admission::kNoToken);   // the excess starts the ban
  EXPECT_EQ(limiter.admit(at(500)), Admission::kBanned);  // tokens back, still banned
  EXPECT_EQ(limiter.admit(at(1000)), Admission::kBanned);
  EXPECT_EQ(limiter.admit(at(1001)), Admission::kAdmitted);  // the ban ends 1000 ms after it began
  limiter.release();
  const auto counters = limiter.counters();
  EXPECT_EQ(counters.bans_started, 1u);
  EXPECT_EQ(counters.refused, 3u);
  EXPECT_EQ(counters.refused_during_ban, 2u);
  EXPECT_EQ(limiter.bannedFor(), milliseconds(1000));
}

TEST(ReplayLimiter, ConcurrencyExcessAlsoStartsABan) {
  ReplayLimits limits;
  limits.max_concurrent = 1;
  limits.ban = milliseconds(100);
  ReplayLimiter limiter(limits);
  ASSERT_EQ(limiter.admit(at(0)), Admission::kAdmitted);
  EXPECT_EQ(limiter.admit(at(0)), Admission::kTooConcurrent);
  limiter.release();
  EXPECT_EQ(limiter.admit(at(50)), Admission::kBanned);
  EXPECT_EQ(limiter.admit(at(100)), Admission::kAdmitted);
  EXPECT_EQ(limiter.counters().bans_started, 1u);
}

TEST(ReplayLimiter, WithoutBanOnlyTheExcessIsRefused) {
  ReplayLimiter limiter(rateLimit(10, 1));
  ASSERT_EQ(admitMany(limiter, at(0), 1), 1);
  EXPECT_EQ(limiter.admit(at(1)), Admission::kNoToken);
  EXPECT_EQ(limiter.admit(at(100)), Admission::kAdmitted);
  EXPECT_EQ(limiter.counters().bans_started, 0u);
  EXPECT_EQ(limiter.bannedFor(), milliseconds(0));
}

TEST(ReplayLimiter, BanExtendsWhenTrafficArrivesDuringIt) {
  ReplayLimits limits = rateLimit(100, 1);
  limits.ban = milliseconds(1000);
  limits.ban_extends = true;
  ReplayLimiter limiter(limits);
  ASSERT_EQ(admitMany(limiter, at(0), 1), 1);
  ASSERT_EQ(limiter.admit(at(0)), Admission::kNoToken);      // banned until 1000
  EXPECT_EQ(limiter.admit(at(900)), Admission::kBanned);     // until 1900
  EXPECT_EQ(limiter.admit(at(1500)), Admission::kBanned);    // until 2500
  EXPECT_EQ(limiter.admit(at(2499)), Admission::kBanned);    // until 3499
  EXPECT_EQ(limiter.admit(at(4499)), Admission::kAdmitted);  // a quiet second ends it
  limiter.release();
  EXPECT_EQ(limiter.counters().bans_started, 1u);
  EXPECT_EQ(limiter.counters().refused_during_ban, 3u);
  EXPECT_EQ(limiter.bannedFor(), milliseconds(3499));
}

TEST(ReplayLimiter, BanDoesNotExtendByDefault) {
  ReplayLimits limits = rateLimit(100, 1);
  limits.ban = milliseconds(1000);
  ReplayLimiter limiter(limits);
  ASSERT_EQ(admitMany(limiter, at(0), 1), 1);
  ASSERT_EQ(limiter.admit(at(0)), Admission::kNoToken);
  EXPECT_EQ(limiter.admit(at(999)), Admission::kBanned);
  EXPECT_EQ(limiter.admit(at(1000)), Admission::kAdmitted);
  limiter.release();
}

TEST(ReplayLimiter, SeparateBansAddUp) {
  ReplayLimits limits = rateLimit(1, 1);
  limits.ban = milliseconds(200);
  ReplayLimiter limiter(limits);
  ASSERT_EQ(admitMany(limiter, at(0), 1), 1);
  ASSERT_EQ(limiter.admit(at(0)), Admission::kNoToken);    // ban 1: 0..200
  ASSERT_EQ(limiter.admit(at(300)), Admission::kNoToken);  // no token yet: ban 2, 300..500
  EXPECT_EQ(limiter.counters().bans_started, 2u);
  EXPECT_EQ(limiter.bannedFor(), milliseconds(400));
  EXPECT_EQ(admitMany(limiter, at(1000), 1), 1);
}

TEST(ReplayLimiter, SetLimitsLiftsABanAndRefillsTheBucket) {
  ReplayLimits limits = rateLimit(1, 1);
  limits.ban = milliseconds(60000);
  ReplayLimiter limiter(limits);
  ASSERT_EQ(admitMany(limiter, at(0), 1), 1);
  ASSERT_EQ(limiter.admit(at(0)), Admission::kNoToken);
  ASSERT_EQ(limiter.admit(at(10)), Admission::kBanned);
  limiter.setLimits(rateLimit(1, 3));
  EXPECT_EQ(admitMany(limiter, at(20), 5), 3);
  limiter.setLimits({});
  EXPECT_EQ(admitMany(limiter, at(20), 5), 5);
  EXPECT_EQ(limiter.counters().admitted, 9u);  // counters carry over
}

TEST(ReplayLimiter, MaxAdmittedInWindow) {
  ReplayLimiter limiter;
  // 3 at 0 ms, 1 at 400, 2 at 999, 4 at 1000, 1 at 2500.
  admitMany(limiter, at(0), 3);
  admitMany(limiter, at(400), 1);
  admitMany(limiter, at(999), 2);
  admitMany(limiter, at(1000), 4);
  admitMany(limiter, at(2500), 1);
  EXPECT_EQ(limiter.maxAdmittedInWindow(milliseconds(1000)), 7u);   // [400, 1400)
  EXPECT_EQ(limiter.maxAdmittedInWindow(milliseconds(1001)), 10u);  // [0, 1001)
  EXPECT_EQ(limiter.maxAdmittedInWindow(milliseconds(1)), 4u);
  EXPECT_EQ(limiter.maxAdmittedInWindow(milliseconds(10000)), 11u);
  EXPECT_EQ(limiter.maxAdmittedInWindow(milliseconds(0)), 0u);
}

TEST(ReplayLimiter, WindowMaximumOfATokenBucketIsBurstPlusRefill) {
  ReplayLimiter limiter(rateLimit(10, 10));
  for (int ms = 0; ms < 5000; ms += 10) {
    admitMany(limiter, at(ms), 3);
  }
  EXPECT_EQ(limiter.maxAdmittedInWindow(milliseconds(1000)), 19u);  // 10 at once + 9 refills
  EXPECT_LE(limiter.counters().admitted, 10u + 50u);
}

TEST(ReplayLimiter, ResetCountersKeepsTheBucket) {
  ReplayLimiter limiter(rateLimit(2));
  ASSERT_EQ(admitMany(limiter, at(0), 3), 2);
  limiter.resetCounters();
  EXPECT_EQ(limiter.counters().admitted, 0u);
  EXPECT_EQ(limiter.counters().refused, 0u);
  EXPECT_EQ(limiter.maxAdmittedInWindow(milliseconds(1000)), 0u);
  EXPECT_EQ(admitMany(limiter, at(0), 1), 0);
}

}  // namespace
}  // namespace rawfeed::testing
