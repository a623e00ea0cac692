#include <gtest/gtest.h>

#include "store/s3/s3_url.h"

namespace rawfeed::store::s3 {
namespace {

S3Options optionsFor(std::string endpoint, aws::S3Addressing addressing,
                     std::string prefix = "raw/") {
  S3Options options;
  options.bucket = "lake";
  options.prefix = std::move(prefix);
  options.region = "eu-west-1";
  options.endpoint = std::move(endpoint);
  options.addressing = addressing;
  return options;
}

TEST(S3UrlTest, PathStyleEncodesEveryReservedByteButSlash) {
  auto url = S3Url::make(optionsFor("http://127.0.0.1:9000", aws::S3Addressing::kAuto));
  ASSERT_TRUE(url.ok()) << url.error().describe();
  auto stored = url->storedKey("symbol=^GSPC/day=07/a b+c~d.json");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, "raw/symbol=^GSPC/day=07/a b+c~d.json");
  auto target = url->object(*stored);
  ASSERT_TRUE(target.ok()) << target.error().describe();
  EXPECT_EQ(target->path, "/lake/raw/symbol%3D%5EGSPC/day%3D07/a%20b%2Bc~d.json");
  EXPECT_EQ(target->url, "http://127.0.0.1:9000" + target->path);
  EXPECT_EQ(target->host, "127.0.0.1:9000");
}

TEST(S3UrlTest, VirtualHostedPutsTheBucketInTheHost) {
  auto url = S3Url::make(optionsFor("", aws::S3Addressing::kAuto));
  ASSERT_TRUE(url.ok()) << url.error().describe();
  auto target = url->object("raw/day=07/AAPL.json", "a=b");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->host, "lake.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(target->path, "/raw/day%3D07/AAPL.json");
  EXPECT_EQ(target->url, "https://lake.s3.eu-west-1.amazonaws.com/raw/day%3D07/AAPL.json?a=b");
  auto bucket = url->bucket("list-type=2");
  ASSERT_TRUE(bucket.ok());
  EXPECT_EQ(bucket->url, "https://lake.s3.eu-west-1.amazonaws.com/?list-type=2");
}

TEST(S3UrlTest, PathStyleCanBeForcedOnAws) {
  auto url = S3Url::make(optionsFor("", aws::S3Addressing::kPath));
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->bucket("list-type=2")->url, "https://s3.eu-west-1.amazonaws.com/lake?list-type=2");
}

TEST(S3UrlTest, ChinaRegionsUseTheirOwnDomain) {
  auto options = optionsFor("", aws::S3Addressing::kAuto);
  options.region = "cn-north-1";
  EXPECT_EQ(S3Url::make(options)->endpoint().host, "s3.cn-north-1.amazonaws.com.cn");
}

TEST(S3UrlTest, PrefixIsTrimmedAndKeysAreRelativeToIt) {
  auto url = S3Url::make(optionsFor("http://h:1", aws::S3Addressing::kPath, "/a/b/"));
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->location(), "s3://lake/a/b");
  EXPECT_EQ(url->storedPrefix("day=0"), "a/b/day=0");
  std::string relative;
  ASSERT_TRUE(url->relativeKey("a/b/day=07/x", relative));
  EXPECT_EQ(relative, "day=07/x");
  EXPECT_FALSE(url->relativeKey("a/bc/x", relative));

  auto root = S3Url::make(optionsFor("http://h:1", aws::S3Addressing::kPath, ""));
  EXPECT_EQ(root->location(), "s3://lake");
  EXPECT_EQ(root->storedKey("k").value(), "k");
}

TEST(S3UrlTest, ForbiddenKeysAreInvalidInputNamingTheKey) {
  auto url = S3Url::make(optionsFor("http://h:1", aws::S3Addressing::kPath));
  for (const std::string& key :
       {std::string(), std::string("/a"), std::string("a//b"), std::string("a/"), std::string(".."),
        std::string("a/./b"), std::string("a\\b"), std::string("a\0b", 3),
        std::string(1100, 'k')}) {
    auto stored = url->storedKey(key);
    ASSERT_FALSE(stored.ok()) << key;
    EXPECT_EQ(stored.error().code, core::ErrorCode::kInvalidInput);
  }
  EXPECT_NE(url->storedKey("a//b").error().message.find("'a//b'"), std::string::npos);
}

TEST(S3UrlTest, BadSettingsFailAtStartUp) {
  auto bad_bucket = optionsFor("http://h:1", aws::S3Addressing::kPath);
  bad_bucket.bucket = "Bad_Bucket";
  EXPECT_EQ(S3Url::make(bad_bucket).error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(S3Url::make(optionsFor("ftp://h", aws::S3Addressing::kPath)).error().code,
            core::ErrorCode::kInvalidInput);
  EXPECT_EQ(
      S3Url::make(optionsFor("http://127.0.0.1:9", aws::S3Addressing::kVirtualHosted)).error().code,
      core::ErrorCode::kInvalidInput);
  EXPECT_EQ(S3Url::make(optionsFor("http://h:1", aws::S3Addressing::kPath, "a/../b")).error().code,
            core::ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace rawfeed::store::s3
