#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace rawfeed::config {
namespace {

TEST(AwsDeploySettings, DefaultsWhenTheTableIsAbsent) {
  auto config = parseConfig(R"(
[domains.d]
symbols = ["AAPL"]
)",
                            "/etc/rawfeed/rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const auto& aws = config->domain("d")->aws;
  EXPECT_FALSE(aws.create_bucket);
  EXPECT_TRUE(aws.kms_key_arn.empty());
  EXPECT_FALSE(aws.batch_size.has_value());
  EXPECT_FALSE(aws.maximum_concurrency.has_value());
  EXPECT_FALSE(aws.worker_reserved_concurrency.has_value());
  EXPECT_EQ(aws.log_retention_days, 30);
  EXPECT_EQ(aws.completion_rule, "event");
  EXPECT_EQ(aws.config_location, "rawfeed.toml");
}

TEST(AwsDeploySettings, DomainTableOverridesDefaultsKeyByKey) {
  auto config = parseConfig(R"(
[defaults.aws]
log_retention_days = 14
maximum_concurrency = 20
alarm_topic_arn = "arn:aws:sns:eu-west-1:123456789012:ops"
[domains.a]
symbols = ["AAPL"]
[domains.a.aws]
maximum_concurrency = 5
batch_size = 4
worker_reserved_concurrency = 10
kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
vpc_id = "vpc-1"
subnet_ids = ["subnet-1", "subnet-2"]
security_group_ids = ["sg-1"]
code_bucket = "artifacts"
code_key = "rawfeed/rawfeed.zip"
[domains.b]
symbols = ["MSFT"]
)",
                            "/etc/rawfeed/rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const auto& a = config->domain("a")->aws;
  EXPECT_EQ(a.log_retention_days, 14);
  EXPECT_EQ(a.maximum_concurrency, 5);
  EXPECT_EQ(a.batch_size, 4);
  EXPECT_EQ(a.worker_reserved_concurrency, 10);
  EXPECT_EQ(a.subnet_ids.size(), 2u);
  EXPECT_EQ(a.alarm_topic_arn, "arn:aws:sns:eu-west-1:123456789012:ops");
  EXPECT_EQ(a.code_key, "rawfeed/rawfeed.zip");
  const auto& b = config->domain("b")->aws;
  EXPECT_EQ(b.maximum_concurrency, 20);
  EXPECT_FALSE(b.batch_size.has_value());
  EXPECT_TRUE(b.vpc_id.empty());
}

// Each bad value is reported with the file, the key and the rule; all of them at once.
TEST(AwsDeploySettings, BadValuesAreNamed) {
  auto config = parseConfig(R"(
[domains.d]
symbols = ["AAPL"]
[domains.d.aws]
log_retention_days = 10
maximum_concurrency = 1
kms_key_arn = "alias/rawfeed"
transform_target_arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/t"
completion_rule = "sometimes"
alarm_topic_arn = "arn:aws:sqs:eu-west-1:123456789012:q"
subnet_ids = ["subnet-1"]
code_bucket = "b"
name_prefix = "has space"
bucket_name = "typo"
)",
                            "/etc/rawfeed/rawfeed.toml");
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  for (const char* expected :
       {"domains.d.aws.log_retention_days: 10 is not a CloudWatch Logs retention",
        "domains.d.aws.maximum_concurrency: must be between 2 and 1000",
        "domains.d.aws.kms_key_arn: must be a KMS key ARN",
        "domains.d.aws.transform_target_arn: must be the ARN of",
        "domains.d.aws.completion_rule: must be event, manifest or both",
        "domains.d.aws.alarm_topic_arn: must be an SNS topic ARN",
        "domains.d.aws.vpc_id: a VPC needs vpc_id, subnet_ids and security_group_ids",
        "domains.d.aws.code_bucket: code_bucket and code_key go together",
        "domains.d.aws.name_prefix: must be at most 40 characters",
        "domains.d.aws.bucket_name: unknown key"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\nin:\n" << message;
  }
}

}  // namespace
}  // namespace rawfeed::config
