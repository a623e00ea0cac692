#include "queue/sqs/sqs_provision.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fakes/fake_clock.h"
#include "support/fakes/fixed_random.h"
#include "support/fakes/static_credentials.h"
#include "unit/queue_sqs/fake_sqs.h"

namespace rawfeed::queue::sqs {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;
using nlohmann::json;

const std::string kProvisionQueueUrl = "http://h/000000000000/prices";
const std::string kProvisionDlqUrl = "http://h/000000000000/prices-dlq";
const std::string kProvisionDlqArn = "arn:aws:sqs:us-east-1:000000000000:prices-dlq";

class SqsProvisionTest : public ::testing::Test {
 protected:
  ProvisionOptions options() const {
    ProvisionOptions options;
    options.queue_name = "prices";
    options.region = "us-east-1";
    options.endpoint = "http://127.0.0.1:9324";
    options.worker_timeout = 30s;
    options.max_retries = 0;
    return options;
  }
  core::Result<ProvisionReport> run() {
    return provision(options(), http_, credentials_, clock_, random_);
  }
  void notFound(const std::string& action) {
    http_.on(action, 400, {{"__type", "com.amazonaws.sqs#QueueDoesNotExist"}});
  }

  testing::FakeSqs http_;
  fakes::StaticCredentials credentials_{testing::testCredentials()};
  fakes::FakeClock clock_;
  fakes::FixedRandom random_{0.5};
};

TEST_F(SqsProvisionTest, CreatesTheDlqThenTheQueueWithEncryptionRedriveAndVisibility) {
  notFound("GetQueueUrl");
  http_.on("CreateQueue", 200, {{"QueueUrl", kProvisionDlqUrl}});
  http_.on("GetQueueAttributes", 200, {{"Attributes", {{"QueueArn", kProvisionDlqArn}}}});
  notFound("GetQueueUrl");
  http_.on("CreateQueue", 200, {{"QueueUrl", kProvisionQueueUrl}});
  auto report = run();
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->queue_url, kProvisionQueueUrl);
  EXPECT_EQ(report->dlq_url, kProvisionDlqUrl);
  ASSERT_EQ(report->changes.size(), 2u);
  EXPECT_EQ(report->changes[0].describe(), "created queue prices-dlq");
  EXPECT_EQ(report->changes[1].describe(), "created queue prices");

  const auto creates = http_.calls("CreateQueue");
  ASSERT_EQ(creates.size(), 2u);
  EXPECT_EQ(creates[0].body,
            (json{{"QueueName", "prices-dlq"},
                  {"Attributes",
                   {{"MessageRetentionPeriod", "1209600"}, {"SqsManagedSseEnabled", "true"}}}}));
  const auto queue_attributes = creates[1].body["Attributes"];
  EXPECT_EQ(queue_attributes["VisibilityTimeout"], "180");  // 30 s x 6
  EXPECT_EQ(queue_attributes["SqsManagedSseEnabled"], "true");
  EXPECT_EQ(json::parse(queue_attributes["RedrivePolicy"].get<std::string>()),
            (json{{"deadLetterTargetArn", kProvisionDlqArn}, {"maxReceiveCount", "5"}}));
}

TEST_F(SqsProvisionTest, ASecondRunFindsEverythingInPlaceAndChangesNothing) {
  http_.on("GetQueueUrl", 200, {{"QueueUrl", kProvisionDlqUrl}});
  http_.on(
      "GetQueueAttributes", 200,
      {{"Attributes", {{"MessageRetentionPeriod", "1209600"}, {"SqsManagedSseEnabled", "true"}}}});
  http_.on("GetQueueAttributes", 200, {{"Attributes", {{"QueueArn", kProvisionDlqArn}}}});
  http_.on("GetQueueUrl", 200, {{"QueueUrl", kProvisionQueueUrl}});
  http_.on("GetQueueAttributes", 200,
           {{"Attributes",
             {{"VisibilityTimeout", "180"},
              {"SqsManagedSseEnabled", "true"},
              // Spacing and a numeric count do not make a difference.
              {"RedrivePolicy",
               json{{"maxReceiveCount", 5}, {"deadLetterTargetArn", kProvisionDlqArn}}.dump(2)}}}});
  auto report = run();
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_TRUE(report->changes.empty());
  EXPECT_TRUE(http_.calls("CreateQueue").empty());
  EXPECT_TRUE(http_.calls("SetQueueAttributes").empty());
}

TEST_F(SqsProvisionTest, SetsOnlyTheAttributesThatDifferAndKeepsAKmsKey) {
  http_.on("GetQueueUrl", 200, {{"QueueUrl", kProvisionDlqUrl}});
  http_.on("GetQueueAttributes", 200,
           {{"Attributes", {{"MessageRetentionPeriod", "345600"}, {"KmsMasterKeyId", "alias/x"}}}});
  http_.on("SetQueueAttributes", 200, nullptr);
  http_.on("GetQueueAttributes", 200, {{"Attributes", {{"QueueArn", kProvisionDlqArn}}}});
  http_.on("GetQueueUrl", 200, {{"QueueUrl", kProvisionQueueUrl}});
  http_.on("GetQueueAttributes", 200,
           {{"Attributes", {{"VisibilityTimeout", "30"}, {"SqsManagedSseEnabled", "true"}}}});
  http_.on("SetQueueAttributes", 200, nullptr);
  auto report = run();
  ASSERT_TRUE(report.ok()) << report.error().describe();
  ASSERT_EQ(report->changes.size(), 3u);
  EXPECT_EQ(report->changes[0].describe(),
            "set MessageRetentionPeriod of prices-dlq: 345600 -> 1209600");
  EXPECT_EQ(report->changes[1].attribute, "RedrivePolicy");
  EXPECT_EQ(report->changes[1].before, "");
  EXPECT_EQ(report->changes[2].describe(), "set VisibilityTimeout of prices: 30 -> 180");
  const auto sets = http_.calls("SetQueueAttributes");
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].body, (json{{"QueueUrl", kProvisionDlqUrl},
                                {"Attributes", {{"MessageRetentionPeriod", "1209600"}}}}));
  EXPECT_EQ(sets[1].body["Attributes"].size(), 2u);
}

TEST_F(SqsProvisionTest, RefusedCredentialsStopItWithTheServersWords) {
  http_.on("GetQueueUrl", 403,
           {{"__type", "AccessDenied"}, {"message", "not authorized to perform sqs:GetQueueUrl"}});
  auto report = run();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(report.error().message.find("not authorized"), std::string::npos);
}

TEST_F(SqsProvisionTest, VisibilityIsCappedAtTwelveHours) {
  auto opts = options();
  opts.worker_timeout = std::chrono::hours(3);
  notFound("GetQueueUrl");
  http_.on("CreateQueue", 200, {{"QueueUrl", kProvisionDlqUrl}});
  http_.on("GetQueueAttributes", 200, {{"Attributes", {{"QueueArn", kProvisionDlqArn}}}});
  notFound("GetQueueUrl");
  http_.on("CreateQueue", 200, {{"QueueUrl", kProvisionQueueUrl}});
  auto report = provision(opts, http_, credentials_, clock_, random_);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(http_.calls("CreateQueue")[1].body["Attributes"]["VisibilityTimeout"], "43200");
}

}  // namespace
}  // namespace rawfeed::queue::sqs
