#include "aws/uri_encode.h"

#include <gtest/gtest.h>

namespace rawfeed::aws {
namespace {

TEST(UriEncode, KeepsOnlyUnreservedBytes) {
  EXPECT_EQ(uriEncode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(uriEncode("a b=c&d/e+f*g%h^i"), "a%20b%3Dc%26d%2Fe%2Bf%2Ag%25h%5Ei");
  EXPECT_EQ(uriEncode("\xE1\x88\xB4"), "%E1%88%B4");  // upper-case hex, byte by byte
  EXPECT_EQ(uriEncode(std::string_view("\0", 1)), "%00");
}

TEST(UriEncode, KeepSlashForPathsAndS3Keys) {
  EXPECT_EQ(uriEncode("a/b c/", true), "a/b%20c/");
  EXPECT_EQ(encodeS3Key("raw/yahoo/day=07/AAPL.json"), "raw/yahoo/day%3D07/AAPL.json");
  EXPECT_EQ(encodeS3Key("raw/^GSPC.json"), "raw/%5EGSPC.json");
  EXPECT_EQ(encodeS3Key("BRK.B/x y"), "BRK.B/x%20y");
}

TEST(PercentDecode, InvertsEncodingAndLeavesStrayPercents) {
  EXPECT_EQ(percentDecode("day%3D07%2Fx%20y"), "day=07/x y");
  EXPECT_EQ(percentDecode("%e1%88%b4"), "\xE1\x88\xB4");
  EXPECT_EQ(percentDecode("50%off"), "50%off");
  EXPECT_EQ(percentDecode("100%"), "100%");
  EXPECT_EQ(percentDecode("%4"), "%4");
  EXPECT_EQ(percentDecode("a+b"), "a+b");
  for (const char* raw : {"day=07/^GSPC x.json", "~!@#$%^&*()", "\xE1\x88\xB4"}) {
    EXPECT_EQ(percentDecode(uriEncode(raw)), raw);
  }
}

}  // namespace
}  // namespace rawfeed::aws
