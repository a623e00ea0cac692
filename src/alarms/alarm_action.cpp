#include "alarms/alarm_action.h"

namespace rawfeed::alarms {

const char* alarmStateName(AlarmState state) {
  switch (state) {
    case AlarmState::kInsufficientData:
      return "INSUFFICIENT_DATA";
    case AlarmState::kOk:
      return "OK";
    case AlarmState::kAlarm:
      return "ALARM";
  }
  return "INSUFFICIENT_DATA";
}

}  // namespace rawfeed::alarms
