#pragma once

#include "alarms/alarm_evaluator.h"
#include "observe/domain_metrics.h"

namespace rawfeed::alarms {

// Reads an alarm metric from a domain's metrics: queue gauges (NaN when the queue's stats could
// not be read, i.e. missing) and counter totals. Keeps a copy of the handles: the registry
// must outlive the reader.
MetricReader domainMetricReader(const observe::DomainMetrics& metrics);

}  // namespace rawfeed::alarms
