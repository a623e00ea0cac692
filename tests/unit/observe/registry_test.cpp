#include "observe/metrics_registry.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rawfeed::observe {
namespace {

TEST(MetricsRegistry, DeclaringAgainReturnsTheSameFamily) {
  MetricsRegistry registry;
  auto& first = registry.counter("rawfeed_x_total", "X", {"domain"});
  auto& again = registry.counter("rawfeed_x_total", "X", {"domain"});
  EXPECT_EQ(&first, &again);
  EXPECT_EQ(&first.labels({"d"}), &again.labels({"d"}));
}

TEST(MetricsRegistry, ConflictingDeclarationsAreBugs) {
  MetricsRegistry registry;
  registry.counter("rawfeed_x_total", "X", {"domain"});
  EXPECT_THROW(registry.gauge("rawfeed_x_total", "X", {"domain"}), std::logic_error);
  EXPECT_THROW(registry.counter("rawfeed_x_total", "X", {"domain", "kind"}), std::logic_error);
  const double a[] = {1, 2};
  const double b[] = {1, 3};
  registry.histogram("rawfeed_h_seconds", "H", {}, a);
  EXPECT_THROW(registry.histogram("rawfeed_h_seconds", "H", {}, b), std::logic_error);
}

TEST(MetricsRegistry, RejectsNamesTheFormatDoesNotAllow) {
  MetricsRegistry registry;
  EXPECT_THROW(registry.counter("9lives_total", "bad"), std::logic_error);
  EXPECT_THROW(registry.counter("rawfeed-x", "bad"), std::logic_error);
  EXPECT_THROW(registry.counter("rawfeed_y_total", "bad", {"__reserved"}), std::logic_error);
  EXPECT_THROW(registry.counter("rawfeed_z_total", "bad", {"a:b"}), std::logic_error);
  const double buckets[] = {1};
  EXPECT_THROW(registry.histogram("rawfeed_h", "bad", {"le"}, buckets), std::logic_error);
  const double descending[] = {2, 1};
  EXPECT_THROW(registry.histogram("rawfeed_h2", "bad", {}, descending), std::logic_error);
}

TEST(MetricsRegistry, WrongNumberOfLabelValuesIsABug) {
  MetricsRegistry registry;
  auto& family = registry.counter("rawfeed_x_total", "X", {"domain", "outcome"});
  EXPECT_THROW(family.labels({"only-one"}), std::logic_error);
}

TEST(MetricsRegistry, CollectorsRunAtEveryRender) {
  MetricsRegistry registry;
  auto& depth = registry.gauge("rawfeed_depth", "Depth", {"domain"}).labels({"d"});
  int runs = 0;
  registry.addCollector([&] { depth.set(++runs * 10); });
  EXPECT_NE(registry.render().find("rawfeed_depth{domain=\"d\"} 10\n"), std::string::npos);
  EXPECT_NE(registry.render().find("rawfeed_depth{domain=\"d\"} 20\n"), std::string::npos);
  registry.collect();
  EXPECT_EQ(runs, 3);
}

TEST(MetricsRegistry, ReadsValuesByNameAndLabels) {
  MetricsRegistry registry;
  registry.counter("rawfeed_x_total", "X", {"domain"}).labels({"d"}).inc(7);
  registry.gauge("rawfeed_g", "G", {"domain"}).labels({"d"}).set(2.5);
  const double buckets[] = {1};
  registry.histogram("rawfeed_h_seconds", "H", {"domain"}, buckets).labels({"d"}).observe(0.5);

  EXPECT_EQ(registry.value("rawfeed_x_total", {"d"}), 7.0);
  EXPECT_EQ(registry.value("rawfeed_g", {"d"}), 2.5);
  EXPECT_EQ(registry.value("rawfeed_g", {"other"}), std::nullopt);
  EXPECT_EQ(registry.value("rawfeed_nope", {"d"}), std::nullopt);
  EXPECT_EQ(registry.value("rawfeed_h_seconds", {"d"}), std::nullopt);
  const auto h = registry.histogramValue("rawfeed_h_seconds", {"d"});
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->count, 1u);
  EXPECT_EQ(registry.histogramValue("rawfeed_x_total", {"d"}), std::nullopt);
}

TEST(Counter, IgnoresNegativeSteps) {
  Counter counter;
  counter.inc(3);
  counter.inc(-2);
  EXPECT_EQ(counter.value(), 3);
}

}  // namespace
}  // namespace rawfeed::observe
