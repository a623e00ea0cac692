#include "aws/endpoints.h"

#include <gtest/gtest.h>

#include "contract/temp_dir.h"
#include "test_env.h"

namespace rawfeed::aws {
namespace {

using testing::envOf;
using testing::writeFile;

TEST(ParseEndpoint, SchemeHostPortAndBasePath) {
  auto local = parseEndpoint("http://127.0.0.1:9000");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->scheme, "http");
  EXPECT_EQ(local->host, "127.0.0.1");
  EXPECT_EQ(local->port, 9000);
  EXPECT_EQ(local->authority(), "127.0.0.1:9000");
  EXPECT_EQ(local->origin(), "http://127.0.0.1:9000");

  auto mounted = parseEndpoint("HTTPS://minio.internal/s3/");
  ASSERT_TRUE(mounted.ok());
  EXPECT_EQ(mounted->scheme, "https");
  EXPECT_FALSE(mounted->port.has_value());
  EXPECT_EQ(mounted->base_path, "/s3");

  auto v6 = parseEndpoint("http://[::1]:4566");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->authority(), "[::1]:4566");

  for (const char* bad : {"127.0.0.1:9000", "ftp://h", "http://", "http://h:0", "http://h:x",
                          "http://h:70000", "http://user@h", "http://h/?q", "http://[::1"}) {
    auto parsed = parseEndpoint(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
  }
}

TEST(ResolveRegion, EnvironmentThenProfileConfig) {
  EXPECT_EQ(
      *resolveRegion(envOf({{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-west-2"}})),
      "eu-west-1");
  EXPECT_EQ(*resolveRegion(envOf({{"AWS_DEFAULT_REGION", "us-west-2"}})), "us-west-2");

  contract::TempDir home;
  writeFile(home.path() / ".aws" / "config",
            "[default]\nregion = ap-southeast-2\n[profile eu]\nregion = eu-central-1\n");
  EXPECT_EQ(*resolveRegion(envOf({{"HOME", home.path().string()}})), "ap-southeast-2");
  EXPECT_EQ(*resolveRegion(envOf({{"HOME", home.path().string()}, {"AWS_PROFILE", "eu"}})),
            "eu-central-1");

  auto none = resolveRegion(envOf({{"HOME", home.path().string()}, {"AWS_PROFILE", "none"}}));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(none.error().message.find("AWS_REGION"), std::string::npos);
  EXPECT_NE(none.error().message.find("profile 'none'"), std::string::npos);
}

TEST(ResolveEndpoint, PrecedenceOfTheStandardSettings) {
  contract::TempDir home;
  writeFile(home.path() / ".aws" / "config", "[default]\nendpoint_url = http://127.0.0.1:7000\n");
  const std::string h = home.path().string();

  auto aws = resolveEndpoint(envOf({}), "s3", "eu-west-1");
  ASSERT_TRUE(aws.ok());
  EXPECT_EQ(aws->origin(), "https://s3.eu-west-1.amazonaws.com");
  EXPECT_FALSE(aws->custom);
  EXPECT_EQ(resolveEndpoint(envOf({}), "sqs", "cn-north-1")->host,
            "sqs.cn-north-1.amazonaws.com.cn");

  EXPECT_EQ(resolveEndpoint(envOf({{"HOME", h}}), "s3", "us-east-1")->origin(),
            "http://127.0.0.1:7000");
  const std::map<std::string, std::string> all = {
      {"HOME", h},
      {"AWS_ENDPOINT_URL", "http://127.0.0.1:8000"},
      {"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000"},
      {"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324"}};
  auto s3 = resolveEndpoint(envOf(all), "s3", "us-east-1");
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->origin(), "http://127.0.0.1:9000");
  EXPECT_TRUE(s3->custom);
  EXPECT_EQ(resolveEndpoint(envOf(all), "sqs", "us-east-1")->origin(), "http://127.0.0.1:9324");
  auto general = all;
  general.erase("AWS_ENDPOINT_URL_SQS");
  EXPECT_EQ(resolveEndpoint(envOf(general), "sqs", "us-east-1")->origin(), "http://127.0.0.1:8000");
  EXPECT_EQ(resolveEndpoint(envOf(all), "s3", "us-east-1", "http://127.0.0.1:1234")->origin(),
            "http://127.0.0.1:1234");

  auto ignored = all;
  ignored["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  EXPECT_EQ(resolveEndpoint(envOf(ignored), "s3", "us-east-1")->origin(),
            "https://s3.us-east-1.amazonaws.com");

  auto bad = resolveEndpoint(envOf({{"AWS_ENDPOINT_URL_S3", "localhost:9000"}}), "s3", "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("localhost:9000"), std::string::npos);
}

TEST(S3Target, PathStyleOnACustomEndpointEncodesTheKeyOnce) {
  auto endpoint =
      resolveEndpoint(envOf({{"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000"}}), "s3", "us-east-1");
  ASSERT_TRUE(endpoint.ok());
  auto target = s3Target(*endpoint, "rawfeed-lake", "raw/day=07/^GSPC.json", S3Addressing::kAuto);
  ASSERT_TRUE(target.ok()) << target.error().describe();
  EXPECT_EQ(target->host, "127.0.0.1:9000");
  EXPECT_EQ(target->path, "/rawfeed-lake/raw/day%3D07/%5EGSPC.json");
  EXPECT_EQ(target->url, "http://127.0.0.1:9000/rawfeed-lake/raw/day%3D07/%5EGSPC.json");

  auto list =
      s3Target(*endpoint, "rawfeed-lake", "", S3Addressing::kPath, "list-type=2&prefix=raw%2F");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->path, "/rawfeed-lake");
  EXPECT_EQ(list->url, "http://127.0.0.1:9000/rawfeed-lake?list-type=2&prefix=raw%2F");
}

TEST(S3Target, VirtualHostedOnAwsAndWhereAutoFallsBackToPathStyle) {
  auto aws = resolveEndpoint(envOf({}), "s3", "eu-west-1");
  ASSERT_TRUE(aws.ok());
  auto virtual_hosted = s3Target(*aws, "rawfeed-lake", "a b.json", S3Addressing::kAuto);
  ASSERT_TRUE(virtual_hosted.ok());
  EXPECT_EQ(virtual_hosted->host, "rawfeed-lake.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(virtual_hosted->path, "/a%20b.json");
  EXPECT_EQ(virtual_hosted->url, "https://rawfeed-lake.s3.eu-west-1.amazonaws.com/a%20b.json");

  // Dots would break the wildcard TLS certificate: auto picks path-style.
  auto dotted = s3Target(*aws, "my.lake", "k", S3Addressing::kAuto);
  ASSERT_TRUE(dotted.ok());
  EXPECT_EQ(dotted->host, "s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(dotted->path, "/my.lake/k");

  auto minio = parseEndpoint("https://minio.internal:9000/s3");
  ASSERT_TRUE(minio.ok());
  auto forced = s3Target(*minio, "lake", "k", S3Addressing::kVirtualHosted);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->url, "https://lake.minio.internal:9000/s3/k");

  auto ip = parseEndpoint("http://127.0.0.1:9000");
  EXPECT_FALSE(s3Target(*ip, "lake", "k", S3Addressing::kVirtualHosted).ok());
  for (const char* bad : {"", "ab", "Upper", "-lake", "lake/x", "lake_"}) {
    EXPECT_FALSE(s3Target(*ip, bad, "k", S3Addressing::kPath).ok()) << bad;
  }
}

TEST(S3Addressing, ParsesConfigFileValues) {
  EXPECT_EQ(*parseS3Addressing("path"), S3Addressing::kPath);
  EXPECT_EQ(*parseS3Addressing("virtual"), S3Addressing::kVirtualHosted);
  EXPECT_EQ(*parseS3Addressing("auto"), S3Addressing::kAuto);
  EXPECT_FALSE(parseS3Addressing("dns").ok());
}

}  // namespace
}  // namespace rawfeed::aws
