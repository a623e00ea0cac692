#include "queue/sqs/sqs_queue_options.h"

#include <gtest/gtest.h>

#include <map>

namespace rawfeed::queue::sqs {
namespace {

aws::EnvLookup envOf(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end())
      return std::nullopt;
    return it->second;
  };
}

TEST(SqsQueueOptionsTest, TheSdkVariablesFillRegionAndEndpoint) {
  SqsQueueOptions options;
  options.queue_name = "prices";
  ASSERT_TRUE(
      resolveFromEnvironment(options, envOf({{"AWS_REGION", "eu-west-1"},
                                             {"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:4566"}}))
          .ok());
  EXPECT_EQ(options.region, "eu-west-1");
  EXPECT_EQ(options.endpoint, "http://127.0.0.1:4566");
}

TEST(SqsQueueOptionsTest, AQueueUrlBeatsTheRegionalGuessButNotAConfiguredEndpoint) {
  SqsQueueOptions options;
  options.queue_url = "https://sqs.eu-central-1.amazonaws.com/123456789012/prices";
  ASSERT_TRUE(resolveFromEnvironment(options, envOf({{"AWS_REGION", "eu-central-1"}})).ok());
  EXPECT_EQ(options.endpoint, "https://sqs.eu-central-1.amazonaws.com");

  SqsQueueOptions local = options;
  local.endpoint.clear();
  ASSERT_TRUE(resolveFromEnvironment(local, envOf({{"AWS_REGION", "eu-central-1"},
                                                   {"AWS_ENDPOINT_URL", "http://localhost:9324"}}))
                  .ok());
  EXPECT_EQ(local.endpoint, "http://localhost:9324");
}

TEST(SqsQueueOptionsTest, WithoutAQueueOrARegionItSaysWhat) {
  SqsQueueOptions none;
  auto missing_queue = resolveFromEnvironment(none, envOf({{"AWS_REGION", "eu-west-1"}}));
  ASSERT_FALSE(missing_queue.ok());
  EXPECT_EQ(missing_queue.error().code, core::ErrorCode::kInvalidInput);

  SqsQueueOptions named;
  named.queue_name = "prices";
  auto missing_region = resolveFromEnvironment(named, envOf({}));
  ASSERT_FALSE(missing_region.ok());
  EXPECT_NE(missing_region.error().message.find("AWS_REGION"), std::string::npos);
}

TEST(SqsQueueOptionsTest, WhatIsSetStays) {
  SqsQueueOptions options;
  options.queue_name = "prices";
  options.region = "us-west-2";
  options.endpoint = "http://10.0.0.1:9324";
  ASSERT_TRUE(resolveFromEnvironment(options, envOf({{"AWS_REGION", "eu-west-1"},
                                                     {"AWS_ENDPOINT_URL_SQS", "http://x:1"}}))
                  .ok());
  EXPECT_EQ(options.region, "us-west-2");
  EXPECT_EQ(options.endpoint, "http://10.0.0.1:9324");
}

}  // namespace
}  // namespace rawfeed::queue::sqs
