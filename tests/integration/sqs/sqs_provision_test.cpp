// provision() against fauxqs through the verifying proxy: it creates a domain's queue and DLQ
// with the attributes rawfeed wants, a second run changes nothing, and SqsQueue opens the result.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "integration/sqs/sqs_test_server.h"
#include "queue/sqs/sqs_provision.h"

namespace rawfeed::queue::sqs {
namespace {

using namespace std::chrono_literals;

TEST(SqsProvisionTest, CreatesOnceThenFindsEverythingInPlace) {
  auto server = testing::sqsServer("FAUXQS");
  ASSERT_TRUE(server);
  http::curl::CurlHttpClient http;
  core::SystemRandom random;
  fakes::StaticCredentials credentials(server->credentials);
  ProvisionOptions options;
  options.queue_name = fmt::format("provision-{}", core::newUuid(random));
  options.region = server->region;
  options.endpoint = server->endpoint;
  options.worker_timeout = 45s;

  auto first = provision(options, http, credentials, core::systemClock(), random);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  ASSERT_EQ(first->changes.size(), 2u);
  EXPECT_EQ(first->changes[0].describe(), fmt::format("created queue {}-dlq", options.queue_name));
  EXPECT_EQ(first->changes[1].describe(), fmt::format("created queue {}", options.queue_name));

  auto second = provision(options, http, credentials, core::systemClock(), random);
  ASSERT_TRUE(second.ok()) << second.error().describe();
  for (const auto& change : second->changes)
    ADD_FAILURE() << "changed again: " << change.describe();
  EXPECT_EQ(second->queue_url, first->queue_url);

  options.worker_timeout = 60s;
  auto third = provision(options, http, credentials, core::systemClock(), random);
  ASSERT_TRUE(third.ok()) << third.error().describe();
  ASSERT_EQ(third->changes.size(), 1u);
  EXPECT_EQ(third->changes[0].describe(),
            fmt::format("set VisibilityTimeout of {}: 270 -> 360", options.queue_name));

  SqsQueueOptions queue_options;
  queue_options.queue_name = options.queue_name;
  queue_options.region = server->region;
  queue_options.endpoint = server->endpoint;
  auto opened = SqsQueue::open(queue_options, http, credentials, core::systemClock(), random);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  EXPECT_EQ((*opened)->names().max_receives, 5);
}

}  // namespace
}  // namespace rawfeed::queue::sqs
