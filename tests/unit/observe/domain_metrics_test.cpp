#include "observe/domain_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace rawfeed::observe {
namespace {

TEST(DomainMetrics, DeclaresEveryMetricTheDesignNames) {
  MetricsRegistry registry;
  DomainMetrics metrics(registry, "customer-data");
  metrics.batches("open").set(2);
  const std::string text = registry.render();
  for (const char* name :
       {"rawfeed_queue_messages_visible{domain=\"customer-data\"} 0",
        "rawfeed_queue_messages_in_flight{",
        "rawfeed_queue_messages_delayed{",
        "rawfeed_dlq_messages{",
        "rawfeed_queue_oldest_message_age_seconds{",
        "rawfeed_messages_sent_total{",
        "rawfeed_messages_received_total{",
        "rawfeed_messages_deleted_total{",
        "rawfeed_messages_dead_lettered_total{",
        "rawfeed_worker_deliveries_total{",
        "rawfeed_worker_errors_total{",
        "rawfeed_throttles_total{domain=\"customer-data\",kind=\"concurrency_limit\"} 0",
        "rawfeed_throttles_total{domain=\"customer-data\",kind=\"source_429\"} 0",
        "rawfeed_delivery_duration_seconds_bucket{domain=\"customer-data\",le=\"+Inf\"} 0",
        "rawfeed_source_request_duration_seconds_count{domain=\"customer-data\"} 0",
        "rawfeed_symbols_total{domain=\"customer-data\",outcome=\"write_failed\"} 0",
        "rawfeed_records_total{",
        "rawfeed_objects_written_total{",
        "rawfeed_objects_skipped_total{",
        "rawfeed_bytes_written_total{",
        "rawfeed_batches{domain=\"customer-data\",state=\"open\"} 2",
        "rawfeed_schedule_fires_total{",
        "rawfeed_schedule_misfires_total{"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

TEST(DomainMetrics, TwoDomainsShareFamiliesNotSeries) {
  MetricsRegistry registry;
  DomainMetrics a(registry, "a");
  DomainMetrics b(registry, "b");
  a.symbols(SymbolOutcome::kOk).inc(3);
  b.symbols(SymbolOutcome::kNotFound).inc();
  EXPECT_EQ(registry.value("rawfeed_symbols_total", {"a", "ok"}), 3.0);
  EXPECT_EQ(registry.value("rawfeed_symbols_total", {"b", "not_found"}), 1.0);
  EXPECT_EQ(registry.value("rawfeed_symbols_total", {"b", "ok"}), 0.0);
  const std::string text = registry.render();
  EXPECT_EQ(text.find("# TYPE rawfeed_symbols_total counter"),
            text.rfind("# TYPE rawfeed_symbols_total counter"));
}

TEST(DomainMetrics, CopiesShareTheSameSeries) {
  MetricsRegistry registry;
  DomainMetrics metrics(registry, "d");
  DomainMetrics copy = metrics;
  copy.worker_errors.inc();
  EXPECT_EQ(metrics.worker_errors.value(), 1);
}

TEST(DomainMetrics, QueueFiguresFromACollector) {
  MetricsRegistry registry;
  DomainMetrics metrics(registry, "d");
  QueueFigures figures{5, 2, 1, 3, 42.5};
  registry.addCollector([&] { metrics.setQueueFigures(figures); });
  registry.collect();
  EXPECT_EQ(metrics.queue_visible.value(), 5);
  EXPECT_EQ(metrics.queue_in_flight.value(), 2);
  EXPECT_EQ(metrics.queue_delayed.value(), 1);
  EXPECT_EQ(metrics.dlq_depth.value(), 3);
  EXPECT_EQ(metrics.oldest_message_age_seconds.value(), 42.5);

  figures = QueueFigures{0, 0, 0, 0, std::nullopt};  // empty: no backlog, age 0
  registry.collect();
  EXPECT_EQ(metrics.oldest_message_age_seconds.value(), 0);

  figures = QueueFigures{4, 0, 0, 0, std::nullopt};  // messages of unknown age
  registry.collect();
  EXPECT_TRUE(std::isnan(metrics.oldest_message_age_seconds.value()));
}

TEST(DomainMetrics, AnUnreadableQueueIsUnknownNotStale) {
  MetricsRegistry registry;
  DomainMetrics metrics(registry, "d");
  metrics.setQueueFigures({5, 2, 1, 3, 1.0});
  metrics.markQueueUnknown();
  EXPECT_TRUE(std::isnan(metrics.queue_visible.value()));
  EXPECT_TRUE(std::isnan(metrics.dlq_depth.value()));
  EXPECT_NE(registry.render().find("rawfeed_queue_messages_visible{domain=\"d\"} NaN"),
            std::string::npos);
}

TEST(DomainMetrics, OutcomeAndKindNames) {
  EXPECT_STREQ(symbolOutcomeName(SymbolOutcome::kBadRequest), "bad_request");
  EXPECT_STREQ(symbolOutcomeName(SymbolOutcome::kRejected), "rejected");
  EXPECT_STREQ(throttleKindName(ThrottleKind::kSource429), "source_429");
}

}  // namespace
}  // namespace rawfeed::observe
