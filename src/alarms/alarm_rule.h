#pragma once

#include <span>
#include <string>

#include "alarms/alarm_action.h"
#include "alarms/alarm_definition.h"
#include "alarms/period_series.h"

namespace rawfeed::alarms {

struct Decision {
  AlarmState state = AlarmState::kInsufficientData;
  std::string reason;  // empty when the state is kept for want of data (treat_missing=ignore)
};

// The state an alarm's window calls for. Each period is breaching, not breaching, or unknown
// (missing, with treat_missing_data missing or ignore; breaching/notBreaching fill it in).
// With N = datapoints_to_alarm:
//   breaching >= N                     → ALARM
//   breaching + unknown < N            → OK (even if every unknown breached, no alarm)
//   otherwise, undecided:  missing     → INSUFFICIENT_DATA ("too few datapoints")
//                          ignore      → `current`, kept
// So an all-missing window is INSUFFICIENT_DATA under `missing` and keeps the state under
// `ignore`, as CloudWatch's. Pure.
Decision decide(const AlarmDefinition& definition, std::span<const WindowSlot> window,
                AlarmState current);

}  // namespace rawfeed::alarms
