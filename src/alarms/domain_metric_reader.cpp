#include "alarms/domain_metric_reader.h"

namespace rawfeed::alarms {

MetricReader domainMetricReader(const observe::DomainMetrics& metrics) {
  return [metrics](AlarmMetric metric) -> std::optional<double> {
    switch (metric) {
      case AlarmMetric::kQueueDepth:
        return metrics.queue_visible.value();
      case AlarmMetric::kInFlight:
        return metrics.queue_in_flight.value();
      case AlarmMetric::kOldestMessageAgeSeconds:
        return metrics.oldest_message_age_seconds.value();
      case AlarmMetric::kDlqDepth:
        return metrics.dlq_depth.value();
      case AlarmMetric::kWorkerErrors:
        return static_cast<double>(metrics.worker_errors.value());
      case AlarmMetric::kThrottles:
        return static_cast<double>(
            metrics.throttles(observe::ThrottleKind::kConcurrencyLimit).value() +
            metrics.throttles(observe::ThrottleKind::kSource429).value());
      case AlarmMetric::kMessagesDeadLettered:
        return static_cast<double>(metrics.messages_dead_lettered.value());
      case AlarmMetric::kScheduleMisfires:
        return static_cast<double>(metrics.schedule_misfires.value());
      case AlarmMetric::kSourcePausedSeconds:
        return metrics.source_paused_for_seconds.value();
    }
    return std::nullopt;
  };
}

}  // namespace rawfeed::alarms
