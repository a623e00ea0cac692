#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace rawfeed::server {

struct ConnectionLimits {
  std::size_t max_connections = 512;
  std::size_t max_per_client = 8;  // per client address
};

enum class AdmissionKind {
  kAdmit,
  kAdmitAfterClosing,    // close `close_first`, which only waits on its client, then admit
  kRefuseClientAtLimit,  // the address holds its limit, every one of them busy with a request
  kRefuseServerFull,     // the server holds its limit, every one of them busy with a request
};

struct Admission {
  AdmissionKind kind = AdmissionKind::kAdmit;
  std::uint64_t close_first = 0;
};

// The open connections of the front by client address, and which of them only wait on their
// client (for a request, a body, or to go away) rather than on us. A new connection over a limit
// takes the place of the one that has waited on its client longest, so that trickling clients
// cannot keep a newcomer — a health check from the same address included — out; only when every
// connection in the way is busy with a request is the newcomer refused. Pure: time is passed in.
// Not thread-safe.
class ConnectionTable {
 public:
  explicit ConnectionTable(ConnectionLimits limits) : limits_(limits) {}

  Admission admit(const std::string& client) const;

  // A connection starts out waiting on its client.
  void add(std::uint64_t id, const std::string& client, core::SteadyTime now);
  void remove(std::uint64_t id);
  // Records whether the connection waits on its client; its waiting time restarts when it
  // starts waiting again.
  void setWaitingOnClient(std::uint64_t id, bool waiting, core::SteadyTime now);

  std::size_t size() const { return entries_.size(); }
  std::size_t countFor(const std::string& client) const;

 private:
  struct Entry {
    std::string client;
    bool waiting_on_client = true;
    core::SteadyTime waiting_since;
  };

  // The connection (of `client`, or of anyone when null) waiting on its client the longest.
  std::optional<std::uint64_t> longestWaiting(const std::string* client) const;

  ConnectionLimits limits_;
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::unordered_map<std::string, std::size_t> per_client_;
};

}  // namespace rawfeed::server
