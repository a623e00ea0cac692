#include "queue/sqlite/receipt_handle.h"

#include <gtest/gtest.h>

namespace rawfeed::queue::sqlite {
namespace {

TEST(ReceiptHandle, RoundTrips) {
  for (auto handle : {ReceiptHandle{1, 0}, ReceiptHandle{42, 0xdeadbeefcafef00dULL},
                      ReceiptHandle{INT64_MAX, UINT64_MAX}}) {
    auto parsed = parseReceipt(formatReceipt(handle));
    ASSERT_TRUE(parsed.has_value()) << formatReceipt(handle);
    EXPECT_EQ(parsed->seq, handle.seq);
    EXPECT_EQ(parsed->nonce, handle.nonce);
  }
}

TEST(ReceiptHandle, RejectsMalformedText) {
  for (const char* text :
       {"", "rh1.", "rh1.5", "rh1.5.123", "rh2.5.00000000000000ff", "rh1.x.00000000000000ff",
        "rh1.0.00000000000000ff", "rh1.-3.00000000000000ff", "rh1.5.00000000000000fg",
        "rh1.5.00000000000000ff0"}) {
    EXPECT_FALSE(parseReceipt(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace rawfeed::queue::sqlite
