// Redrive against local-aws-sqs, the one test server whose StartMessageMoveTask works (through
// the SigV4-verifying proxy). fauxqs lacks it, so the contract suite covers the fallback loop.
#include <gtest/gtest.h>

#include <set>

#include "integration/sqs/sqs_test_server.h"
#include "queue/sqs/sqs_message_actions.h"

namespace rawfeed::queue::sqs {
namespace {

using namespace std::chrono_literals;

TEST(SqsRedriveTest, RedriveAllUsesAMessageMoveTaskAndWaitsForIt) {
  auto server = testing::sqsServer("LOCAL_SQS");
  ASSERT_TRUE(server);
  http::curl::CurlHttpClient http;
  core::SystemRandom random;
  fakes::StaticCredentials credentials(server->credentials);
  auto pair = testing::createQueuePair(*server, http, credentials, random, {"redrive"});
  ASSERT_TRUE(pair.ok()) << pair.error().describe();
  auto opened = SqsQueue::open(testing::queueOptions(*server, *pair), http, credentials,
                               core::systemClock(), random);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  auto& queue = **opened;

  // Dead letters put straight into the DLQ: how they got there does not matter to a redrive.
  SqsClientOptions client_options;
  client_options.target = SqsTarget{*aws::parseEndpoint(server->endpoint), server->region};
  SqsClient client(client_options, http, credentials, core::systemClock(), random);
  const std::vector<OutgoingMessage> letters = {
      {"a", "dead-1", 0s}, {"b", "dead-2", 0s}, {"c", "dead-3", 0s}};
  auto sent = sendMessageBatch(client, queue.names().dlq_url, letters);
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  ASSERT_EQ(sent->sent_ids.size(), 3u);

  auto moved = queue.redrive({});
  ASSERT_TRUE(moved.ok()) << moved.error().describe();
  EXPECT_EQ(*moved, 3);

  // The task itself proves the move-task path ran rather than the receive/send/delete fallback.
  auto tasks = listMessageMoveTasks(client, queue.names().dlq_arn);
  ASSERT_TRUE(tasks.ok()) << tasks.error().describe();
  ASSERT_FALSE(tasks->empty());
  EXPECT_EQ(tasks->front().status, "COMPLETED");

  std::multiset<std::string> bodies;
  for (int attempt = 0; attempt < 5 && bodies.size() < 3; ++attempt) {
    auto received = queue.receive(ReceiveOptions{10, 0ms, std::nullopt});
    ASSERT_TRUE(received.ok()) << received.error().describe();
    for (const auto& message : *received)
      bodies.insert(message.body);
  }
  EXPECT_EQ(bodies, (std::multiset<std::string>{"dead-1", "dead-2", "dead-3"}));
  auto stats = queue.stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->dead_letters, 0);
}

}  // namespace
}  // namespace rawfeed::queue::sqs
