#include <gtest/gtest.h>

#include "core/backoff.h"
#include "http/retry_after.h"

#include "sources/number_text.h"
#include "support/fakes/fixed_random.h"
#include "unit/sources/yahoo_test_helpers.h"

namespace rawfeed::sources::yahoo {
namespace {

using http::parseRetryAfter;

using std::chrono::milliseconds;

using fakes::FixedRandom;

TEST(BackoffTest, FullJitterUnderAnExponentialCeilingCappedAtMax) {
  // The source's retries use the same full jitter as the AWS clients (core/backoff.h).
  const core::RetryPolicy policy{2, milliseconds(500), milliseconds(10000)};
  FixedRandom almost_one(0.999);
  FixedRandom half(0.5);
  FixedRandom zero(0.0);
  EXPECT_EQ(core::backoffDelay(policy, 1, half), milliseconds(250));
  EXPECT_EQ(core::backoffDelay(policy, 2, half), milliseconds(500));
  EXPECT_EQ(core::backoffDelay(policy, 3, half), milliseconds(1000));
  EXPECT_EQ(core::backoffDelay(policy, 6, half), milliseconds(5000));  // 500*32 capped at 10000
  EXPECT_EQ(core::backoffDelay(policy, 60, almost_one), milliseconds(9990));
  EXPECT_EQ(core::backoffDelay(policy, 1, zero), milliseconds(0));
}

TEST(BackoffTest, RetryAfterSecondsOrHttpDate) {
  const auto now = test::at(1445412480);  // 2015-10-21T07:28:00Z
  EXPECT_EQ(parseRetryAfter("120", now), milliseconds(120000));
  EXPECT_EQ(parseRetryAfter(" 0 ", now), milliseconds(0));
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now), milliseconds(30000));
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), milliseconds(0));
  EXPECT_EQ(parseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(parseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(parseRetryAfter("-5", now), milliseconds(0));
}

// Found by fuzz/targets/retry_after.cpp: seconds beyond what milliseconds hold, and a date beyond
// what the clock's nanoseconds hold, overflowed (undefined behaviour, in practice a negative or
// garbage wait). Both are bounded to a year.
TEST(BackoffTest, RetryAfterBeyondAnyRealWaitIsBoundedToAYear) {
  const auto now = test::at(1445412480);  // 2015-10-21T07:28:00Z
  const milliseconds year = std::chrono::hours(24 * 365);
  EXPECT_EQ(parseRetryAfter("9223372036854775807", now), year);
  EXPECT_EQ(parseRetryAfter("31536001", now), year);
  EXPECT_EQ(parseRetryAfter("31536000", now), year);
  EXPECT_EQ(parseRetryAfter("-9223372036854775808", now), milliseconds(0));
  EXPECT_EQ(parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now), year);
  EXPECT_EQ(parseRetryAfter("Mon, 01 Jan 0001 00:00:00 GMT", now), milliseconds(0));
  // Within the bound a date keeps the clock's precision.
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now + milliseconds(250)),
            milliseconds(29750));
}

// Found by fuzz/targets/retry_after.cpp: date::parse (date 3.0.1) converted an uninitialised
// value when an HTTP date's seconds were missing ("7:8:"), undefined behaviour that UBSan caught
// only when the stack held a NaN. HTTP dates are now read by position, in their one current form
// (IMF-fixdate); anything else is unreadable, as it always was for other forms.
TEST(BackoffTest, RetryAfterDatesAreImfFixdatesOnly) {
  const auto now = test::at(1445412480);  // 2015-10-21T07:28:00Z
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now), milliseconds(30000));
  EXPECT_EQ(parseRetryAfter("wed, 21 OCT 2015 07:29:00 GMT", now), milliseconds(60000));
  for (const char* unreadable :
       {"Wed, 2 Oct 5  7:8:", "Wed, 21 Oct 2015 07:28: GMT", "Wed, 21 Oct 2015 7:28:30 GMT",
        "Wed, 31 Feb 2015 07:28:30 GMT", "Wed, 21 Oct 2015 24:00:00 GMT",
        "Wed, 21 Oct 2015 07:28:30 UTC", "Wednesday, 21-Oct-15 07:28:30 GMT",
        "Wed Oct 21 07:28:30 2015", "Wed, 21 Okt 2015 07:28:30 GMT"}) {
    EXPECT_EQ(parseRetryAfter(unreadable, now), std::nullopt) << unreadable;
  }
}

TEST(NumberTextTest, JsonNumberGrammar) {
  for (const char* ok : {"0", "0.0", "75.08750152587891", "1e5", "1.5E-7", "-0", "-1.25"}) {
    EXPECT_TRUE(isJsonNumber(ok)) << ok;
  }
  for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "NaN", "\"1\"", "1 ", "+1", "null"}) {
    EXPECT_FALSE(isJsonNumber(bad)) << bad;
  }
  EXPECT_TRUE(isNonNegativeNumber("0.0"));
  EXPECT_FALSE(isNonNegativeNumber("-0.0"));
  EXPECT_TRUE(isNonNegativeInteger("0"));
  EXPECT_TRUE(isNonNegativeInteger("78665235202"));
  EXPECT_FALSE(isNonNegativeInteger("1.0"));
  EXPECT_FALSE(isNonNegativeInteger("-1"));
  EXPECT_FALSE(isNonNegativeInteger("007"));
}

}  // namespace
}  // namespace rawfeed::sources::yahoo
