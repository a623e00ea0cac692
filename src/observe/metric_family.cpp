#include "observe/metric_family.h"

#include <stdexcept>

#include "observe/exposition.h"

namespace rawfeed::observe {

const char* metricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

MetricFamily::MetricFamily(std::string name, std::string help, MetricType type,
                           std::vector<std::string> label_names, std::vector<double> buckets)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      buckets_(std::move(buckets)) {}

void MetricFamily::checkArity(std::size_t values) const {
  if (values == label_names_.size())
    return;
  std::string message = name_;
  message += ": ";
  message += std::to_string(values);
  message += " label values for ";
  message += std::to_string(label_names_.size());
  message += " label names";
  throw std::logic_error(message);
}

void renderChild(std::string& out, const MetricFamily& family,
                 const std::vector<std::string>& values, const Counter& counter) {
  exposition::appendSample(out, family.name(), exposition::labelSet(family.labelNames(), values),
                           exposition::formatValue(counter.value()));
}

void renderChild(std::string& out, const MetricFamily& family,
                 const std::vector<std::string>& values, const Gauge& gauge) {
  exposition::appendSample(out, family.name(), exposition::labelSet(family.labelNames(), values),
                           exposition::formatValue(gauge.value()));
}

void renderChild(std::string& out, const MetricFamily& family,
                 const std::vector<std::string>& values, const Histogram& histogram) {
  exposition::appendHistogram(out, family.name(), family.labelNames(), values,
                              histogram.snapshot());
}

template <class Metric>
void Family<Metric>::appendFamilyHeader(std::string& out) const {
  exposition::appendHeader(out, name(), help(), metricTypeName(type()));
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

}  // namespace rawfeed::observe
