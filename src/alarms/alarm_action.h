#pragma once

#include <string>

#include "core/clock.h"

namespace rawfeed::alarms {

enum class AlarmState { kInsufficientData, kOk, kAlarm };
const char* alarmStateName(AlarmState state);  // "INSUFFICIENT_DATA" | "OK" | "ALARM"

// An alarm changed state.
struct Transition {
  std::string alarm;
  std::string domain;
  AlarmState from = AlarmState::kInsufficientData;
  AlarmState to = AlarmState::kInsufficientData;
  std::string reason;  // CloudWatch's wording, e.g. "Threshold Crossed: 3 out of the last 5 ..."
  core::SystemTime time{};
};

// Something done when an alarm enters or leaves ALARM (a webhook, a shell command). notify()
// is called on the evaluator's thread and must not block: hand the work to a thread or an
// asynchronous client, bound what is queued, and log failures — the evaluator neither waits for
// nor learns the outcome. Implementations: WebhookAction, CommandAction. Thread-safe.
class AlarmAction {
 public:
  virtual ~AlarmAction() = default;
  virtual void notify(const Transition& transition) = 0;
};

}  // namespace rawfeed::alarms
