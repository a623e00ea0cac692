#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/governor/fleet_store.h"

namespace rawfeed::http::governor {

// What one member (a process or Lambda invocation) tells the fleet at a sync.
struct MemberReport {
  std::string member_id;
  core::SystemTime now{};
  std::chrono::seconds member_ttl{15};  // members not seen for this long have left
  // How often members meet: the fleet's ceiling is measured no sooner than this after an
  // episode's first report, so every member has synced (re-adding itself where a concurrent
  // write on a store without compare-and-swap dropped it) before the sum is trusted.
  std::chrono::milliseconds sync_interval{0};
  bool leaving = false;   // the member leaves the record
  bool seeded = false;    // it has adopted the record already (else it is joining)
  bool cut_here = false;  // it measured a new ceiling since its last sync
  double rate = 0;        // its governed rate
  double sent_rate = 0;   // what it sent in the last second
  double ceiling = 0;     // its measured ceiling (its own share)
  int in_flight_limit = 0;
  std::optional<core::SystemTime> paused_until;  // its circuit's pause, if open
  std::chrono::milliseconds pause_length{0};
  std::uint64_t new_throttled = 0;  // 429s since its last report
  // Its sends per kHistorySlot up to history_end (fleet_store.h), and when the refused request
  // that last measured its ceiling was sent (with every report: one that opened an episode may
  // have been lost to a concurrent write).
  std::vector<int> history;
  core::SystemTime history_end{};
  std::optional<core::SystemTime> refused_at;
};

// Throttle reports this close together describe one episode (one ban, one overshoot).
inline constexpr auto kThrottleEpisode = std::chrono::seconds(5);

// Folds one member's report into the host's record: stale members drop out, the member's rate
// and send history are recorded (a newcomer at its share of the fleet's rate, so the others make
// room for it), a ceiling measured here becomes the fleet's estimate (the first report of an
// episode stands), the later pause wins, and the fleet's rate is the sum of its live members'.
// Once every live member's history reaches the episode's first refusal, the estimate is replaced
// by what the fleet's sends before it prove (fleetSustainedRate). The whole of the fleet
// budget's arithmetic; GovernedHttpClient calls it inside FleetStore::update.
void mergeReport(HostRecord& record, const MemberReport& report);

// The rate the members' sends before `refused_at` prove the source admits, under the burst a
// source is assumed to allow (one second of its rate, as HostGovernor assumes): the best
// n / (window + 1 s) over windows of whole slots ending at the slot boundary before it. 0 when
// nothing was sent.
double fleetSustainedRate(const std::map<std::string, FleetMember>& members,
                          core::SystemTime refused_at);

// The slot boundary at or before `time` (kHistorySlot on the wall clock).
core::SystemTime historySlotStart(core::SystemTime time);

}  // namespace rawfeed::http::governor
