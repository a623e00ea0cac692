#pragma once

#include <string_view>

#include "core/result.h"

namespace rawfeed::events {

// Where completion events (contracts §7) go. publish() returns once the event is delivered or
// durably recorded; delivery is at-least-once, so consumers key on batch_id. Thread-safe.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual core::Status publish(std::string_view event_json) = 0;
};

}  // namespace rawfeed::events
