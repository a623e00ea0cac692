#include "observe/metrics_registry.h"

#include <cmath>
#include <stdexcept>

namespace rawfeed::observe {
namespace {

bool isNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isNameChar(char c) {
  return isNameStart(c) || (c >= '0' && c <= '9');
}

// [a-zA-Z_:][a-zA-Z0-9_:]* for metric names; labels the same without ':'.
bool validName(std::string_view name, bool allow_colon) {
  if (name.empty())
    return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (i == 0 ? isNameStart(c) : isNameChar(c)) || (allow_colon && c == ':');
    if (!ok)
      return false;
  }
  return true;
}

[[noreturn]] void misuse(std::string_view name, std::string_view what) {
  std::string message(name);
  message += ": ";
  message += what;
  throw std::logic_error(message);
}

void checkDeclaration(std::string_view name, const std::vector<std::string>& label_names,
                      MetricType type, const std::vector<double>& buckets) {
  if (!validName(name, true))
    misuse(name, "not a valid metric name");
  for (const auto& label : label_names) {
    // "__" is reserved for Prometheus itself; "le" is the histogram's bucket label.
    if (!validName(label, false) || label.rfind("__", 0) == 0) {
      std::string what = "label name '";
      what += label;
      what += "' is not valid";
      misuse(name, what);
    }
    if (type == MetricType::kHistogram && label == "le")
      misuse(name, "'le' is reserved");
  }
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (!std::isfinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
      misuse(name, "buckets must be finite and strictly ascending");
    }
  }
}

}  // namespace

template <class Metric>
Family<Metric>& MetricsRegistry::declare(std::string_view name, std::string_view help,
                                         MetricType type, std::vector<std::string> label_names,
                                         std::vector<double> buckets,
                                         typename Family<Metric>::Factory make) {
  checkDeclaration(name, label_names, type, buckets);
  std::lock_guard lock(families_mutex_);
  if (const auto it = families_.find(name); it != families_.end()) {
    MetricFamily& existing = *it->second;
    if (existing.type() != type || existing.labelNames() != label_names ||
        existing.buckets() != buckets) {
      misuse(name, "declared again with another type, label set or buckets");
    }
    return static_cast<Family<Metric>&>(existing);
  }
  const bool unlabelled = label_names.empty();
  auto family =
      std::make_unique<Family<Metric>>(std::string(name), std::string(help), type,
                                       std::move(label_names), std::move(buckets), std::move(make));
  // A metric without labels exists from the start, so it renders 0 rather than nothing.
  if (unlabelled)
    family->labels({});
  auto& ref = *family;
  families_.emplace(std::string(name), std::move(family));
  return ref;
}

CounterFamily& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names) {
  return declare<Counter>(name, help, MetricType::kCounter, std::move(label_names), {},
                          [] { return std::make_unique<Counter>(); });
}

GaugeFamily& MetricsRegistry::gauge(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names) {
  return declare<Gauge>(name, help, MetricType::kGauge, std::move(label_names), {},
                        [] { return std::make_unique<Gauge>(); });
}

HistogramFamily& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names,
                                            std::span<const double> buckets) {
  std::vector<double> bounds(buckets.begin(), buckets.end());
  return declare<Histogram>(name, help, MetricType::kHistogram, std::move(label_names), bounds,
                            [bounds] { return std::make_unique<Histogram>(bounds); });
}

void MetricsRegistry::addCollector(std::function<void()> collector) {
  std::lock_guard lock(collect_mutex_);
  collectors_.push_back(std::move(collector));
}

void MetricsRegistry::collect() const {
  std::lock_guard lock(collect_mutex_);
  for (const auto& collector : collectors_)
    collector();
}

std::string MetricsRegistry::render() const {
  collect();
  std::string out;
  std::lock_guard lock(families_mutex_);
  for (const auto& [name, family] : families_)
    family->render(out);
  return out;
}

const MetricFamily* MetricsRegistry::findFamily(std::string_view name) const {
  std::lock_guard lock(families_mutex_);
  const auto it = families_.find(name);
  return it == families_.end() ? nullptr : it->second.get();
}

std::optional<double> MetricsRegistry::value(
    std::string_view name, std::initializer_list<std::string_view> label_values) const {
  const MetricFamily* family = findFamily(name);
  if (family == nullptr)
    return std::nullopt;
  const std::vector<std::string> key(label_values.begin(), label_values.end());
  if (family->type() == MetricType::kCounter) {
    const Counter* child = static_cast<const CounterFamily*>(family)->find(key);
    if (child != nullptr)
      return static_cast<double>(child->value());
  } else if (family->type() == MetricType::kGauge) {
    const Gauge* child = static_cast<const GaugeFamily*>(family)->find(key);
    if (child != nullptr)
      return child->value();
  }
  return std::nullopt;
}

std::optional<HistogramSnapshot> MetricsRegistry::histogramValue(
    std::string_view name, std::initializer_list<std::string_view> label_values) const {
  const MetricFamily* family = findFamily(name);
  if (family == nullptr || family->type() != MetricType::kHistogram)
    return std::nullopt;
  const std::vector<std::string> key(label_values.begin(), label_values.end());
  const Histogram* child = static_cast<const HistogramFamily*>(family)->find(key);
  if (child == nullptr)
    return std::nullopt;
  return child->snapshot();
}

std::vector<MetricSample> MetricsRegistry::samples() const {
  std::vector<MetricSample> out;
  std::lock_guard lock(families_mutex_);
  for (const auto& entry : families_) {
    // Named references rather than a structured binding: clang before 16 cannot capture one.
    const auto& name = entry.first;
    const auto& family = entry.second;
    auto add = [&](const std::vector<std::string>& values) -> MetricSample& {
      MetricSample& sample = out.emplace_back();
      sample.name = name;
      sample.type = family->type();
      sample.label_names = family->labelNames();
      sample.label_values = values;
      return sample;
    };
    switch (family->type()) {
      case MetricType::kCounter:
        static_cast<const CounterFamily&>(*family).forEachChild(
            [&](const std::vector<std::string>& values, const Counter& counter) {
              add(values).value = static_cast<double>(counter.value());
            });
        break;
      case MetricType::kGauge:
        static_cast<const GaugeFamily&>(*family).forEachChild(
            [&](const std::vector<std::string>& values, const Gauge& gauge) {
              add(values).value = gauge.value();
            });
        break;
      case MetricType::kHistogram:
        static_cast<const HistogramFamily&>(*family).forEachChild(
            [&](const std::vector<std::string>& values, const Histogram& histogram) {
              add(values).histogram = histogram.snapshot();
            });
        break;
    }
  }
  return out;
}

}  // namespace rawfeed::observe
