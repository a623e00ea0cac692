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
  // b sent 20 of the fleet's 29 (a last said 9): 8 / (20 / 29), below 8 + 9 and 8 × 2
  EXPECT_DOUBLE_EQ(record.ceiling, 8 * 29.0 / 20);
  EXPECT_EQ(record.ceiling_at, kT0 + 10s);
}

TEST(FleetMergeTest, TheFastestMemberReportingFirstDoesNotSpeakForTheWholeFleet) {
  // Three members in slow start: a sent 84 a second, b 24, c 43. a is refused first and proves
  // 40/s of its own: the fleet sent 40 / (84 / 151), not 40 × 3.
  HostRecord record;
  auto b = reportOf("b", kT0, 30);
  b.sent_rate = 24;
  mergeReport(record, b);
  auto c = reportOf("c", kT0, 50);
  c.sent_rate = 43;
  mergeReport(record, c);
  auto a = reportOf("a", kT0 + 1s, 90);
  a.sent_rate = 84;
  a.cut_here = true;
  a.ceiling = 40;
  mergeReport(record, a);
  EXPECT_DOUBLE_EQ(record.ceiling, 40 * 151.0 / 84);
  // The share is never taken below an even one: a slow reporter does not inflate the fleet.
  HostRecord even;
  mergeReport(even, reportOf("b", kT0, 30));
  auto slow = reportOf("a", kT0 + 1s, 5);
  slow.cut_here = true;
  slow.ceiling = 5;
  mergeReport(even, slow);
  EXPECT_DOUBLE_EQ(even.ceiling, 5 * 2);  // min(5 + 30, 5 × 2, 5 / max(5 / 35, 1 / 2))
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

// A member's history reaching `end` (a slot boundary): `after` sends in each of the 3 slots
// before `end`, `pattern` repeated over the 40 slots before those, nothing earlier.
std::vector<int> historyOf(const std::vector<int>& pattern, int after) {
  std::vector<int> history(kHistorySlots, 0);
  const std::size_t first = history.size() - 43;
  for (std::size_t i = 0; i < 40; ++i)
    history[first + i] = pattern[i % pattern.size()];
  for (std::size_t i = history.size() - 3; i < history.size(); ++i)
    history[i] = after;
  return history;
}

const core::SystemTime kRefusalSlot = core::SystemTime{} + std::chrono::hours(24 * 365 * 50);

FleetMember memberWith(std::vector<int> history, core::SystemTime end) {
  FleetMember member;
  member.seen_at = end;
  member.history = std::move(history);
  member.history_end = end;
  return member;
}

TEST(FleetSustainedRateTest, TheFleetsSendsBeforeTheRefusalProveTheSourcesRate) {
  // A token bucket of 50/s with a burst of 50: the fleet sent 250 in the 4 s before the refusal
  // (50 + 50 × 4), unevenly (120, 80, 50), and more after it, which proves nothing.
  const auto end = kRefusalSlot + 300ms;
  std::map<std::string, FleetMember> members;
  members["a"] = memberWith(historyOf({3}, 9), end);
  members["b"] = memberWith(historyOf({2}, 9), end);
  members["c"] = memberWith(historyOf({1, 1, 1, 2}, 9), end);
  EXPECT_DOUBLE_EQ(fleetSustainedRate(members, kRefusalSlot + 50ms), 250.0 / 5);
  // One member alone proves only its own share.
  std::map<std::string, FleetMember> alone{{"a", members["a"]}};
  EXPECT_DOUBLE_EQ(fleetSustainedRate(alone, kRefusalSlot + 50ms), 120.0 / 5);
  EXPECT_EQ(fleetSustainedRate({}, kRefusalSlot), 0);
}

TEST(FleetMergeTest, EveryMembersHistoryReplacesTheFirstEstimateWithWhatTheFleetProved) {
  const auto refused = kRefusalSlot + 50ms;
  const auto start = kRefusalSlot - 5s;
  HostRecord record;
  // Each member syncs before the refusal, its history reaching only then.
  for (const char* id : {"a", "b", "c"}) {
    auto report = reportOf(id, start, 20);
    report.history = std::vector<int>(kHistorySlots, 0);
    report.history_end = start;
    mergeReport(record, report);
  }
  // a, the fastest, is refused first: its own estimate (40 × 3 at most) stands for now.
  auto a = reportOf("a", kRefusalSlot + 400ms, 30);
  a.sent_rate = 30;
  a.cut_here = true;
  a.ceiling = 40;
  a.refused_at = refused;
  a.history = historyOf({3}, 9);
  a.history_end = kRefusalSlot + 300ms;
  mergeReport(record, a);
  EXPECT_FALSE(record.ceiling_measured);
  EXPECT_EQ(record.episode_refused_at, refused);
  const double estimate = record.ceiling;
  EXPECT_GT(estimate, 50);
  // b's history reaches the refusal; c's does not yet: still the estimate.
  auto b = reportOf("b", kRefusalSlot + 500ms, 20);
  b.history = historyOf({2}, 9);
  b.history_end = kRefusalSlot + 300ms;
  mergeReport(record, b);
  EXPECT_FALSE(record.ceiling_measured);
  EXPECT_DOUBLE_EQ(record.ceiling, estimate);
  // c's report completes the picture: the fleet proved exactly 50/s.
  auto c = reportOf("c", kRefusalSlot + 900ms, 20);
  c.history = historyOf({1, 1, 1, 2}, 9);
  c.history_end = kRefusalSlot + 800ms;
  // c's history ends later: its slots after the refusal are skipped, so the pattern shifts.
  c.history.erase(c.history.begin(), c.history.begin() + 5);
  c.history.insert(c.history.end(), 5, 9);
  mergeReport(record, c);
  EXPECT_TRUE(record.ceiling_measured);
  EXPECT_DOUBLE_EQ(record.ceiling, 50);
  EXPECT_EQ(record.ceiling_at, kRefusalSlot + 900ms);
  // A refusal reported later in the same episode (the ban's aftermath) changes nothing.
  auto late = reportOf("b", kRefusalSlot + 2s, 5);
  late.cut_here = true;
  late.ceiling = 4;
  late.refused_at = kRefusalSlot + 1s;
  late.history = historyOf({2}, 9);
  late.history_end = kRefusalSlot + 2s;
  mergeReport(record, late);
  EXPECT_DOUBLE_EQ(record.ceiling, 50);
}

TEST(FleetMergeTest, TheFleetIsMeasuredNoSoonerThanASyncAfterTheEpisodeBegan) {
  // On the lake (no compare-and-swap) a member's entry can be lost to a concurrent write and
  // come back at its next sync: measured at once, a fleet of one would speak for three.
  HostRecord record;
  auto a = reportOf("a", kRefusalSlot + 400ms, 30);
  a.cut_here = true;
  a.ceiling = 40;
  a.refused_at = kRefusalSlot + 50ms;
  a.history = historyOf({3}, 9);
  a.history_end = kRefusalSlot + 300ms;
  a.sync_interval = 5s;
  mergeReport(record, a);
  EXPECT_FALSE(record.ceiling_measured);  // a alone is "complete", but too soon to tell
  auto b = reportOf("b", kRefusalSlot + 3s, 20);
  b.history = historyOf({2}, 9);
  b.history.erase(b.history.begin(), b.history.begin() + 27);
  b.history.insert(b.history.end(), 27, 0);
  b.history_end = kRefusalSlot + 3s;
  b.sync_interval = 5s;
  mergeReport(record, b);
  EXPECT_FALSE(record.ceiling_measured);
  auto c = reportOf("c", kRefusalSlot + 5400ms, 20);
  c.history = historyOf({1, 1, 1, 2}, 9);
  c.history.erase(c.history.begin(), c.history.begin() + 51);
  c.history.insert(c.history.end(), 51, 0);
  c.history_end = kRefusalSlot + 5400ms;
  c.sync_interval = 5s;
  mergeReport(record, c);
  EXPECT_TRUE(record.ceiling_measured);
  EXPECT_DOUBLE_EQ(record.ceiling, 50);
}

TEST(FleetMergeTest, AnEarlierRefusalReportedLateStillEndsTheMeasuredWindow) {
  // b was refused first (at +50 ms) but the report that said so was lost to a concurrent write;
  // a's refusal at +2 s opened the episode. b's next report still carries its refusal: the
  // windows end before it, not after two seconds of the ban's silence.
  HostRecord record;
  auto a = reportOf("a", kRefusalSlot + 2100ms, 30);
  a.cut_here = true;
  a.ceiling = 40;
  a.refused_at = kRefusalSlot + 2s;
  a.history = historyOf({3}, 0);
  a.history.erase(a.history.begin(), a.history.begin() + 18);
  a.history.insert(a.history.end(), 18, 0);  // silent since the ban began
  a.history_end = kRefusalSlot + 2100ms;
  a.sync_interval = 1s;
  mergeReport(record, a);
  EXPECT_EQ(record.episode_refused_at, kRefusalSlot + 2s);
  EXPECT_FALSE(record.ceiling_measured);
  auto b = reportOf("b", kRefusalSlot + 3200ms, 20);
  b.refused_at = kRefusalSlot + 50ms;  // not a cut now: the same refusal, told again
  b.history = historyOf({2}, 0);
  b.history.erase(b.history.begin(), b.history.begin() + 29);
  b.history.insert(b.history.end(), 29, 0);
  b.history_end = kRefusalSlot + 3200ms;
  b.sync_interval = 1s;
  mergeReport(record, b);
  EXPECT_EQ(record.episode_refused_at, kRefusalSlot + 50ms);
  EXPECT_TRUE(record.ceiling_measured);
  EXPECT_DOUBLE_EQ(record.ceiling, 200.0 / 5);  // (120 + 80) / (4 s + 1 s)
}

TEST(FleetMergeTest, AFleetWithAMemberThatSaysNothingOfItsSendsKeepsTheEstimate) {
  // An older rawfeed in the fleet reports no history: the others' sends alone would understate
  // the fleet, so the estimate stands (and nobody waits for a history that will not come).
  HostRecord record;
  mergeReport(record, reportOf("old", kRefusalSlot - 1s, 10));
  auto a = reportOf("a", kRefusalSlot + 400ms, 30);
  a.cut_here = true;
  a.ceiling = 40;
  a.refused_at = kRefusalSlot + 50ms;
  a.history = historyOf({3}, 9);
  a.history_end = kRefusalSlot + 300ms;
  mergeReport(record, a);
  EXPECT_TRUE(record.ceiling_measured);
  // min(40 + 10, 40 × 2, 40 / max(30 / 40, 1 / 2))
  EXPECT_DOUBLE_EQ(record.ceiling, 50);
}

}  // namespace
}  // namespace rawfeed::http::governor
