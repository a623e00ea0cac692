#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "alarms/alarm_action.h"
#include "alarms/alarm_definition.h"
#include "alarms/period_series.h"

// CloudWatch's state reasons, so that operators (and their tooling) read rawfeed's alarms as
// they read CloudWatch's. Pure functions.
namespace rawfeed::alarms::reason {

// Java's Double.toString for the usual range, as CloudWatch prints: 120 → "120.0", 0.5 → "0.5".
std::string formatNumber(double value);
// "26/11/26 13:05:00": dd/mm/yy HH:MM:SS in UTC.
std::string formatTime(std::int64_t unix_seconds);

struct Crossing {
  AlarmState from = AlarmState::kInsufficientData;
  AlarmState to = AlarmState::kOk;     // kAlarm or kOk
  int window = 0;                      // M
  int minimum = 0;                     // datapoints needed for this transition
  std::span<const WindowSlot> listed;  // present datapoints on the deciding side, newest first
  int missing_counted = 0;             // missing datapoints counted on that side
};

// "Threshold Crossed: 3 out of the last 5 datapoints [120.0 (26/11/26 13:05:00), ...] were
// greater than or equal to the threshold (100.0) (minimum 3 datapoints for OK -> ALARM
// transition)." With missing datapoints counted: "... and 2 missing datapoints were treated
// as [Breaching] ..."; with none present: "no datapoints were received for 2 periods and ...".
std::string thresholdCrossed(const AlarmDefinition& definition, const Crossing& crossing);

// "Insufficient Data: 4 datapoints were unknown."
std::string insufficientData(int unknown);

}  // namespace rawfeed::alarms::reason
