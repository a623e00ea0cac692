#include "lake/gzip.h"

#include <gtest/gtest.h>

#include <string>

#include "unit/lake/sample_text.h"

namespace rawfeed::lake {
namespace {

TEST(GzipTest, RoundTripsSizesAndLevels) {
  for (const std::size_t size : {0u, 1u, 100u, 70000u, 1000000u}) {
    for (const int level : {0, 1, 6, 9}) {
      const std::string input = testing::sampleJsonLines(size);
      const auto compressed = gzipCompress(input, level);
      ASSERT_TRUE(compressed.ok()) << compressed.error().describe();
      const auto restored = gzipDecompress(*compressed);
      ASSERT_TRUE(restored.ok()) << restored.error().describe();
      EXPECT_EQ(*restored, input) << size << " at level " << level;
    }
  }
}

TEST(GzipTest, OutputIsDeterministicWithAPinnedHeader) {
  const std::string input = testing::sampleJsonLines(5000);
  const std::string first = gzipCompress(input).value();
  EXPECT_EQ(gzipCompress(input).value(), first);
  ASSERT_GE(first.size(), 18u);
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(first[i]); };
  EXPECT_EQ(byte(0), 0x1f);
  EXPECT_EQ(byte(1), 0x8b);
  EXPECT_EQ(byte(2), 8);  // deflate
  EXPECT_EQ(byte(3), 0);  // flags: no name, comment, extra or header CRC
  EXPECT_EQ(byte(4) | byte(5) | byte(6) | byte(7), 0);  // mtime 0
  EXPECT_EQ(byte(9), 3);                                // OS: Unix, on every platform
}

TEST(GzipTest, ReadsConcatenatedMembers) {
  const std::string joined = gzipCompress("hello ").value() + gzipCompress("world").value();
  EXPECT_EQ(gzipDecompress(joined).value(), "hello world");
}

TEST(GzipTest, RejectsCorruptAndTruncatedInput) {
  const std::string good = gzipCompress(testing::sampleJsonLines(10000)).value();
  std::string corrupt = good;
  corrupt[corrupt.size() / 2] ^= 0x55;
  corrupt[corrupt.size() - 5] ^= 0x55;  // the CRC, in case the flip still inflated
  for (const std::string& bad :
       {std::string(), std::string("not gzip at all"), good.substr(0, good.size() / 2),
        good.substr(0, good.size() - 1), corrupt}) {
    const auto result = gzipDecompress(bad);
    ASSERT_FALSE(result.ok()) << bad.size();
    EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(result.error().message.find("gzip"), std::string::npos);
  }
}

TEST(GzipTest, RejectsBadLevel) {
  for (const int level : {-2, 10}) {
    const auto result = gzipCompress("x", level);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
  }
}

}  // namespace
}  // namespace rawfeed::lake
