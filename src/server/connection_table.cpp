#include "server/connection_table.h"

namespace rawfeed::server {

Admission ConnectionTable::admit(const std::string& client) const {
  if (countFor(client) >= limits_.max_per_client) {
    if (const auto victim = longestWaiting(&client)) {
      return {AdmissionKind::kAdmitAfterClosing, *victim};
    }
    return {AdmissionKind::kRefuseClientAtLimit, 0};
  }
  if (entries_.size() >= limits_.max_connections) {
    if (const auto victim = longestWaiting(nullptr)) {
      return {AdmissionKind::kAdmitAfterClosing, *victim};
    }
    return {AdmissionKind::kRefuseServerFull, 0};
  }
  return {AdmissionKind::kAdmit, 0};
}

void ConnectionTable::add(std::uint64_t id, const std::string& client, core::SteadyTime now) {
  if (entries_.emplace(id, Entry{client, true, now}).second) {
    ++per_client_[client];
  }
}

void ConnectionTable::remove(std::uint64_t id) {
  const auto found = entries_.find(id);
  if (found == entries_.end()) {
    return;
  }
  const auto count = per_client_.find(found->second.client);
  if (count != per_client_.end() && --count->second == 0) {
    per_client_.erase(count);
  }
  entries_.erase(found);
}

void ConnectionTable::setWaitingOnClient(std::uint64_t id, bool waiting, core::SteadyTime now) {
  const auto found = entries_.find(id);
  if (found == entries_.end()) {
    return;
  }
  Entry& entry = found->second;
  if (waiting && !entry.waiting_on_client) {
    entry.waiting_since = now;
  }
  entry.waiting_on_client = waiting;
}

std::size_t ConnectionTable::countFor(const std::string& client) const {
  const auto found = per_client_.find(client);
  return found == per_client_.end() ? 0 : found->second;
}

std::optional<std::uint64_t> ConnectionTable::longestWaiting(const std::string* client) const {
  std::optional<std::uint64_t> oldest;
  core::SteadyTime oldest_since{};
  // A linear scan: this runs only when a limit is reached, over at most max_connections entries.
  for (const auto& [id, entry] : entries_) {
    if (!entry.waiting_on_client || (client != nullptr && entry.client != *client)) {
      continue;
    }
    if (!oldest || entry.waiting_since < oldest_since ||
        (entry.waiting_since == oldest_since && id < *oldest)) {
      oldest = id;
      oldest_since = entry.waiting_since;
    }
  }
  return oldest;
}

}  // namespace rawfeed::server
