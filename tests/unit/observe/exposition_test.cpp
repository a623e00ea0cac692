#include "observe/exposition.h"

#include <gtest/gtest.h>

#include <limits>

#include "observe/metrics_registry.h"

namespace rawfeed::observe {
namespace {

TEST(Exposition, RendersASmallRegistryExactly) {
  MetricsRegistry registry;
  auto& sent =
      registry.counter("rawfeed_messages_sent_total", "Messages sent to the queue", {"domain"});
  sent.labels({"b-domain"}).inc(2);
  sent.labels({"a\\b\"c\nd"}).inc();
  registry.gauge("rawfeed_up", "Help with \\ and\nnewline").labels({}).set(1);
  const double buckets[] = {0.25, 0.5, 1};
  auto& seconds = registry.histogram("rawfeed_request_seconds", "Request time", {"domain"}, buckets)
                      .labels({"x"});
  for (double v : {0.125, 0.25, 0.75, 3.0})
    seconds.observe(v);
  registry.counter("rawfeed_unused_total", "Never incremented, never labelled", {"domain"});

  EXPECT_EQ(registry.render(),
            "# HELP rawfeed_messages_sent_total Messages sent to the queue\n"
            "# TYPE rawfeed_messages_sent_total counter\n"
            "rawfeed_messages_sent_total{domain=\"a\\\\b\\\"c\\nd\"} 1\n"
            "rawfeed_messages_sent_total{domain=\"b-domain\"} 2\n"
            "# HELP rawfeed_request_seconds Request time\n"
            "# TYPE rawfeed_request_seconds histogram\n"
            "rawfeed_request_seconds_bucket{domain=\"x\",le=\"0.25\"} 2\n"
            "rawfeed_request_seconds_bucket{domain=\"x\",le=\"0.5\"} 2\n"
            "rawfeed_request_seconds_bucket{domain=\"x\",le=\"1\"} 3\n"
            "rawfeed_request_seconds_bucket{domain=\"x\",le=\"+Inf\"} 4\n"
            "rawfeed_request_seconds_sum{domain=\"x\"} 4.125\n"
            "rawfeed_request_seconds_count{domain=\"x\"} 4\n"
            "# HELP rawfeed_up Help with \\\\ and\\nnewline\n"
            "# TYPE rawfeed_up gauge\n"
            "rawfeed_up 1\n");
}

TEST(Exposition, UnlabelledMetricsRenderZeroFromTheStart) {
  MetricsRegistry registry;
  registry.counter("rawfeed_starts_total", "Starts");
  EXPECT_EQ(registry.render(),
            "# HELP rawfeed_starts_total Starts\n"
            "# TYPE rawfeed_starts_total counter\n"
            "rawfeed_starts_total 0\n");
}

TEST(Exposition, FormatsValuesAsTheFormatSpellsThem) {
  EXPECT_EQ(exposition::formatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(exposition::formatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(exposition::formatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(exposition::formatValue(0.1), "0.1");
  EXPECT_EQ(exposition::formatValue(2.0), "2");
  EXPECT_EQ(exposition::formatValue(-1.5), "-1.5");
  EXPECT_EQ(exposition::formatValue(std::int64_t{9007199254740993}), "9007199254740993");
}

TEST(Exposition, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(exposition::escapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(exposition::escapeHelp("say \"hi\"\\\n"), "say \"hi\"\\\\\\n");
}

TEST(Exposition, LabelSetJoinsNamesAndValues) {
  const std::string names[] = {"domain", "outcome"};
  const std::string values[] = {"d", "ok"};
  EXPECT_EQ(exposition::labelSet(names, values), "{domain=\"d\",outcome=\"ok\"}");
  EXPECT_EQ(exposition::labelSet({}, {}), "");
  EXPECT_EQ(exposition::labelSet({}, {}, "le", "+Inf"), "{le=\"+Inf\"}");
}

TEST(Exposition, GaugesRenderNaNWhenUnknown) {
  MetricsRegistry registry;
  registry.gauge("rawfeed_age_seconds", "Age")
      .labels({})
      .set(std::numeric_limits<double>::quiet_NaN());
  EXPECT_NE(registry.render().find("rawfeed_age_seconds NaN\n"), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::observe
