#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace rawfeed::http::governor {

// One process (or Lambda invocation) pacing requests to the host.
struct FleetMember {
  core::SystemTime seen_at{};
  double rate = 0;  // its governed rate, requests/s
  double sent = 0;  // requests it sent in the second before seen_at (its real pace)
  // Its requests sent in each kHistorySlot up to history_end (oldest first): the whole fleet's
  // pace before a refusal is the sum of these.
  std::vector<int> history;
  core::SystemTime history_end{};
};

// The fleet's send histories: slots of this length, aligned to the wall clock (every member's
// slot boundaries coincide), this many of them.
inline constexpr std::chrono::milliseconds kHistorySlot{100};
inline constexpr int kHistorySlots = 300;  // 30 s, as far back as HostGovernor keeps its sends

// What the fleet knows of one source host, in fleet units (requests/s of all members together):
// kept between runs and shared by every process that reads and writes the same store.
struct HostRecord {
  double rate = 0;     // the learned rate: what the live members sent at, together
  double ceiling = 0;  // the rate at which throttling began; 0: never seen
  core::SystemTime ceiling_at{};
  // The current throttling episode: the send time of its earliest refused request, and whether
  // the ceiling has been measured from every member's sends before it (else it is one member's
  // estimate, replaced once every member's history reaches that far).
  core::SystemTime episode_refused_at{};
  bool ceiling_measured = false;
  int in_flight_limit = 0;  // one process's learned in-flight limit; 0: none
  core::SystemTime paused_until{};
  std::chrono::milliseconds pause_length{0};
  std::uint64_t throttled = 0;  // 429s seen by the whole fleet, ever
  std::map<std::string, FleetMember> members;
  core::SystemTime updated_at{};
};

// Where the fleet's HostRecords live: the state directory (one machine) or the lake (many hosts,
// Lambda). update() is a read-modify-write of one host's record; backends make it atomic where
// they can (a file lock) and otherwise last-writer-wins, which the merge tolerates: every field
// is re-derived from fresh observations at the next sync. Errors: kInternal/kTransient (storage);
// a corrupt record reads as empty. Thread-safe.
class FleetStore {
 public:
  virtual ~FleetStore() = default;
  virtual core::Result<HostRecord> update(const std::string& host,
                                          const std::function<void(HostRecord&)>& change) = 0;
  // The record as it stands, changing nothing (an empty record when there is none).
  virtual core::Result<HostRecord> read(const std::string& host) = 0;
  virtual std::string location() const = 0;
};

// The record as a JSON document (one format for every backend) and back; unreadable text
// yields an empty record.
std::string encodeHostRecord(const HostRecord& record);
HostRecord decodeHostRecord(std::string_view text);
// A host name as a file or key name: everything but A-Z a-z 0-9 . - _ becomes '_'.
std::string hostFileName(const std::string& origin);

}  // namespace rawfeed::http::governor
