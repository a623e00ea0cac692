#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "observe/histogram.h"
#include "observe/metrics_registry.h"

namespace rawfeed::lambda {

// The registry's figures as CloudWatch Embedded Metric Format documents, one JSON line per domain
// (and per 100 metrics, CloudWatch's limit per directive): Namespace "rawfeed", dimension set
// [["domain"]], metric names exactly those of /metrics. What one document says:
// - counters: the increase since the previous flush (a Lambda environment lives across many
//   invocations, and CloudWatch adds datapoints up; a running total would count twice);
// - gauges: left out. rawfeed's are pull-style (queue and DLQ depth, batches by state), filled
//   by collectors that would cost SQS and S3 calls on every invocation; in AWS the queue's own
//   CloudWatch metrics say the same, and a never-refreshed 0 would only mislead;
// - histograms: the observations since the previous flush as Values/Counts (each bucket's upper
//   bound with its count; the +Inf bucket at the highest finite bound), none when nothing new;
// - labels other than domain are summed (outcome, kind, ...): CloudWatch bills per dimension
//   combination, and the per-label detail stays in the JSON log lines.
// Families without a domain label are left out. `properties` are added to every document as
// plain members (searchable in Logs Insights, not dimensions). Not thread-safe: the loop calls it.
class EmfExporter {
 public:
  explicit EmfExporter(const observe::MetricsRegistry& registry) : registry_(registry) {}

  std::vector<std::string> flush(core::SystemTime now,
                                 const std::map<std::string, std::string>& properties = {});

 private:
  const observe::MetricsRegistry& registry_;
  // The previous flush's figures, by name and label values joined.
  std::map<std::string, double> counters_;
  std::map<std::string, observe::HistogramSnapshot> histograms_;
};

}  // namespace rawfeed::lambda
