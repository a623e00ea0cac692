#include "observe/sampler.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "observe/ring_buffer.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::observe {
namespace {

using std::chrono::seconds;

class SamplerTest : public ::testing::Test {
 protected:
  SamplerTest() {
    registry_.addCollector([this] { metrics_.setQueueFigures(figures_); });
  }

  fakes::FakeClock clock_;
  MetricsRegistry registry_;
  DomainMetrics metrics_{registry_, "d"};
  QueueFigures figures_{5, 2, 0, 1, 12.5};
};

TEST_F(SamplerTest, RecordsFiguresDeltasThroughputAndLatency) {
  Sampler sampler(registry_, clock_, seconds(10));
  sampler.addDomain(metrics_);
  clock_.advance(seconds(10));
  metrics_.symbols(SymbolOutcome::kOk).inc(20);
  metrics_.symbols(SymbolOutcome::kEmpty).inc(10);
  metrics_.symbols(SymbolOutcome::kNotFound).inc(5);  // not throughput: no useful work
  metrics_.worker_errors.inc();
  for (int i = 0; i < 4; ++i)
    metrics_.delivery_duration_seconds.observe(0.3);  // (0.25, 0.5]
  for (int i = 0; i < 16; ++i)
    metrics_.delivery_duration_seconds.observe(0.75);  // (0.5, 1]
  sampler.sample();
  clock_.advance(seconds(10));
  figures_ = QueueFigures{0, 0, 0, 0, 0.0};
  sampler.sample();

  auto json = sampler.toJson("d");
  ASSERT_TRUE(json.ok());
  // p50: rank 10 of 20, 6/16 into (0.5, 1]; p95: rank 19, 15/16 into it.
  EXPECT_EQ(*json,
            R"({"domain":"d","interval_seconds":10,"points":[)"
            R"({"t":1700000010,"visible":5,"in_flight":2,"delayed":0,"dlq":1,)"
            R"("oldest_age_seconds":12.5,"symbols_ok":20,"errors":1,"throughput_per_second":3,)"
            R"("latency_p50_seconds":0.6875,"latency_p95_seconds":0.96875},)"
            R"({"t":1700000020,"visible":0,"in_flight":0,"delayed":0,"dlq":0,)"
            R"("oldest_age_seconds":0,"symbols_ok":0,"errors":0,"throughput_per_second":0,)"
            R"("latency_p50_seconds":null,"latency_p95_seconds":null}]})");
}

TEST_F(SamplerTest, KeepsOnlyTheLastPoints) {
  Sampler sampler(registry_, clock_, seconds(10), 3);
  sampler.addDomain(metrics_);
  for (int i = 1; i <= 5; ++i) {
    clock_.advance(seconds(10));
    metrics_.symbols(SymbolOutcome::kOk).inc(i);
    sampler.sample();
  }
  const auto points = sampler.points("d");
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0].t, 1'700'000'030);
  EXPECT_EQ(points[2].t, 1'700'000'050);
  EXPECT_EQ(points[0].symbols_ok, 3);
  EXPECT_EQ(points[2].symbols_ok, 5);
  const auto doc = nlohmann::json::parse(*sampler.toJson("d"));
  EXPECT_EQ(doc["points"].size(), 3u);
}

TEST_F(SamplerTest, UnknownQueueFiguresAreNull) {
  Sampler sampler(registry_, clock_, seconds(10));
  sampler.addDomain(metrics_);
  figures_ = QueueFigures{3, 0, 0, 0, std::nullopt};
  sampler.sample();
  const auto doc = nlohmann::json::parse(*sampler.toJson("d"));
  EXPECT_TRUE(doc["points"][0]["oldest_age_seconds"].is_null());
  EXPECT_EQ(doc["points"][0]["visible"], 3);
}

TEST_F(SamplerTest, AnUnknownDomainIsNotFound) {
  Sampler sampler(registry_, clock_, seconds(10));
  const auto json = sampler.toJson("nope");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(sampler.points("nope").empty());
}

TEST(RingBuffer, DropsTheOldestWhenFull) {
  RingBuffer<int> ring(3);
  for (int i = 1; i <= 2; ++i)
    ring.push(i);
  EXPECT_EQ(ring.items(), (std::vector<int>{1, 2}));
  for (int i = 3; i <= 7; ++i)
    ring.push(i);
  EXPECT_EQ(ring.items(), (std::vector<int>{5, 6, 7}));
  EXPECT_EQ(ring.size(), 3u);
}

}  // namespace
}  // namespace rawfeed::observe
