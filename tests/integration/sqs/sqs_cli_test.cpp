// An independent client reads what rawfeed sent: the AWS CLI (v1, preinstalled; speaks SQS's
// JSON protocol) receives from the same fauxqs through the same verifying proxy.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "integration/sqs/sqs_test_server.h"

namespace rawfeed::queue::sqs {
namespace {

using namespace std::chrono_literals;

// Runs a shell command, bounded by `timeout`; its stdout, or nullopt when it failed.
std::optional<std::string> run(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return std::nullopt;
  std::string out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
    out.append(buffer, n);
  if (::pclose(pipe) != 0)
    return std::nullopt;
  return out;
}

TEST(SqsCliTest, TheAwsCliReceivesWhatRawfeedSent) {
  ASSERT_EQ(std::system("command -v aws >/dev/null 2>&1"), 0)
      << "the AWS CLI is not installed (pip install awscli)";
  auto server = testing::sqsServer("FAUXQS");
  ASSERT_TRUE(server);
  http::curl::CurlHttpClient http;
  core::SystemRandom random;
  fakes::StaticCredentials credentials(server->credentials);
  auto pair = testing::createQueuePair(*server, http, credentials, random, {"cli"});
  ASSERT_TRUE(pair.ok()) << pair.error().describe();
  auto opened = SqsQueue::open(testing::queueOptions(*server, *pair), http, credentials,
                               core::systemClock(), random);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  const std::vector<OutgoingMessage> batch = {
      {"a", R"({"batch_id":"b1","symbols":["AAPL","MSFT"]})", 0s},
      {"b", "day=07/AAPL.json & ünïcode", 0s}};
  auto sent = (*opened)->sendBatch(batch);
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  ASSERT_EQ(sent->sent_ids.size(), 2u);

  // The keys go through the environment, never the command line (ps would show them).
  ::setenv("AWS_ACCESS_KEY_ID", server->credentials.access_key_id.c_str(), 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", server->credentials.secret_access_key.c_str(), 1);
  ::setenv("AWS_DEFAULT_REGION", server->region.c_str(), 1);
  const std::string command = fmt::format(
      "timeout 60 aws --endpoint-url '{}' sqs receive-message --queue-url '{}' "
      "--max-number-of-messages 10 --attribute-names All --output json 2>&1",
      server->endpoint, pair->queue_url);
  auto output = run(command);
  ASSERT_TRUE(output) << "aws sqs receive-message failed: " << command;
  const auto json = nlohmann::json::parse(*output, nullptr, false);
  ASSERT_TRUE(json.is_object()) << *output;
  std::set<std::string> bodies;
  for (const auto& message : json.value("Messages", nlohmann::json::array())) {
    bodies.insert(message.at("Body").get<std::string>());
    EXPECT_EQ(message.at("Attributes").at("ApproximateReceiveCount"), "1");
  }
  EXPECT_EQ(bodies, (std::set<std::string>{batch[0].body, batch[1].body}));
}

}  // namespace
}  // namespace rawfeed::queue::sqs
