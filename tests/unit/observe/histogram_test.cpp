#include "observe/histogram.h"

#include <gtest/gtest.h>

#include <limits>

namespace rawfeed::observe {
namespace {

const double kBounds[] = {1, 2, 4};

TEST(Histogram, ABoundaryValueCountsInItsOwnBucket) {
  Histogram h(kBounds);
  h.observe(1);    // le="1"
  h.observe(1.5);  // le="2"
  h.observe(4);    // le="4"
  h.observe(9);    // +Inf
  const auto s = h.snapshot();
  EXPECT_EQ(s.counts, (std::vector<std::uint64_t>{1, 1, 1, 1}));
  EXPECT_EQ(s.count, 4u);
  EXPECT_DOUBLE_EQ(s.sum, 15.5);
}

TEST(Histogram, DropsNaN) {
  Histogram h(kBounds);
  h.observe(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(h.snapshot().count, 0u);
  EXPECT_EQ(h.snapshot().sum, 0);
}

TEST(HistogramSnapshot, QuantileInterpolatesInsideTheBucket) {
  Histogram h(kBounds);
  for (int i = 0; i < 4; ++i)
    h.observe(0.5);  // [0, 1]
  for (int i = 0; i < 4; ++i)
    h.observe(3);  // (2, 4]
  const auto s = h.snapshot();
  // Rank 4 of 8 is the end of the first bucket; rank 6 is halfway through (2, 4].
  EXPECT_DOUBLE_EQ(*s.quantile(0.5), 1.0);
  EXPECT_DOUBLE_EQ(*s.quantile(0.75), 3.0);
  EXPECT_DOUBLE_EQ(*s.quantile(0.25), 0.5);
}

TEST(HistogramSnapshot, QuantileInTheInfBucketAnswersTheHighestBound) {
  Histogram h(kBounds);
  h.observe(100);
  EXPECT_DOUBLE_EQ(*h.snapshot().quantile(0.95), 4.0);
}

TEST(HistogramSnapshot, QuantileOfNothingIsUnknown) {
  Histogram h(kBounds);
  EXPECT_FALSE(h.snapshot().quantile(0.5).has_value());
}

TEST(HistogramSnapshot, SinceIsWhatWasObservedInBetween) {
  Histogram h(kBounds);
  h.observe(0.5);
  const auto before = h.snapshot();
  h.observe(3);
  h.observe(3);
  const auto delta = h.snapshot().since(before);
  EXPECT_EQ(delta.counts, (std::vector<std::uint64_t>{0, 0, 2, 0}));
  EXPECT_EQ(delta.count, 2u);
  EXPECT_DOUBLE_EQ(delta.sum, 6.0);
  EXPECT_DOUBLE_EQ(*delta.quantile(0.5), 3.0);
}

}  // namespace
}  // namespace rawfeed::observe
