#include "http/governor/fleet_merge.h"

#include <gtest/gtest.h>

namespace rawfeed::http::governor {
namespace {

using namespace std::chrono_literals;

const core::SystemTime kT0 = core::SystemTime{} + std::chrono::hours(24 * 365 * 50);

MemberReport reportOf(const std::string& id, core::SystemTime now, double rate) {
  MemberReport report;
  report.member_id = id;
  report.now = now;
  report.member_ttl = 15s;
  report.seeded = true;
  report.rate = rate;
  report.sent_rate = rate;
  report.in_flight_limit = 4;
  return report;
}

TEST(FleetMergeTest, TheFleetRateIsTheSumOfItsLiveMembersAndStaleOnesDropOut) {
  HostRecord record;
  mergeReport(record, reportOf("a", kT0, 10));
  mergeReport(record, reportOf("b", kT0 + 1s, 20));
  EXPECT_EQ(record.members.size(), 2u);
  EXPECT_DOUBLE_EQ(record.rate, 30);
  EXPECT_EQ(record.updated_at, kT0 + 1s);
  // a is not seen for longer than the ttl: b's next report leaves it out of the budget.
  mergeReport(record, reportOf("b", kT0 + 17s, 20));
  EXPECT_EQ(record.members.size(), 1u);
  EXPECT_DOUBLE_EQ(record.rate, 20);
}

TEST(FleetMergeTest, ANewcomerJoinsAtItsShareOfTheFleetRate) {
  HostRecord record;
  mergeReport(record, reportOf("a", kT0, 30));
  auto joining = reportOf("b", kT0 + 1s, 2);
  joining.seeded = false;  // it has not read the record yet
  mergeReport(record, joining);
  ASSERT_EQ(record.members.count("b"), 1u);
  EXPECT_DOUBLE_EQ(record.members.at("b").rate, 15);  // 30 shared by two
  EXPECT_DOUBLE_EQ(record.rate, 30);                  // a joiner does not set the fleet's rate
}

TEST(FleetMergeTest, ALeavingMemberTakesItsRateWithIt) {
  HostRecord record;
  mergeReport(record, reportOf("a", kT0, 10));
  mergeReport(record, reportOf("b", kT0, 20));
  auto leaving = reportOf("a", kT0 + 1s, 10);
  leaving.leaving = true;
  mergeReport(record, leaving);
  EXPECT_EQ(record.members.count("a"), 0u);
  EXPECT_DOUBLE_EQ(record.rate, 20);
}

TEST(FleetMergeTest, TheFirstCeilingOfAnEpisodeStandsAndIsNeverOverstated) {
  HostRecord record;
  mergeReport(record, reportOf("a", kT0, 10));
  mergeReport(record, reportOf("b", kT0, 30));
  auto cut = reportOf("a", kT0 + 1s, 9);
  cut.cut_here = true;
  cut.ceiling = 12;
  mergeReport(record, cut);
  // min(own ceiling + others' rates, own ceiling × members) = min(12 + 30, 12 × 2)
  EXPECT_DOUBLE_EQ(record.ceiling, 24);
  EXPECT_EQ(record.ceiling_at, kT0 + 1s);
  auto later = reportOf("b", kT0 + 3s, 20);
  later.cut_here = true;
  later.ceiling = 5;  // the aftermath of the same ban
  mergeReport(record, later);
  EXPECT_DOUBLE_EQ(record.ceiling, 24);
  auto next_episode = reportOf("b", kT0 + 10s, 20);
  next_episode.cut_here = true;
  next_episode.ceiling = 8;
  mergeReport(record, next_episode);
  EXPECT_DOUBLE_EQ(record.ceiling, 16);
  EXPECT_EQ(record.ceiling_at, kT0 + 10s);
}

TEST(FleetMergeTest, TheLaterPauseWinsAndThrottlesAccumulate) {
  HostRecord record;
  auto paused = reportOf("a", kT0, 1);
  paused.paused_until = kT0 + 60s;
  paused.pause_length = 60s;
  paused.new_throttled = 3;
  mergeReport(record, paused);
  auto shorter = reportOf("b", kT0 + 1s, 1);
  shorter.paused_until = kT0 + 20s;
  shorter.pause_length = 10s;
  shorter.new_throttled = 2;
  mergeReport(record, shorter);
  EXPECT_EQ(record.paused_until, kT0 + 60s);
  EXPECT_EQ(record.pause_length, 60s);
  EXPECT_EQ(record.throttled, 5u);
}

}  // namespace
}  // namespace rawfeed::http::governor
