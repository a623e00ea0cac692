#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "observe/metrics_registry.h"

namespace rawfeed::observe {
namespace {

constexpr int kThreads = 8;
constexpr int kPerThread = 20000;

TEST(MetricsConcurrency, ThreadsIncrementingLoseNothing) {
  MetricsRegistry registry;
  auto& counter = registry.counter("rawfeed_x_total", "X", {"domain"}).labels({"d"});
  auto& gauge = registry.gauge("rawfeed_g", "G", {"domain"}).labels({"d"});
  const double buckets[] = {0.5, 1};
  auto& histogram = registry.histogram("rawfeed_h_seconds", "H", {"domain"}, buckets).labels({"d"});

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        counter.inc();
        gauge.add(1);
        histogram.observe(i % 2 == 0 ? 0.25 : 0.75);
      }
    });
  }
  // A scrape while they run must not tear anything or deadlock.
  for (int i = 0; i < 20; ++i)
    EXPECT_FALSE(registry.render().empty());
  for (auto& thread : threads)
    thread.join();

  constexpr std::int64_t kTotal = std::int64_t{kThreads} * kPerThread;
  EXPECT_EQ(counter.value(), kTotal);
  EXPECT_DOUBLE_EQ(gauge.value(), static_cast<double>(kTotal));
  const auto snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.count, static_cast<std::uint64_t>(kTotal));
  EXPECT_EQ(snapshot.counts[0], static_cast<std::uint64_t>(kTotal / 2));
  EXPECT_DOUBLE_EQ(snapshot.sum, 0.5 * static_cast<double>(kTotal));
}

TEST(MetricsConcurrency, ConcurrentLabelsCallsShareOneChild) {
  MetricsRegistry registry;
  auto& family = registry.counter("rawfeed_x_total", "X", {"domain"});
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i)
        family.labels({"shared"}).inc();
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(family.labels({"shared"}).value(), kThreads * 1000);
}

}  // namespace
}  // namespace rawfeed::observe
