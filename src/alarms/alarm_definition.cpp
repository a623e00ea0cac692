#include "alarms/alarm_definition.h"

#include <cmath>

namespace rawfeed::alarms {
namespace {

constexpr AlarmMetric kMetrics[] = {AlarmMetric::kQueueDepth,
                                    AlarmMetric::kInFlight,
                                    AlarmMetric::kOldestMessageAgeSeconds,
                                    AlarmMetric::kDlqDepth,
                                    AlarmMetric::kWorkerErrors,
                                    AlarmMetric::kThrottles,
                                    AlarmMetric::kMessagesDeadLettered,
                                    AlarmMetric::kScheduleMisfires,
                                    AlarmMetric::kSourcePausedSeconds};

core::Status invalid(const AlarmDefinition& d, std::string_view rule) {
  std::string message = "alarm '";
  message += d.name;
  message += "': ";
  message += rule;
  return core::makeError(core::ErrorCode::kInvalidInput, message);
}

}  // namespace

const char* alarmMetricName(AlarmMetric metric) {
  switch (metric) {
    case AlarmMetric::kQueueDepth:
      return "queue_depth";
    case AlarmMetric::kInFlight:
      return "in_flight";
    case AlarmMetric::kOldestMessageAgeSeconds:
      return "oldest_message_age_seconds";
    case AlarmMetric::kDlqDepth:
      return "dlq_depth";
    case AlarmMetric::kWorkerErrors:
      return "worker_errors";
    case AlarmMetric::kThrottles:
      return "throttles";
    case AlarmMetric::kMessagesDeadLettered:
      return "messages_dead_lettered";
    case AlarmMetric::kScheduleMisfires:
      return "schedule_misfires";
    case AlarmMetric::kSourcePausedSeconds:
      return "source_paused_seconds";
  }
  return "queue_depth";
}

std::optional<AlarmMetric> parseAlarmMetric(std::string_view text) {
  for (AlarmMetric metric : kMetrics) {
    if (text == alarmMetricName(metric))
      return metric;
  }
  return std::nullopt;
}

bool isCounterMetric(AlarmMetric metric) {
  switch (metric) {
    case AlarmMetric::kWorkerErrors:
    case AlarmMetric::kThrottles:
    case AlarmMetric::kMessagesDeadLettered:
    case AlarmMetric::kScheduleMisfires:
      return true;
    default:
      return false;
  }
}

const char* comparisonSymbol(Comparison comparison) {
  switch (comparison) {
    case Comparison::kGreaterOrEqual:
      return ">=";
    case Comparison::kGreater:
      return ">";
    case Comparison::kLessOrEqual:
      return "<=";
    case Comparison::kLess:
      return "<";
  }
  return ">=";
}

std::optional<Comparison> parseComparison(std::string_view text) {
  if (text == ">=" || text == "GreaterThanOrEqualToThreshold")
    return Comparison::kGreaterOrEqual;
  if (text == ">" || text == "GreaterThanThreshold")
    return Comparison::kGreater;
  if (text == "<=" || text == "LessThanOrEqualToThreshold")
    return Comparison::kLessOrEqual;
  if (text == "<" || text == "LessThanThreshold")
    return Comparison::kLess;
  return std::nullopt;
}

bool breaches(Comparison comparison, double value, double threshold) {
  switch (comparison) {
    case Comparison::kGreaterOrEqual:
      return value >= threshold;
    case Comparison::kGreater:
      return value > threshold;
    case Comparison::kLessOrEqual:
      return value <= threshold;
    case Comparison::kLess:
      return value < threshold;
  }
  return false;
}

const char* treatMissingDataName(TreatMissingData treat) {
  switch (treat) {
    case TreatMissingData::kMissing:
      return "missing";
    case TreatMissingData::kNotBreaching:
      return "notBreaching";
    case TreatMissingData::kBreaching:
      return "breaching";
    case TreatMissingData::kIgnore:
      return "ignore";
  }
  return "missing";
}

std::optional<TreatMissingData> parseTreatMissingData(std::string_view text) {
  for (TreatMissingData treat : {TreatMissingData::kMissing, TreatMissingData::kNotBreaching,
                                 TreatMissingData::kBreaching, TreatMissingData::kIgnore}) {
    if (text == treatMissingDataName(treat))
      return treat;
  }
  return std::nullopt;
}

const char* statisticName(Statistic statistic) {
  switch (statistic) {
    case Statistic::kMaximum:
      return "Maximum";
    case Statistic::kMinimum:
      return "Minimum";
    case Statistic::kAverage:
      return "Average";
    case Statistic::kSum:
      return "Sum";
  }
  return "Maximum";
}

std::optional<Statistic> parseStatistic(std::string_view text) {
  for (Statistic s :
       {Statistic::kMaximum, Statistic::kMinimum, Statistic::kAverage, Statistic::kSum}) {
    if (text == statisticName(s))
      return s;
  }
  return std::nullopt;
}

Statistic AlarmDefinition::effectiveStatistic() const {
  if (statistic)
    return *statistic;
  return isCounterMetric(metric) ? Statistic::kSum : Statistic::kMaximum;
}

core::Status validate(const AlarmDefinition& d) {
  if (d.name.empty())
    return invalid(d, "name must not be empty");
  if (d.period < std::chrono::seconds(1))
    return invalid(d, "period must be at least 1 s");
  if (d.evaluation_periods < 1)
    return invalid(d, "evaluation_periods must be at least 1");
  if (d.datapointsToAlarm() < 1 || d.datapointsToAlarm() > d.evaluation_periods) {
    return invalid(d, "datapoints_to_alarm must be between 1 and evaluation_periods");
  }
  // CloudWatch's own bound; it also keeps the per-alarm datapoint store small.
  if (d.period * d.evaluation_periods > std::chrono::hours(24)) {
    return invalid(d, "period x evaluation_periods must not exceed one day");
  }
  if (!std::isfinite(d.threshold))
    return invalid(d, "threshold must be a finite number");
  return core::okStatus();
}

std::vector<AlarmDefinition> defaultAlarms() {
  AlarmDefinition depth;
  depth.name = "queue_depth";
  depth.metric = AlarmMetric::kQueueDepth;
  depth.threshold = 100;

  AlarmDefinition age;
  age.name = "oldest_message_age";
  age.metric = AlarmMetric::kOldestMessageAgeSeconds;
  age.threshold = 300;

  AlarmDefinition errors;
  errors.name = "worker_errors";
  errors.metric = AlarmMetric::kWorkerErrors;
  errors.threshold = 1;
  errors.datapoints_to_alarm = 1;
  // The worker errors counter is read every tick, so a missing period means the process was
  // not sampling, not that errors happened.
  errors.treat_missing_data = TreatMissingData::kNotBreaching;
  return {depth, age, errors};
}

AlarmDefinition sourcePausedAlarm() {
  // A source that has refused us for 15 minutes without a break: the data is late and a person
  // should know (a ban, a blocked address), though nothing is lost.
  AlarmDefinition paused;
  paused.name = "source_paused";
  paused.metric = AlarmMetric::kSourcePausedSeconds;
  paused.threshold = 900;
  paused.evaluation_periods = 1;
  paused.treat_missing_data = TreatMissingData::kNotBreaching;
  return paused;
}

}  // namespace rawfeed::alarms
