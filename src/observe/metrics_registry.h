#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "observe/histogram.h"
#include "observe/metric_family.h"

namespace rawfeed::observe {

// The process's metrics: families declared once by name, children by label values, collectors
// for pull-style figures, and the Prometheus text exposition (format 0.0.4).
//
// Declaring is idempotent: the same name, type, label names (and buckets) returns the family
// already declared. A different type, label set or bucket layout under a taken name, or a name
// the format does not allow, is a bug in the composition root and throws std::logic_error at
// startup; nothing at runtime depends on data. Thread-safe; families and children are never
// removed, so references handed out stay valid for the registry's lifetime.
// One child's figure at a moment, for exporters other than the text exposition.
struct MetricSample {
  std::string name;
  MetricType type = MetricType::kCounter;
  std::vector<std::string> label_names;
  std::vector<std::string> label_values;
  double value = 0;             // counters and gauges
  HistogramSnapshot histogram;  // histograms
};

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  CounterFamily& counter(std::string_view name, std::string_view help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(std::string_view name, std::string_view help,
                     std::vector<std::string> label_names = {});
  // `buckets`: ascending, finite upper bounds; +Inf is added by the exposition.
  HistogramFamily& histogram(std::string_view name, std::string_view help,
                             std::vector<std::string> label_names, std::span<const double> buckets);

  // Run at every collect(): pull-style figures such as queue depth from Queue::stats(), which
  // set gauges. A collector must be quick and must not call collect(), render() or
  // addCollector(). Collectors run one collect() at a time, in the order added.
  void addCollector(std::function<void()> collector);
  void collect() const;

  // collect(), then every family with children, sorted by name.
  std::string render() const;

  // Read access for the alarm evaluator and the sampler (no collect(): call it first when the
  // figure comes from a collector). nullopt when the family or the child does not exist.
  std::optional<double> value(std::string_view name,
                              std::initializer_list<std::string_view> label_values) const;
  // Every child of every family, sorted by name then label values; no collect() either (a
  // Lambda's exporter must not turn each flush into queue API calls).
  std::vector<MetricSample> samples() const;
  std::optional<HistogramSnapshot> histogramValue(
      std::string_view name, std::initializer_list<std::string_view> label_values) const;

 private:
  template <class Metric>
  Family<Metric>& declare(std::string_view name, std::string_view help, MetricType type,
                          std::vector<std::string> label_names, std::vector<double> buckets,
                          typename Family<Metric>::Factory make);
  const MetricFamily* findFamily(std::string_view name) const;

  mutable std::mutex families_mutex_;  // guards families_ (the map; families lock themselves)
  std::map<std::string, std::unique_ptr<MetricFamily>, std::less<>> families_;
  mutable std::mutex collect_mutex_;  // guards collectors_ and serialises their runs
  std::vector<std::function<void()>> collectors_;
};

}  // namespace rawfeed::observe
