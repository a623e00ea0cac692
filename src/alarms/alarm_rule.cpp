#include "alarms/alarm_rule.h"

#include <vector>

#include "alarms/reason_text.h"

namespace rawfeed::alarms {

Decision decide(const AlarmDefinition& d, std::span<const WindowSlot> window, AlarmState current) {
  std::vector<WindowSlot> breaching;      // present, newest first
  std::vector<WindowSlot> not_breaching;  // present, newest first
  int unknown = 0;
  for (auto it = window.rbegin(); it != window.rend(); ++it) {
    if (!it->value) {
      ++unknown;
    } else if (breaches(d.comparison, *it->value, d.threshold)) {
      breaching.push_back(*it);
    } else {
      not_breaching.push_back(*it);
    }
  }
  // breaching/notBreaching turn every unknown into a datapoint of their side.
  int missing_breaching = 0;
  int missing_not_breaching = 0;
  if (d.treat_missing_data == TreatMissingData::kBreaching)
    std::swap(missing_breaching, unknown);
  if (d.treat_missing_data == TreatMissingData::kNotBreaching) {
    std::swap(missing_not_breaching, unknown);
  }

  const int window_size = static_cast<int>(window.size());
  const int needed = d.datapointsToAlarm();
  const int breach_count = static_cast<int>(breaching.size()) + missing_breaching;
  if (breach_count >= needed) {
    reason::Crossing crossing{current, AlarmState::kAlarm, window_size,
                              needed,  breaching,          missing_breaching};
    return {AlarmState::kAlarm, reason::thresholdCrossed(d, crossing)};
  }
  if (breach_count + unknown < needed) {
    // Fewest non-breaching datapoints that rule ALARM out: M - N + 1.
    reason::Crossing crossing{current,       AlarmState::kOk,
                              window_size,   window_size - needed + 1,
                              not_breaching, missing_not_breaching};
    return {AlarmState::kOk, reason::thresholdCrossed(d, crossing)};
  }
  if (d.treat_missing_data == TreatMissingData::kIgnore)
    return {current, {}};
  return {AlarmState::kInsufficientData, reason::insufficientData(unknown)};
}

}  // namespace rawfeed::alarms
