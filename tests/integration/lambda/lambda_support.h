#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/random.h"
#include "http/curl/curl_http_client.h"
#include "integration/aws_e2e/aws_support.h"
#include "integration/e2e/e2e_support.h"
#include "integration/lambda/runtime_api_server.h"
#include "integration/s3/test_servers.h"
#include "queue/sqs/sqs_queue.h"

// The Lambda integration tests: `rawfeed lambda` as a process polling a local Runtime API
// server, with the lake on S3 and the queue on SQS (fauxqs behind the SigV4-verifying proxy) and
// the source a replay server.
namespace rawfeed::e2e {

using Clock = std::chrono::system_clock;

// A function process: `rawfeed lambda` (or another program, e.g. an unzipped bootstrap) with
// exactly the given environment plus the Runtime API's address.
inline std::unique_ptr<Subprocess> startFunction(const testing::RuntimeApiServer& api,
                                                 const std::vector<std::string>& env,
                                                 const fs::path& dir, const std::string& name,
                                                 const std::string& program = RAWFEED_BIN) {
  std::vector<std::string> argv = {"/usr/bin/env", "-i", "AWS_LAMBDA_RUNTIME_API=" + api.address()};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(program);
  if (program == RAWFEED_BIN)
    argv.push_back("lambda");
  return std::make_unique<Subprocess>(argv, dir, name);
}

// The function's variables as the stack sets them.
inline std::vector<std::string> functionEnvironment(const std::string& handler,
                                                    const std::string& domain,
                                                    const fs::path& config, const fs::path& dir) {
  return {"RAWFEED_HANDLER=" + handler,        "RAWFEED_DOMAIN=" + domain,
          "RAWFEED_CONFIG=" + config.string(), "RAWFEED_STATE_DIR=" + (dir / "tmp").string(),
          "LAMBDA_TASK_ROOT=" + dir.string(),  "AWS_LAMBDA_FUNCTION_NAME=rawfeed-" + handler};
}

inline nlohmann::json parsed(const std::optional<testing::RuntimeApiOutcome>& outcome) {
  if (!outcome)
    return nlohmann::json();
  return nlohmann::json::parse(outcome->body, nullptr, false);
}

// The test's own view of a queue (receive, inspect), through the same proxy the function uses.
class QueueReader {
 public:
  QueueReader(const integration::TestServers& servers, const std::string& name)
      : credentials_(servers.fauxqs.access_key_id, servers.fauxqs.secret_access_key) {
    queue::sqs::SqsQueueOptions options;
    options.queue_name = name;
    options.region = servers.region;
    options.endpoint = servers.fauxqs.proxy_url;
    auto opened =
        queue::sqs::SqsQueue::open(options, http_, credentials_, core::systemClock(), random_);
    if (opened.ok()) {
      queue_ = std::move(opened).value();
    } else {
      error_ = opened.error().describe();
    }
  }
  ~QueueReader() {
    queue_.reset();
    http_.stop();
  }
  bool ok() const { return queue_ != nullptr; }
  const std::string& error() const { return error_; }

  // Receives until `count` messages came or `wait` passed, hiding each for `visibility`.
  std::vector<queue::ReceivedMessage> receive(std::size_t count, std::chrono::seconds wait,
                                              std::chrono::seconds visibility) {
    std::vector<queue::ReceivedMessage> messages;
    const auto until = std::chrono::steady_clock::now() + wait;
    while (messages.size() < count && std::chrono::steady_clock::now() < until) {
      queue::ReceiveOptions options;
      options.max_messages = 10;
      options.wait = std::chrono::milliseconds(1000);
      options.visibility = visibility;
      auto received = queue_->receive(options);
      if (!received.ok()) {
        ADD_FAILURE() << received.error().describe();
        break;
      }
      for (auto& message : *received)
        messages.push_back(std::move(message));
    }
    return messages;
  }

 private:
  core::SystemRandom random_;
  http::curl::CurlHttpClient http_;
  integration::StaticCredentials credentials_;
  std::unique_ptr<queue::sqs::SqsQueue> queue_;
  std::string error_;
};

// The SQS event Lambda's event source mapping would deliver for these messages.
inline std::string sqsEvent(const std::vector<queue::ReceivedMessage>& messages,
                            const std::string& queue_name) {
  nlohmann::json records = nlohmann::json::array();
  for (const auto& message : messages) {
    const auto sent =
        std::chrono::duration_cast<std::chrono::milliseconds>(message.sent_at.time_since_epoch())
            .count();
    records.push_back({{"messageId", message.message_id},
                       {"receiptHandle", message.receipt_handle},
                       {"body", message.body},
                       {"attributes",
                        {{"ApproximateReceiveCount", std::to_string(message.receive_count)},
                         {"SentTimestamp", std::to_string(sent)},
                         {"SenderId", "AIDAIT"},
                         {"ApproximateFirstReceiveTimestamp", std::to_string(sent)}}},
                       {"messageAttributes", nlohmann::json::object()},
                       {"md5OfBody", ""},
                       {"eventSource", "aws:sqs"},
                       {"eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:" + queue_name},
                       {"awsRegion", "us-east-1"}});
  }
  return nlohmann::json{{"Records", records}}.dump();
}

// Object keys under the fixture's prefix, apart from the tracker's own (_rawfeed/).
inline std::vector<std::string> lakeKeys(store::ObjectStore& store, const std::string& under = "") {
  std::vector<std::string> keys;
  auto listed = store.list(under);
  EXPECT_TRUE(listed.ok()) << (listed.ok() ? "" : listed.error().describe());
  if (!listed.ok())
    return keys;
  for (const auto& info : *listed)
    keys.push_back(info.key);
  return keys;
}

inline std::string messageFor(const std::vector<queue::ReceivedMessage>& messages,
                              const std::string& symbol) {
  for (const auto& message : messages) {
    if (message.body.find("\"" + symbol + "\"") != std::string::npos)
      return message.message_id;
  }
  return "";
}

inline testing::ReplayResponse statusResponse(int status, std::string body) {
  testing::ReplayResponse response;
  response.status = status;
  response.headers = {{"content-type", "text/html"}};
  response.body = std::move(body);
  return response;
}

inline constexpr auto kAnswerWithin = std::chrono::seconds(60);

// A domain's config for the function: the lake, the queue and the replay server as its source.
inline std::string configText(const std::string& domain, const std::string& symbols, int chunk_size,
                              const std::string& lake, const std::string& queue,
                              const std::string& source_url, const std::string& extra = "") {
  return "environment = \"lambda-it\"\n[domains." + domain + "]\nsymbols = [" + symbols +
         "]\nchunk_size = " + std::to_string(chunk_size) + "\nlake = \"" + lake +
         "\"\nqueue_uri = \"" + queue + "\"\n" + extra + "[domains." + domain +
         ".source]\nbase_url = \"" + source_url + "\"\nmax_retries = 0\n";
}

inline fs::path writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  return path;
}

// The lake on S3 and a queue of the test's own on fauxqs (behind the shared verifying proxy), a
// queue reader, and the functions' environment.
class LambdaAwsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    servers_ = integration::testServers(&error);
    ASSERT_NE(servers_, nullptr) << error;
    ASSERT_TRUE(testing::yahooFixturesPresent()) << testing::yahooFixtureDir();
    lake_ = std::make_unique<integration::S3Fixture>(servers_->fauxqs, servers_->region,
                                                     servers_->bucket);
    ASSERT_TRUE(lake_->ok()) << lake_->error();
    queue_name_ = "lambda-" + dir_.path().filename().string().substr(13);
    ASSERT_EQ(provisionQueue(*servers_, queue_name_, std::chrono::seconds(10)), "");
    reader_ = std::make_unique<QueueReader>(*servers_, queue_name_);
    ASSERT_TRUE(reader_->ok()) << reader_->error();
  }

  std::string lakeUri() const { return "s3://" + servers_->bucket + "/" + lake_->prefix(); }

  std::vector<std::string> env(const std::string& handler, const std::string& domain,
                               const fs::path& config) const {
    auto variables = functionEnvironment(handler, domain, config, dir_.path());
    for (const auto& variable : awsEnvironment(*servers_))
      variables.push_back(variable);
    return variables;
  }

  // The bars' data objects the lake holds (no manifests, no tracker documents, no objects of the
  // corporate-actions table).
  std::vector<std::string> dataObjects() {
    std::vector<std::string> objects;
    for (const auto& key : lakeKeys(lake_->store())) {
      if (key.rfind("_rawfeed/", 0) == 0 || key.find("_batch.manifest.json") != std::string::npos ||
          key.find("/corporate_actions/") != std::string::npos) {
        continue;
      }
      objects.push_back(key);
    }
    return objects;
  }

  contract::TempDir dir_;
  const integration::TestServers* servers_ = nullptr;
  std::unique_ptr<integration::S3Fixture> lake_;
  std::string queue_name_;
  std::unique_ptr<QueueReader> reader_;
};

}  // namespace rawfeed::e2e
