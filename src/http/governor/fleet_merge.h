#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "http/governor/fleet_store.h"

namespace rawfeed::http::governor {

// What one member (a process or Lambda invocation) tells the fleet at a sync.
struct MemberReport {
  std::string member_id;
  core::SystemTime now{};
  std::chrono::seconds member_ttl{15};  // members not seen for this long have left
  bool leaving = false;                 // the member leaves the record
  bool seeded = false;                  // it has adopted the record already (else it is joining)
  bool cut_here = false;                // it measured a new ceiling since its last sync
  double rate = 0;                      // its governed rate
  double sent_rate = 0;                 // what it sent in the last second
  double ceiling = 0;                   // its measured ceiling (its own share)
  int in_flight_limit = 0;
  std::optional<core::SystemTime> paused_until;  // its circuit's pause, if open
  std::chrono::milliseconds pause_length{0};
  std::uint64_t new_throttled = 0;  // 429s since its last report
};

// Throttle reports this close together describe one episode (one ban, one overshoot).
inline constexpr auto kThrottleEpisode = std::chrono::seconds(5);

// Folds one member's report into the host's record: stale members drop out, the member's rate
// is recorded (a newcomer at its share of the fleet's rate, so the others make room for it), a
// ceiling measured here becomes the fleet's (the first report of an episode stands), the later
// pause wins, and the fleet's rate is the sum of its live members'. The whole of the fleet
// budget's arithmetic; GovernedHttpClient calls it inside FleetStore::update.
void mergeReport(HostRecord& record, const MemberReport& report);

}  // namespace rawfeed::http::governor
