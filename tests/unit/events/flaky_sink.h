#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "events/event_sink.h"

namespace rawfeed::events::testing {

// A remote sink that fails while told to, with the code it is told, and keeps what it received.
class FlakySink final : public EventSink {
 public:
  core::Status publish(std::string_view event_json) override {
    std::lock_guard lock(mutex_);
    ++attempts_;
    if (!failures_.empty()) {
      const auto code = failures_.front();
      failures_.pop_front();
      return core::makeError(code, "sink unwell");
    }
    if (refuse_containing_.size() > 0 &&
        event_json.find(refuse_containing_) != std::string_view::npos) {
      return core::makeError(core::ErrorCode::kInvalidInput, "sink refuses this event");
    }
    received_.emplace_back(event_json);
    return core::okStatus();
  }
  void failNext(core::ErrorCode code, int times = 1) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < times; ++i)
      failures_.push_back(code);
  }
  void refuseEventsContaining(std::string text) {
    std::lock_guard lock(mutex_);
    refuse_containing_ = std::move(text);
  }
  std::vector<std::string> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  int attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
  }

 private:
  mutable std::mutex mutex_;  // guards everything below
  std::deque<core::ErrorCode> failures_;
  std::string refuse_containing_;
  std::vector<std::string> received_;
  int attempts_ = 0;
};

}  // namespace rawfeed::events::testing
