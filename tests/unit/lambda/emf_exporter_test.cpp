#include "lambda/emf_exporter.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace rawfeed::lambda {
namespace {

using nlohmann::json;

const json& metricNamed(const json& directive, const std::string& name) {
  for (const auto& metric : directive["Metrics"]) {
    if (metric["Name"] == name)
      return metric;
  }
  static const json none;
  ADD_FAILURE() << name << " is not declared in " << directive.dump();
  return none;
}

TEST(EmfExporterTest, OneDocumentPerDomainWithCounterIncreasesAndHistograms) {
  observe::MetricsRegistry registry;
  auto& symbols = registry.counter("rawfeed_symbols_total", "symbols", {"domain", "outcome"});
  auto& depth = registry.gauge("rawfeed_queue_depth", "depth", {"domain"});
  const std::vector<double> buckets{0.1, 1, 10};
  auto& duration =
      registry.histogram("rawfeed_delivery_duration_seconds", "d", {"domain"}, buckets);
  registry.counter("rawfeed_build_info_total", "no domain label").labels({}).inc();
  symbols.labels({"customer-data", "ok"}).inc(5);
  symbols.labels({"customer-data", "throttled"}).inc(2);
  symbols.labels({"other", "ok"}).inc(1);
  depth.labels({"customer-data"}).set(7);
  duration.labels({"customer-data"}).observe(0.05);
  duration.labels({"customer-data"}).observe(3);
  duration.labels({"customer-data"}).observe(50);

  EmfExporter exporter(registry);
  const core::SystemTime now{std::chrono::milliseconds(1700000000000)};
  auto lines = exporter.flush(now, {{"request_id", "req-1"}});
  ASSERT_EQ(lines.size(), 2u);  // customer-data and other; the unlabelled family is left out
  const auto doc = json::parse(lines[0]);
  EXPECT_EQ(doc["_aws"]["Timestamp"], 1700000000000);
  const auto& directive = doc["_aws"]["CloudWatchMetrics"][0];
  EXPECT_EQ(directive["Namespace"], "rawfeed");
  EXPECT_EQ(directive["Dimensions"], json::parse(R"([["domain"]])"));
  EXPECT_EQ(doc["domain"], "customer-data");
  EXPECT_EQ(doc["request_id"], "req-1");
  EXPECT_EQ(doc["rawfeed_symbols_total"], 7) << "outcomes summed";
  EXPECT_EQ(metricNamed(directive, "rawfeed_symbols_total")["Unit"], "Count");
  EXPECT_FALSE(doc.contains("rawfeed_queue_depth")) << "gauges are not refreshed in Lambda";
  EXPECT_EQ(metricNamed(directive, "rawfeed_delivery_duration_seconds")["Unit"], "Seconds");
  EXPECT_EQ(doc["rawfeed_delivery_duration_seconds"],
            json::parse(R"({"Values":[0.1,10.0],"Counts":[1,2]})"))
      << "the +Inf bucket counts at the highest bound";
  EXPECT_FALSE(doc.contains("rawfeed_build_info_total"));
  EXPECT_EQ(json::parse(lines[1])["domain"], "other");

  // The next flush: counters as increases since the last one, no histogram without news.
  symbols.labels({"customer-data", "ok"}).inc(1);
  depth.labels({"customer-data"}).set(0);
  lines = exporter.flush(now + std::chrono::seconds(1));
  const auto next = json::parse(lines[0]);
  EXPECT_EQ(next["rawfeed_symbols_total"], 1);
  EXPECT_FALSE(next.contains("rawfeed_delivery_duration_seconds"));
  EXPECT_EQ(json::parse(lines[1])["rawfeed_symbols_total"], 0) << "an idle domain says 0";
}

}  // namespace
}  // namespace rawfeed::lambda
