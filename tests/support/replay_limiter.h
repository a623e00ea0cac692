#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "core/clock.h"

// Test support: the replay server's stand-in for Yahoo's throttling, so tests can hold a client
// (or a fleet of them) against a source that refuses excess traffic and bans the offender.
namespace rawfeed::testing {

struct ReplayLimits {
  double rate = 0;         // requests admitted per second (token bucket); 0: no rate limit
  double burst = 0;        // bucket size in requests; 0: max(1, rate). Starts full.
  int max_concurrent = 0;  // admitted requests in progress at once; 0: no limit
  // After any excess every request is refused for this long; 0: only the excess is refused.
  std::chrono::milliseconds ban{0};
  bool ban_extends = false;  // a request during a ban restarts it, as sources that punish do
  std::optional<int> retry_after_seconds;  // sent on the limiter's 429s when set (Yahoo: none)
};

enum class Admission {
  kAdmitted,
  kNoToken,        // over the rate
  kTooConcurrent,  // max_concurrent requests already in progress
  kBanned,         // a ban was in force on arrival
};

struct LimiterCounters {
  std::uint64_t admitted = 0;
  std::uint64_t refused = 0;             // every refusal, those during a ban included
  std::uint64_t refused_during_ban = 0;  // a subset of `refused`
  std::uint64_t bans_started = 0;        // extensions of a ban in force not counted
};

// Decides at arrival whether a request may proceed. Time is passed in, so tests are exact.
// An admitted request holds a concurrency slot until release(); a refused one holds nothing and
// consumes no token. Thread-safe.
class ReplayLimiter {
 public:
  explicit ReplayLimiter(ReplayLimits limits = {});

  // A new policy: the bucket starts full again and a ban in force ends, so a test can lift the
  // limits at once. Counters and the requests in progress carry over.
  void setLimits(ReplayLimits limits);
  ReplayLimits limits() const;

  Admission admit(core::SteadyTime now);
  void release();

  LimiterCounters counters() const;
  // The most admissions in any half-open window [t, t + window): what a fleet-wide rate
  // assertion compares against. Keeps every admission time, which suits tests, not days.
  std::uint64_t maxAdmittedInWindow(std::chrono::milliseconds window) const;
  // Total length of all bans, extensions and the rest of a ban still in force included.
  std::chrono::milliseconds bannedFor() const;
  // Clears the counters and admission times; the bucket, a ban and slots in use stay.
  void resetCounters();

 private:
  void refill(core::SteadyTime now);
  void startBan(core::SteadyTime now);

  mutable std::mutex mutex_;  // guards everything below
  ReplayLimits limits_;
  double capacity_ = 1;  // the bucket size that limits_ implies
  double tokens_ = 0;
  std::optional<core::SteadyTime> refilled_at_;  // unset: the bucket is full at the next admit()
  std::optional<core::SteadyTime> banned_until_;
  int active_ = 0;
  LimiterCounters counters_;
  std::chrono::steady_clock::duration banned_total_{0};
  std::vector<core::SteadyTime> admitted_at_;
};

}  // namespace rawfeed::testing
