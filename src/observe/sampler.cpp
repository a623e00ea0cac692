#include "observe/sampler.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace rawfeed::observe {
namespace {

std::optional<double> known(double value) {
  if (std::isnan(value))
    return std::nullopt;
  return value;
}

std::int64_t unixSeconds(core::SystemTime time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// Counts print as integers ("visible":3, not 3.0) so that charts and people read them as such.
nlohmann::ordered_json number(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

nlohmann::ordered_json orNull(const std::optional<double>& value) {
  return value ? number(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace

Sampler::Sampler(const MetricsRegistry& registry, const core::Clock& clock,
                 std::chrono::seconds interval, std::size_t capacity)
    : registry_(registry), clock_(clock), interval_(interval), capacity_(capacity) {}

Sampler::Baseline Sampler::readBaseline(const DomainMetrics& metrics, core::SystemTime now) {
  Baseline baseline;
  baseline.time = now;
  baseline.symbols_ok = metrics.symbols(SymbolOutcome::kOk).value();
  baseline.symbols_useful = baseline.symbols_ok + metrics.symbols(SymbolOutcome::kEmpty).value();
  baseline.errors = metrics.worker_errors.value();
  baseline.deliveries = metrics.delivery_duration_seconds.snapshot();
  return baseline;
}

void Sampler::addDomain(const DomainMetrics& metrics) {
  const Baseline baseline = readBaseline(metrics, clock_.now());
  std::lock_guard lock(mutex_);
  series_.erase(metrics.domain());
  series_.emplace(metrics.domain(), Series{metrics, baseline, RingBuffer<SamplePoint>(capacity_)});
}

SamplePoint Sampler::pointFor(const Series& series, const Baseline& now) {
  const DomainMetrics& m = series.metrics;
  const Baseline& before = series.baseline;
  SamplePoint point;
  point.t = unixSeconds(now.time);
  point.visible = known(m.queue_visible.value());
  point.in_flight = known(m.queue_in_flight.value());
  point.delayed = known(m.queue_delayed.value());
  point.dlq = known(m.dlq_depth.value());
  point.oldest_age_seconds = known(m.oldest_message_age_seconds.value());
  point.symbols_ok = now.symbols_ok - before.symbols_ok;
  point.errors = now.errors - before.errors;
  const double elapsed = std::chrono::duration<double>(now.time - before.time).count();
  if (elapsed > 0) {
    point.throughput_per_second =
        static_cast<double>(now.symbols_useful - before.symbols_useful) / elapsed;
  }
  const HistogramSnapshot recent = now.deliveries.since(before.deliveries);
  point.latency_p50_seconds = recent.quantile(0.5);
  point.latency_p95_seconds = recent.quantile(0.95);
  return point;
}

void Sampler::sample() {
  registry_.collect();
  const core::SystemTime now = clock_.now();
  std::lock_guard lock(mutex_);
  for (auto& [domain, series] : series_) {
    const Baseline current = readBaseline(series.metrics, now);
    series.points.push(pointFor(series, current));
    series.baseline = current;
  }
}

std::vector<SamplePoint> Sampler::points(std::string_view domain) const {
  std::lock_guard lock(mutex_);
  const auto it = series_.find(domain);
  if (it == series_.end())
    return {};
  return it->second.points.items();
}

core::Result<std::string> Sampler::toJson(std::string_view domain) const {
  std::vector<SamplePoint> points;
  {
    std::lock_guard lock(mutex_);
    const auto it = series_.find(domain);
    if (it == series_.end()) {
      std::string message = "no time series for domain ";
      message += domain;
      return core::makeError(core::ErrorCode::kNotFound, message);
    }
    points = it->second.points.items();
  }
  nlohmann::ordered_json doc;
  doc["domain"] = std::string(domain);
  doc["interval_seconds"] = interval_.count();
  auto& out = doc["points"] = nlohmann::ordered_json::array();
  for (const SamplePoint& p : points) {
    nlohmann::ordered_json item;
    item["t"] = p.t;
    item["visible"] = orNull(p.visible);
    item["in_flight"] = orNull(p.in_flight);
    item["delayed"] = orNull(p.delayed);
    item["dlq"] = orNull(p.dlq);
    item["oldest_age_seconds"] = orNull(p.oldest_age_seconds);
    item["symbols_ok"] = p.symbols_ok;
    item["errors"] = p.errors;
    item["throughput_per_second"] = number(p.throughput_per_second);
    item["latency_p50_seconds"] = orNull(p.latency_p50_seconds);
    item["latency_p95_seconds"] = orNull(p.latency_p95_seconds);
    out.push_back(std::move(item));
  }
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace rawfeed::observe
