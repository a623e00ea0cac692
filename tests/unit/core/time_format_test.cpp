#include "core/time_format.h"

#include <gtest/gtest.h>

#include <limits>

namespace rawfeed::core {
namespace {

TEST(TimeFormatTest, FormatsUtcIncludingBeforeEpoch) {
  EXPECT_EQ(formatIsoUtc(1577975400), "2020-01-02T14:30:00Z");
  EXPECT_EQ(formatIsoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(formatIsoUtc(-252322200), "1962-01-02T14:30:00Z");
  EXPECT_EQ(formatDateUtc(-1), "1969-12-31");
}

TEST(TimeFormatTest, ParsesOnlyRealDates) {
  EXPECT_EQ(parseDate("1970-01-02"), 1);
  EXPECT_EQ(formatDate(*parseDate("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(parseDate("2023-02-29").has_value());
  EXPECT_FALSE(parseDate("2023-13-01").has_value());
  EXPECT_FALSE(parseDate("2023-1-01").has_value());
  EXPECT_FALSE(parseDate("2023-01-01x").has_value());
  EXPECT_FALSE(parseDate("").has_value());
}

TEST(TimeFormatTest, UnixMillisWithinTheClocksSpan) {
  using std::chrono::milliseconds;
  EXPECT_EQ(fromUnixMillis(1700000000123), SystemTime(milliseconds(1700000000123)));
  EXPECT_EQ(fromUnixMillis(-5), SystemTime(milliseconds(-5)));
  // SystemTime counts nanoseconds in 64 bits: 1677-09-21T00:12:43.145Z to 2262-04-11T23:47:16.854Z.
  EXPECT_EQ(fromUnixMillis(9223372036854), SystemTime(milliseconds(9223372036854)));
  EXPECT_EQ(fromUnixMillis(-9223372036854), SystemTime(milliseconds(-9223372036854)));
  EXPECT_FALSE(fromUnixMillis(9223372036855).has_value());
  EXPECT_FALSE(fromUnixMillis(-9223372036855).has_value());
  EXPECT_FALSE(fromUnixMillis(std::numeric_limits<std::int64_t>::max()).has_value());
  EXPECT_FALSE(fromUnixMillis(std::numeric_limits<std::int64_t>::min()).has_value());
}

}  // namespace
}  // namespace rawfeed::core
