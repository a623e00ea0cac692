#include "core/arn.h"

#include <gtest/gtest.h>

namespace rawfeed::core {
namespace {

TEST(ArnTest, SplitsAtTheFirstFiveColons) {
  const auto lambda = parseArn("arn:aws:lambda:eu-west-1:123456789012:function:transform:live");
  ASSERT_TRUE(lambda);
  EXPECT_EQ(lambda->partition, "aws");
  EXPECT_EQ(lambda->service, "lambda");
  EXPECT_EQ(lambda->region, "eu-west-1");
  EXPECT_EQ(lambda->account, "123456789012");
  EXPECT_EQ(lambda->resource, "function:transform:live");
  EXPECT_EQ(formatArn(*lambda), "arn:aws:lambda:eu-west-1:123456789012:function:transform:live");

  const auto bucket = parseArn("arn:aws-cn:s3:::lake/raw");  // S3: no region, no account
  ASSERT_TRUE(bucket);
  EXPECT_EQ(bucket->partition, "aws-cn");
  EXPECT_EQ(bucket->region, "");
  EXPECT_EQ(bucket->account, "");
  EXPECT_EQ(bucket->resource, "lake/raw");
}

TEST(ArnTest, WhatIsNotAnArnIsRefused) {
  for (const char* text : {"", "arn", "arn:", "arn:aws:sqs:eu-west-1:1",
                           "arn:aws:sqs:eu-west-1:1:", "ARN:aws:sqs:r:1:q", "urn:aws:sqs:r:1:q",
                           "arn::sqs:r:1:q", "arn:aws::r:1:q", "prices"}) {
    EXPECT_FALSE(parseArn(text)) << text;
  }
}

}  // namespace
}  // namespace rawfeed::core
