#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "observe/counter.h"
#include "observe/histogram.h"

namespace rawfeed::observe {

enum class MetricType { kCounter, kGauge, kHistogram };
const char* metricTypeName(MetricType type);  // "counter" | "gauge" | "histogram"

// One metric name with its help, type and label names; children per label values. Families live
// as long as their registry and are never removed, so references to them and to their children
// stay valid: take a child once (labels()) and keep the reference on hot paths.
class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, MetricType type,
               std::vector<std::string> label_names, std::vector<double> buckets);
  virtual ~MetricFamily() = default;
  MetricFamily(const MetricFamily&) = delete;
  MetricFamily& operator=(const MetricFamily&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& labelNames() const { return label_names_; }
  const std::vector<double>& buckets() const { return buckets_; }

  // Appends HELP, TYPE and every child's samples, children sorted by label values; nothing for
  // a family without children (a labelled family nobody has used yet).
  virtual void render(std::string& out) const = 0;

 protected:
  // A wrong number of label values is a bug in the caller, found the first time the line
  // runs: std::logic_error, never a silently merged series.
  void checkArity(std::size_t values) const;

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
  std::vector<double> buckets_;  // histograms only
};

// The samples of one child, by metric type (exposition.cpp does the text).
void renderChild(std::string& out, const MetricFamily& family,
                 const std::vector<std::string>& values, const Counter& counter);
void renderChild(std::string& out, const MetricFamily& family,
                 const std::vector<std::string>& values, const Gauge& gauge);
void renderChild(std::string& out, const MetricFamily& family,
                 const std::vector<std::string>& values, const Histogram& histogram);

template <class Metric>
class Family final : public MetricFamily {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;

  Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names,
         std::vector<double> buckets, Factory make)
      : MetricFamily(std::move(name), std::move(help), type, std::move(label_names),
                     std::move(buckets)),
        make_(std::move(make)) {}

  // The child for these label values, made on first use. A map lookup under a lock: fine at
  // setup and at scrape time, not per request — keep the returned reference instead.
  Metric& labels(std::initializer_list<std::string_view> values) {
    return child(std::vector<std::string>(values.begin(), values.end()));
  }
  Metric& labels(std::span<const std::string> values) {
    return child(std::vector<std::string>(values.begin(), values.end()));
  }

  // nullptr when no child has these values.
  const Metric* find(const std::vector<std::string>& values) const {
    std::lock_guard lock(mutex_);
    const auto it = children_.find(values);
    return it == children_.end() ? nullptr : it->second.get();
  }

  // Each child with its label values, in label order, under the family's lock (keep it quick).
  template <class Visit>
  void forEachChild(Visit&& visit) const {
    std::lock_guard lock(mutex_);
    for (const auto& [values, child] : children_)
      visit(values, *child);
  }

  void render(std::string& out) const override {
    std::lock_guard lock(mutex_);
    if (children_.empty())
      return;
    appendFamilyHeader(out);
    for (const auto& [values, child] : children_)
      renderChild(out, *this, values, *child);
  }

 private:
  Metric& child(std::vector<std::string> values) {
    checkArity(values.size());
    std::lock_guard lock(mutex_);
    auto& slot = children_[std::move(values)];
    if (!slot)
      slot = make_();
    return *slot;
  }
  void appendFamilyHeader(std::string& out) const;

  Factory make_;
  mutable std::mutex mutex_;  // guards children_ (the map, not the atomics inside each child)
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

}  // namespace rawfeed::observe
