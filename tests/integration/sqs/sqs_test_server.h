#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/curl/curl_http_client.h"
#include "integration/sqs/aws_test_env.h"
#include "queue/sqs/sqs_attributes.h"
#include "queue/sqs/sqs_client.h"
#include "queue/sqs/sqs_queue.h"
#include "queue/sqs/sqs_queue_actions.h"
#include "support/fakes/static_credentials.h"

namespace rawfeed::testing {

// One SQS-speaking test server behind the SigV4-verifying proxy, with the keys the proxy knows.
struct SqsServer {
  std::string endpoint;  // the proxy
  std::string region;
  aws::Credentials credentials;
};

// `which`: "FAUXQS" or "LOCAL_SQS" (the names in out/aws-test-servers.env). nullopt after a
// failure that says how to start the servers.
inline std::optional<SqsServer> sqsServer(const std::string& which) {
  const AwsTestEnv env;
  std::string endpoint_name = "RAWFEED_TEST_";
  endpoint_name += which;
  endpoint_name += "_PROXY_URL";
  auto endpoint = requireSetting(env, endpoint_name);
  auto key = requireSetting(env, "AWS_ACCESS_KEY_ID");
  auto secret = requireSetting(env, "AWS_SECRET_ACCESS_KEY");
  if (!endpoint || !key || !secret)
    return std::nullopt;
  return SqsServer{*endpoint, env.get("RAWFEED_TEST_REGION").value_or("us-east-1"),
                   aws::Credentials{*key, *secret, "", std::nullopt}};
}

// A queue and its DLQ made for one test, so tests never share messages. Names are unique per
// call ("<prefix>-<uuid>" and "...-dlq").
struct QueuePairSpec {
  std::string prefix = "rawfeed-it";
  std::chrono::seconds visibility{30};
  int max_receives = 5;
  std::chrono::seconds retention{345600};
};

struct QueuePair {
  std::string name;
  std::string queue_url;
  std::string dlq_url;
};

inline core::Result<QueuePair> createQueuePair(const SqsServer& server, http::HttpClient& http,
                                               aws::CredentialsProvider& credentials,
                                               core::Random& random, const QueuePairSpec& spec) {
  queue::sqs::SqsClientOptions options;
  options.target = queue::sqs::SqsTarget{*aws::parseEndpoint(server.endpoint), server.region};
  queue::sqs::SqsClient client(options, http, credentials, core::systemClock(), random);
  QueuePair pair;
  pair.name = spec.prefix;
  pair.name += '-';
  pair.name += core::newUuid(random);
  auto dlq = queue::sqs::createQueue(client, pair.name + "-dlq", {});
  if (!dlq.ok())
    return dlq.error();
  pair.dlq_url = *dlq;
  const std::string arn_name[] = {"QueueArn"};
  auto dlq_attributes = queue::sqs::getQueueAttributes(client, *dlq, arn_name);
  if (!dlq_attributes.ok())
    return dlq_attributes.error();
  queue::sqs::QueueAttributes attributes = {
      {"VisibilityTimeout", std::to_string(spec.visibility.count())},
      {"MessageRetentionPeriod", std::to_string(spec.retention.count())},
      {"RedrivePolicy",
       queue::sqs::formatRedrivePolicy({dlq_attributes->at("QueueArn"), spec.max_receives})}};
  auto queue_url = queue::sqs::createQueue(client, pair.name, attributes);
  if (!queue_url.ok())
    return queue_url.error();
  pair.queue_url = *queue_url;
  return pair;
}

inline queue::sqs::SqsQueueOptions queueOptions(const SqsServer& server, const QueuePair& pair) {
  queue::sqs::SqsQueueOptions options;
  options.queue_name = pair.name;
  options.region = server.region;
  options.endpoint = server.endpoint;
  return options;
}

}  // namespace rawfeed::testing
