#include "aws/amz_time.h"

#include <gtest/gtest.h>

namespace rawfeed::aws {
namespace {

using std::chrono::seconds;

core::SystemTime at(long long unix_seconds) {
  return core::SystemTime{seconds{unix_seconds}};
}

TEST(AmzTime, FormatsBasicIsoUtc) {
  EXPECT_EQ(formatAmzDate(at(1440938160)), "20150830T123600Z");
  EXPECT_EQ(formatAmzDay(at(1440938160)), "20150830");
  EXPECT_EQ(formatAmzDate(at(0)), "19700101T000000Z");
  // Sub-second parts are dropped, never rounded into the next second.
  EXPECT_EQ(formatAmzDate(at(1440938160) + std::chrono::milliseconds(999)), "20150830T123600Z");
}

TEST(AmzTime, ParsesCredentialExpirations) {
  EXPECT_EQ(parseIso8601("2015-08-30T12:36:00Z"), at(1440938160));
  EXPECT_EQ(parseIso8601("2015-08-30T12:36:00.123Z"), at(1440938160));
  EXPECT_EQ(parseIso8601("2015-08-30T14:36:00+02:00"), at(1440938160));
  EXPECT_EQ(parseIso8601("2015-08-30T10:36:00-02:00"), at(1440938160));
  for (const char* bad : {"", "2015-08-30", "2015-08-30T12:36:00", "2015-02-30T12:36:00Z",
                          "2015-08-30T25:00:00Z", "2015-08-30T12:36:00Zjunk", "tomorrow"}) {
    EXPECT_FALSE(parseIso8601(bad).has_value()) << bad;
  }
}

// Found by fuzz/targets/aws_credentials.cpp: an Expiration in year 0001 or 9999 overflowed the
// conversion to the clock's nanoseconds (1677-09-21T00:12:43.145224192Z to
// 2262-04-11T23:47:16.854775807Z). Outside that span the timestamp is malformed.
TEST(AmzTime, ExpirationsBeyondTheClockAreMalformed) {
  for (const char* beyond : {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2262-04-11T23:47:17Z",
                             "1677-09-21T00:12:43Z", "2262-04-11T23:47:16-00:01"}) {
    EXPECT_FALSE(parseIso8601(beyond).has_value()) << beyond;
  }
  EXPECT_EQ(parseIso8601("2262-04-11T23:47:16Z"), at(9223372036));
  EXPECT_EQ(parseIso8601("1677-09-21T00:12:44Z"), at(-9223372036));
}

}  // namespace
}  // namespace rawfeed::aws
