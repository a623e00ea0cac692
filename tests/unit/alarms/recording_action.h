#pragma once

#include <mutex>
#include <vector>

#include "alarms/alarm_action.h"

namespace rawfeed::alarms::testing {

class RecordingAction final : public AlarmAction {
 public:
  void notify(const Transition& transition) override {
    std::lock_guard lock(mutex_);
    seen_.push_back(transition);
  }
  std::vector<Transition> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  mutable std::mutex mutex_;  // guards seen_
  std::vector<Transition> seen_;
};

}  // namespace rawfeed::alarms::testing
