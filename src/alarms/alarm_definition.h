#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::alarms {

// What an alarm watches, per domain. Gauges are sampled; counters become datapoints of "how
// many within the period" (the delta between readings), as CloudWatch's Sum over a period.
enum class AlarmMetric {
  kQueueDepth,               // "queue_depth": visible messages (gauge)
  kInFlight,                 // "in_flight": received, not yet deleted (gauge)
  kOldestMessageAgeSeconds,  // "oldest_message_age_seconds" (gauge)
  kDlqDepth,                 // "dlq_depth" (gauge)
  kWorkerErrors,             // "worker_errors" (counter)
  kThrottles,                // "throttles": both kinds (counter)
  kMessagesDeadLettered,     // "messages_dead_lettered" (counter)
  kScheduleMisfires,         // "schedule_misfires" (counter)
  kSourcePausedSeconds,      // "source_paused_seconds": the source refusing us without a break
};
const char* alarmMetricName(AlarmMetric metric);
std::optional<AlarmMetric> parseAlarmMetric(std::string_view text);
bool isCounterMetric(AlarmMetric metric);

enum class Comparison { kGreaterOrEqual, kGreater, kLessOrEqual, kLess };
const char* comparisonSymbol(Comparison comparison);  // ">=" ...
// ">=", ">", "<=", "<" or CloudWatch's names (GreaterThanOrEqualToThreshold, ...).
std::optional<Comparison> parseComparison(std::string_view text);
bool breaches(Comparison comparison, double value, double threshold);

// CloudWatch's four ways to count a period without a datapoint.
enum class TreatMissingData { kMissing, kNotBreaching, kBreaching, kIgnore };
const char* treatMissingDataName(TreatMissingData treat);  // "missing", "notBreaching", ...
std::optional<TreatMissingData> parseTreatMissingData(std::string_view text);

// How several readings within one period make its datapoint.
enum class Statistic { kMaximum, kMinimum, kAverage, kSum };
const char* statisticName(Statistic statistic);
std::optional<Statistic> parseStatistic(std::string_view text);

// One alarm of one domain, with CloudWatch's meaning: over the last `evaluation_periods` (M)
// periods, ALARM when at least `datapoints_to_alarm` (N) datapoints breach.
struct AlarmDefinition {
  std::string name;
  AlarmMetric metric = AlarmMetric::kQueueDepth;
  Comparison comparison = Comparison::kGreaterOrEqual;
  double threshold = 0;
  std::chrono::seconds period{60};
  int evaluation_periods = 5;
  std::optional<int> datapoints_to_alarm;  // default: evaluation_periods
  TreatMissingData treat_missing_data = TreatMissingData::kMissing;
  std::optional<Statistic> statistic;  // default: Sum for counters, Maximum for gauges
  bool actions_enabled = true;

  int datapointsToAlarm() const { return datapoints_to_alarm.value_or(evaluation_periods); }
  Statistic effectiveStatistic() const;
};

// kInvalidInput naming the alarm and the rule: empty name, period < 1 s, M < 1, N outside
// 1..M, M periods longer than a day, a threshold that is not finite.
core::Status validate(const AlarmDefinition& definition);

// The design's three (extract-pipeline-overview, Monitoring), each over 5 minutes as 5 periods
// of 60 s: queue depth >= 100 (5 of 5), oldest message age >= 300 s (5 of 5), worker errors
// >= 1 in any minute (1 of 5: "investigate at once" means one bad minute is enough, and the
// alarm clears after five clean minutes).
std::vector<AlarmDefinition> defaultAlarms();
// rawfeed's own, beyond the design's three: the source has refused us (paused) for too long.
AlarmDefinition sourcePausedAlarm();

}  // namespace rawfeed::alarms
