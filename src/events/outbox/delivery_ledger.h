#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/result.h"
#include "events/jsonl/jsonl_event_sink.h"

namespace rawfeed::events::outbox {

// One line of the event log and where it starts.
struct LoggedEvent {
  std::uint64_t offset = 0;
  std::string line;
};

// Every complete line of the event log with its byte offset (a torn last line is left out).
core::Result<std::vector<LoggedEvent>> readLoggedEvents(const std::filesystem::path& log_path);

// Which events of the log one remote sink has received: a JSON Lines file whose first line is a
// header ({"sink": "...", "since_bytes": N}: the log's size when the sink was first configured,
// so events older than the sink are not sent to it) and every further line a copy of an event
// the sink acknowledged. Events are compared by content, so a log that was rotated or replaced
// never makes a new event look delivered; the worst a replaced log does is send old events
// again (at-least-once). Appends are durable (jsonl). Not thread-safe: the outbox serialises it.
class DeliveryLedger {
 public:
  // Reads the ledger, creating it (header from the log's current size) when missing.
  // kInternal naming the path for I/O errors, kInvalidInput for a header that is not one.
  static core::Result<DeliveryLedger> open(const std::filesystem::path& ledger_path,
                                           const std::filesystem::path& log_path,
                                           std::string_view sink);

  // The log's events the sink has not acknowledged, oldest first, each distinct line once.
  std::vector<LoggedEvent> pending(const std::vector<LoggedEvent>& log) const;

  core::Status markDelivered(const std::string& line);

  std::uint64_t sinceBytes() const { return since_bytes_; }

 private:
  explicit DeliveryLedger(const std::filesystem::path& path)
      : file_(std::make_unique<jsonl::JsonlEventSink>(path)) {}

  std::unique_ptr<jsonl::JsonlEventSink> file_;
  std::uint64_t since_bytes_ = 0;
  std::unordered_set<std::string> delivered_;
};

}  // namespace rawfeed::events::outbox
