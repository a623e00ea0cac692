#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace rawfeed::http::governor {

// How one source host is paced. Rates are requests per second of the whole fleet sharing the
// host's budget (every process and Lambda invocation of the domain); a process paces its share.
struct GovernorSettings {
  // false: a fixed rate (max_rate; 0 means none) and a fixed in-flight limit (max_in_flight);
  // the circuit still opens on a burst of 429s and Retry-After is still honoured.
  bool adaptive = true;
  double initial_rate = 2.0;  // before anything is learned
  double max_rate = 0;        // never above this; 0: no cap
  double min_rate = 0.05;     // a cut never goes below this (one request every 20 s)
  int initial_in_flight = 4;  // before anything is learned
  int max_in_flight = 16;     // never above this (the HTTP client's per-host cap too)
  std::chrono::milliseconds pause_min{std::chrono::seconds(10)};
  std::chrono::milliseconds pause_max{std::chrono::hours(1)};
  // How long the rate stays just below a learned ceiling before it probes above it again.
  std::chrono::seconds probe_after{std::chrono::minutes(10)};
};

enum class CircuitState {
  kClosed,    // requests flow at the governed rate
  kOpen,      // paused: nothing is sent until paused_until
  kHalfOpen,  // the pause ended: one probe request is out, the rest wait for its answer
};
const char* circuitStateName(CircuitState state);

// What came back for a granted request, as far as the governor cares.
enum class Signal {
  kSuccess,    // any answer that was not a rate limit (2xx, 404, ...): evidence the rate is fine
  kThrottled,  // 429 (or 503 with Retry-After): the host asked us to slow down
  kNeutral,    // no answer, 5xx, 401/403: says nothing about the rate
};

// Handed out with each granted request and given back with its answer: what the governor knew
// when the request left, so an answer to an old request never punishes the new rate twice.
struct Ticket {
  std::uint64_t generation = 0;  // cuts so far when it was sent
  double rate_at_send = 0;       // the governed (local) rate then
  double window_rate = 0;        // requests sent in the second before it, itself included
  core::SteadyTime sent_at{};
  int in_flight_at_send = 0;  // itself included
  bool waited_for_token = false;
  bool waited_for_slot = false;
  bool probe = false;
};

struct Decision {
  std::optional<Ticket> ticket;  // granted
  // Otherwise when to ask again; nullopt: when a request ends (a slot or the probe's answer).
  std::optional<core::SteadyTime> retry_at;
};

// A snapshot for metrics, status and the fleet document (local units).
struct GovernorSnapshot {
  double rate = 0;     // current governed rate; 0: unlimited
  double ceiling = 0;  // rate at which throttling began; 0: not seen
  int in_flight_limit = 0;
  int in_flight_ceiling = 0;  // in flight at which throttling began; 0: not seen
  int in_flight = 0;
  CircuitState circuit = CircuitState::kClosed;
  std::chrono::milliseconds pause_remaining{0};
  std::chrono::milliseconds pause_length{0};  // the current (or next) pause's length
  double sent_rate = 0;                       // requests granted in the last second
  std::uint64_t requests = 0;                 // granted
  std::uint64_t throttled = 0;                // answers that were rate limits
  std::uint64_t pauses = 0;                   // times the circuit opened
  std::chrono::milliseconds paused_total{0};  // time spent with the circuit open
  // How long the host has been refusing us without a break: since the circuit last opened
  // from closed (probes refused keep it going); zero while closed.
  std::chrono::milliseconds paused_for{0};
  std::uint64_t cuts = 0;
  std::uint64_t ceiling_updates = 0;  // times the ceiling was measured (or halved) here
  // When the request whose refusal last measured the ceiling here was sent; zero when none:
  // the fleet measures its own ceiling from every member's sends before that instant.
  core::SteadyTime refused_sent_at{};
};

// The adaptive limiter of one source host: a token bucket for the rate and a limit on requests
// in flight, both learned. In slow start the rate doubles every second while requests wait for
// tokens and answers succeed; the first 429 records where throttling began (the ceiling: the
// requests actually sent in the second before it) and cuts to 90 % of it, after which the rate
// climbs back to 95 % and stays there for probe_after before probing 10 % higher. The in-flight
// limit grows by one per limit's worth of successes while requests wait for a slot, and a 429
// sent at the limit caps it one below. A second 429 without a success between opens the
// circuit: nothing is sent for the pause, then one probe; a probe answered 429 doubles the
// pause (up to pause_max), one that succeeds closes it. Retry-After pauses at least that long.
// Not thread-safe: its owner serialises calls. Time comes in as arguments, so tests are exact.
class HostGovernor {
 public:
  HostGovernor(GovernorSettings settings, core::SteadyTime now);

  // A request may start now (its ticket) or must wait.
  Decision tryAcquire(core::SteadyTime now);
  // Every granted request reports back exactly once.
  void onAnswer(const Ticket& ticket, Signal signal, core::SteadyTime now,
                std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

  // What the fleet learned elsewhere (or an earlier run): adopted as if seen here. A ceiling of
  // 0 leaves the local one; a rate of 0 leaves the local one.
  // `proven`: the ceiling is a rate sends proved (the fleet's sustained measurement), held as
  // near as one measured here; otherwise it keeps the full margin.
  void adoptLearned(double rate, double ceiling, int in_flight_limit, core::SteadyTime now,
                    bool proven = false);
  // Opens the circuit until `until` unless it is already paused longer.
  void pauseUntil(core::SteadyTime until, std::chrono::milliseconds length, core::SteadyTime now);
  // This process's share of the fleet's budget (1 / live members), in (0, 1].
  void setShare(double share);

  GovernorSnapshot snapshot(core::SteadyTime now) const;
  // When the circuit is open: how long until the probe may go.
  std::optional<core::SteadyTime> pausedUntil() const;
  // Bumped by every cut and every pause: lets the fleet sync see something new happened here.
  std::uint64_t throttleEvents() const { return throttle_events_; }
  double share() const { return share_; }
  // Requests sent in each `slot` of [end - count × slot, end), oldest first: what this process
  // tells the fleet of its own pace (the history reaches back kHistory).
  std::vector<int> sendCounts(core::SteadyTime end, std::chrono::milliseconds slot,
                              int count) const;

 private:
  double cap() const;  // max_rate in local units; 0: none
  void refill(core::SteadyTime now);
  void ramp(core::SteadyTime now);
  void cut(const Ticket& ticket, core::SteadyTime now);
  void openCircuit(core::SteadyTime now, std::chrono::milliseconds length);
  double windowRate(core::SteadyTime now);
  // The rate our sends before `sent_at` prove the source sustains, and over how long a window.
  struct Sustained {
    double rate = 0;
    double span = 0;  // seconds
  };
  Sustained sustainedRate(core::SteadyTime sent_at) const;
  double recentPace(core::SteadyTime sent_at) const;  // sends per second just before it
  void forgetHistory(core::SteadyTime now);

  GovernorSettings settings_;
  double share_ = 1.0;
  double rate_;         // local requests/s; 0: unlimited
  double ceiling_ = 0;  // local requests/s; 0: unknown
  double hold_ = 0.95;  // the share of the ceiling the rate climbs to and stays at
  double tokens_ = 1;
  core::SteadyTime refilled_at_;
  core::SteadyTime ramped_at_;
  core::SteadyTime ceiling_at_{};  // last cut (or adoption): when probing above may start
  core::SteadyTime token_wait_at_{};
  core::SteadyTime slot_wait_at_{};
  bool token_waited_ = false;
  bool slot_waited_ = false;
  double in_flight_limit_;
  int in_flight_ceiling_ = 0;
  int in_flight_ = 0;
  double latency_ = 0;  // seconds, a moving average of answers to granted requests
  // Send instants of the last kHistory (adaptive) or second: what a 429 is judged against.
  std::deque<core::SteadyTime> sent_;
  core::SteadyTime rate_raised_at_{};  // the rate last went up (a ramp step or a probe)

  CircuitState circuit_ = CircuitState::kClosed;
  bool probe_out_ = false;
  int successes_since_growth_ = 0;
  core::SteadyTime paused_until_{};
  core::SteadyTime paused_since_{};
  core::SteadyTime outage_since_{};  // when the circuit last opened from closed
  std::chrono::milliseconds pause_length_;
  std::uint64_t circuit_generation_ = 0;  // tickets older than the last opening are not probes
  std::uint64_t generation_ = 0;
  int consecutive_throttled_ = 0;
  bool accepted_since_cut_ = false;  // a request sent after the last cut was answered, not 429

  std::uint64_t requests_ = 0;
  std::uint64_t throttled_ = 0;
  std::uint64_t pauses_ = 0;
  std::uint64_t cuts_ = 0;
  std::uint64_t ceiling_updates_ = 0;
  core::SteadyTime refused_sent_at_{};
  std::uint64_t throttle_events_ = 0;
  std::chrono::milliseconds paused_total_{0};
};

}  // namespace rawfeed::http::governor
