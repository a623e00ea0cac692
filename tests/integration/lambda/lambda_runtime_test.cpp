// `rawfeed lambda` as a process against the project's Runtime API server, with the real handlers
// inside: the orchestrator enqueues, the worker lands an SQS-shaped event in S3 and lists the
// right partial failures, a near deadline cuts a long chunk cleanly, and bad events, a bad
// environment and a bad configuration end in invocation and init errors that say what is wrong.
#include <gtest/gtest.h>

#include <set>

#include "integration/lambda/lambda_support.h"

namespace rawfeed::e2e {
namespace {

TEST(LambdaRuntimeTest, ABadEnvironmentOrConfigurationIsAnInitErrorNamingTheProblem) {
  contract::TempDir dir;
  {
    testing::RuntimeApiServer api;
    api.start();
    auto function =
        startFunction(api, {"LAMBDA_TASK_ROOT=" + dir.path().string()}, dir.path(), "no-env");
    const auto init = api.waitForInitError(kAnswerWithin);
    ASSERT_TRUE(init.has_value()) << function->err() << function->out();
    EXPECT_EQ(init->error_type, "Runtime.ConfigError");
    const auto document = nlohmann::json::parse(init->body);
    EXPECT_EQ(document["errorType"], "Runtime.ConfigError");
    const std::string message = document["errorMessage"];
    EXPECT_NE(message.find("RAWFEED_HANDLER is not set"), std::string::npos) << message;
    EXPECT_NE(message.find("RAWFEED_DOMAIN is not set"), std::string::npos) << message;
    EXPECT_EQ(function->wait(), 2);
    EXPECT_EQ(api.nextCalls(), 0) << "no invocation is taken after a failed init";
  }
  {
    // The binary itself started as `bootstrap` (a custom runtime's entry point) is the function.
    testing::RuntimeApiServer api;
    api.start();
    fs::copy_file(RAWFEED_BIN, dir.path() / "bootstrap");
    auto function = startFunction(api, {"RAWFEED_DOMAIN=customer-data"}, dir.path(), "bootstrap",
                                  (dir.path() / "bootstrap").string());
    const auto init = api.waitForInitError(kAnswerWithin);
    ASSERT_TRUE(init.has_value()) << function->err() << function->out();
    const std::string message = nlohmann::json::parse(init->body)["errorMessage"];
    EXPECT_NE(message.find("RAWFEED_HANDLER is not set"), std::string::npos) << message;
    EXPECT_EQ(message.find("RAWFEED_DOMAIN"), std::string::npos) << message;
    EXPECT_EQ(function->wait(), 2);
  }
  {
    testing::RuntimeApiServer api;
    api.start();
    const fs::path config = writeText(dir.path() / "bad.toml",
                                      "[domains.customer-data]\nsymbols = [\"AAPL\"]\n"
                                      "chunk_sise = 3\n");
    auto function =
        startFunction(api, functionEnvironment("worker", "customer-data", config, dir.path()),
                      dir.path(), "bad-config");
    const auto init = api.waitForInitError(kAnswerWithin);
    ASSERT_TRUE(init.has_value()) << function->err() << function->out();
    const std::string message = nlohmann::json::parse(init->body)["errorMessage"];
    EXPECT_NE(message.find("chunk_sise"), std::string::npos) << message;
    EXPECT_NE(message.find("bad.toml"), std::string::npos) << message;
    EXPECT_EQ(function->wait(), 2);
  }
  {
    testing::RuntimeApiServer api;
    api.start();
    const fs::path config =
        writeText(dir.path() / "local.toml",
                  configText("customer-data", "\"AAPL\"", 5, (dir.path() / "lake").string(),
                             "sqlite", "http://127.0.0.1:9"));
    auto function =
        startFunction(api, functionEnvironment("orchestrator", "customer-data", config, dir.path()),
                      dir.path(), "local-lake");
    const auto init = api.waitForInitError(kAnswerWithin);
    ASSERT_TRUE(init.has_value()) << function->err() << function->out();
    const std::string message = nlohmann::json::parse(init->body)["errorMessage"];
    EXPECT_NE(message.find("in Lambda it must be s3://bucket/prefix"), std::string::npos)
        << message;
    EXPECT_EQ(function->wait(), 2);
  }
}

TEST_F(LambdaAwsTest, OrchestratorEnqueuesAndTheWorkerLandsAnSqsEventWithPartialFailures) {
  testing::ReplayServer replay;
  serveFixture(replay, "AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
  serveFixture(replay, "1301.T", "1301.T_1d_1mo_2024-11.json");
  replay.registry().put("THROTTLED", statusResponse(429, "Too Many Requests\r\n"));
  replay.registry().put("BROKEN", statusResponse(503, "Service Unavailable"));
  replay.start();
  const fs::path config =
      writeText(dir_.path() / "rawfeed.toml",
                configText("customer-data", "\"AAPL\", \"1301.T\", \"THROTTLED\", \"BROKEN\"", 1,
                           lakeUri(), "sqs://" + queue_name_, replay.baseUrl()));

  testing::RuntimeApiServer orchestrator_api;
  orchestrator_api.start();
  auto orchestrator = startFunction(orchestrator_api, env("orchestrator", "customer-data", config),
                                    dir_.path(), "orchestrator");
  // A bad event: an invocation error that names the field, and nothing enqueued.
  const auto bad = orchestrator_api.waitFor(
      orchestrator_api.invoke(R"({"symbols":"AAPL","perid":"5y"})", Clock::now() + kAnswerWithin),
      kAnswerWithin);
  ASSERT_TRUE(bad.has_value()) << orchestrator->err() << orchestrator->out();
  EXPECT_TRUE(bad->error);
  EXPECT_EQ(bad->error_type, "Rawfeed.InvalidEvent");
  const std::string bad_message = parsed(bad)["errorMessage"];
  EXPECT_EQ(bad_message.rfind("not a trigger event: ", 0), 0u) << bad_message;

  // The trigger as an EventBridge event: the orchestration summary comes back.
  const auto started = orchestrator_api.waitFor(
      orchestrator_api.invoke(R"({"version":"0","id":"e-1","detail-type":"Extract Batch Requested",
          "source":"rawfeed.it","account":"000000000000","time":"2024-01-02T06:00:00Z",
          "region":"us-east-1","resources":[],"detail":{"batch_id":"lambda-it-1",
          "batch_ds":"2024-01-02","period":"5y","correlation_id":"corr-lambda"}})",
                              Clock::now() + kAnswerWithin),
      kAnswerWithin);
  ASSERT_TRUE(started.has_value()) << orchestrator->err() << orchestrator->out();
  ASSERT_FALSE(started->error) << started->body;
  const auto summary = parsed(started);
  EXPECT_EQ(summary["batch_id"], "lambda-it-1");
  EXPECT_EQ(summary["batch_ds"], "2024-01-02");
  EXPECT_EQ(summary["published"], 4);
  EXPECT_EQ(summary["chunks"], 4);
  EXPECT_EQ(summary["correlation_id"], "corr-lambda");
  EXPECT_NE(orchestrator->out().find("\"_aws\""), std::string::npos) << "EMF after the invocation";

  // Exactly the four chunk messages are on the queue.
  auto messages = reader_->receive(4, std::chrono::seconds(20), std::chrono::seconds(60));
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_TRUE(reader_->receive(1, std::chrono::seconds(1), std::chrono::seconds(60)).empty());

  testing::RuntimeApiServer worker_api;
  worker_api.start();
  auto worker_env = env("worker", "customer-data", config);
  worker_env.push_back("RAWFEED_DEADLINE_MARGIN_MS=1000");
  auto worker = startFunction(worker_api, worker_env, dir_.path(), "worker");
  const auto malformed =
      worker_api.waitFor(worker_api.invoke(R"({"detail-type":"Scheduled Event","detail":{}})",
                                           Clock::now() + kAnswerWithin),
                         kAnswerWithin);
  ASSERT_TRUE(malformed.has_value()) << worker->err() << worker->out();
  EXPECT_TRUE(malformed->error);
  EXPECT_EQ(parsed(malformed)["errorMessage"], "not an SQS event: no \"Records\" array");

  // A 5 s invocation: the 429s pause the source host beyond the deadline, so the throttled chunk
  // goes back to the queue as a fresh message (its receive not spent). BROKEN (503) fails and
  // comes back after the backoff — unless its retry met the pause too, in which case it went
  // back the same way as the throttled one: either way nothing is lost or dead-lettered.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  const auto id = worker_api.invoke(sqsEvent(messages, queue_name_), deadline);
  const auto reply = worker_api.waitFor(id, kAnswerWithin);
  ASSERT_TRUE(reply.has_value()) << worker->err() << worker->out();
  ASSERT_FALSE(reply->error) << reply->body;
  EXPECT_LE(reply->at, deadline) << "answered within the invocation's time";
  std::set<std::string> failed;
  const auto failures = parsed(reply);  // kept: a range-for over a temporary's member dangles
  for (const auto& item : failures["batchItemFailures"])
    failed.insert(item["itemIdentifier"]);
  EXPECT_FALSE(failed.count(messageFor(messages, "THROTTLED"))) << reply->body;
  EXPECT_LE(failed.size(), 1u) << reply->body;
  if (!failed.empty()) {
    EXPECT_EQ(*failed.begin(), messageFor(messages, "BROKEN")) << reply->body;
  }

  // Exactly the objects of the two good symbols (72, as `rawfeed run` lands them).
  const auto objects = dataObjects();
  EXPECT_EQ(objects.size(), 72u);
  for (const auto& key : objects) {
    EXPECT_EQ(key.rfind("customer-data/prices/interval=1d/data_source=yahoo_finance/", 0), 0u)
        << key;
    EXPECT_TRUE(key.ends_with("/AAPL.json") || key.ends_with("/1301.T.json")) << key;
  }
  EXPECT_EQ(lakeKeys(lake_->store(), "_rawfeed/batches/lambda-it-1/chunks/").size(), 2u)
      << "the two finished chunks recorded, the failed ones not";

  // Both chunks come back: a failed message after the redelivery backoff (2 s), not the 60 s the
  // test's receive hid it for; a requeued one as a new message delayed by the pause, carrying
  // its history and a fresh receive count.
  std::set<std::string> back_symbols;
  std::set<std::string> returned;
  for (int round = 0; round < 3 && back_symbols.size() < 2; ++round) {
    for (const auto& message :
         reader_->receive(2, std::chrono::seconds(15), std::chrono::seconds(60))) {
      const std::string symbol =
          message.body.find("THROTTLED") != std::string::npos ? "THROTTLED" : "BROKEN";
      back_symbols.insert(symbol);
      if (failed.count(message.message_id)) {
        returned.insert(message.message_id);
        EXPECT_EQ(message.receive_count, 2);
      } else {
        EXPECT_NE(message.body.find("\"requeues\":1"), std::string::npos) << message.body;
        EXPECT_EQ(message.receive_count, 1);
      }
    }
  }
  EXPECT_EQ(back_symbols, (std::set<std::string>{"BROKEN", "THROTTLED"}));
  EXPECT_EQ(returned, failed);

  // Logs are JSON lines with the request id; metrics are EMF lines with the /metrics names.
  const std::string out = worker->out();
  EXPECT_NE(out.find("{\"request_id\":\"" + id + "\""), std::string::npos) << out;
  bool emf = false;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const auto document = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(document.is_discarded()) << "not a JSON line: " << line;
    if (!document.contains("_aws") || document.value("request_id", "") != id)
      continue;
    emf = true;
    EXPECT_EQ(document["_aws"]["CloudWatchMetrics"][0]["Namespace"], "rawfeed");
    EXPECT_EQ(document["domain"], "customer-data");
    EXPECT_EQ(document["rawfeed_symbols_total"], 4) << line;
    // Every object the worker wrote: the 72 bars, and apart from them AAPL's two
    // corporate-action objects (its 2020-08-31 split and 2020-11-06 dividend).
    EXPECT_EQ(document["rawfeed_objects_written_total"], 72) << line;
    EXPECT_EQ(document["rawfeed_action_objects_written_total"], 2) << line;
  }
  EXPECT_TRUE(emf) << out;
}

TEST_F(LambdaAwsTest, ANearDeadlineCutsALongChunkCleanly) {
  testing::ReplayServer replay;
  serveFixture(replay, "AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
  serveFixture(replay, "1301.T", "1301.T_1d_1mo_2024-11.json");
  serveFixture(replay, "MSFT", "MSFT_1d_2021-02_2022-01_events_div.json");
  testing::ReplayFaults slow;
  slow.latency = std::chrono::milliseconds(1000);
  replay.setFaults(slow);
  replay.start();
  // One request at a time: the chunk's symbols go one after another, 1 s each.
  const fs::path config =
      writeText(dir_.path() / "rawfeed.toml",
                configText("slow-data", "\"AAPL\", \"1301.T\", \"MSFT\"", 3, lakeUri(),
                           "sqs://" + queue_name_, replay.baseUrl(), "requests_in_flight = 1\n"));
  testing::RuntimeApiServer orchestrator_api;
  orchestrator_api.start();
  auto orchestrator = startFunction(orchestrator_api, env("orchestrator", "slow-data", config),
                                    dir_.path(), "orchestrator");
  const auto started = orchestrator_api.waitFor(
      orchestrator_api.invoke(
          R"({"batch_id":"lambda-it-slow","batch_ds":"2024-01-02","period":"5y"})",
          Clock::now() + kAnswerWithin),
      kAnswerWithin);
  ASSERT_TRUE(started.has_value()) << orchestrator->err();
  ASSERT_EQ(parsed(started)["published"], 1) << started->body;
  auto messages = reader_->receive(1, std::chrono::seconds(20), std::chrono::seconds(60));
  ASSERT_EQ(messages.size(), 1u);

  testing::RuntimeApiServer worker_api;
  worker_api.start();
  auto worker_env = env("worker", "slow-data", config);
  worker_env.push_back("RAWFEED_DEADLINE_MARGIN_MS=1200");
  auto worker = startFunction(worker_api, worker_env, dir_.path(), "worker");
  // Warm the function up first (a cold start is not what is measured): an invocation error.
  ASSERT_TRUE(
      worker_api.waitFor(worker_api.invoke("{}", Clock::now() + kAnswerWithin), kAnswerWithin));

  // 2.5 s: AAPL lands at 1 s, 1301.T starts then (before 1.3 s, when starting stops) and is still
  // in flight at 1.9 s, when the worker stops waiting; MSFT never starts.
  const auto deadline = Clock::now() + std::chrono::milliseconds(2500);
  const auto reply = worker_api.waitFor(
      worker_api.invoke(sqsEvent(messages, queue_name_), deadline), kAnswerWithin);
  ASSERT_TRUE(reply.has_value()) << worker->err() << worker->out();
  ASSERT_FALSE(reply->error) << reply->body;
  EXPECT_LE(reply->at, deadline) << "answered in time";
  EXPECT_EQ(parsed(reply)["batchItemFailures"],
            nlohmann::json::parse("[{\"itemIdentifier\":\"" + messages[0].message_id + "\"}]"));
  EXPECT_TRUE(lakeKeys(lake_->store(), "_rawfeed/batches/lambda-it-slow/chunks/").empty())
      << "nothing recorded for an unfinished chunk";
  // Whatever landed is whole (each object a complete JSON Lines document), and not every symbol
  // landed.
  const auto objects = dataObjects();
  std::set<std::string> symbols;
  for (const auto& key : objects) {
    auto bytes = lake_->store().get(key);
    ASSERT_TRUE(bytes.ok()) << key;
    ASSERT_FALSE(bytes->empty()) << key;
    EXPECT_EQ(bytes->back(), '\n') << key;
    std::istringstream lines(*bytes);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded()) << key;
    }
    symbols.insert(key.substr(key.rfind('/') + 1));
  }
  EXPECT_LT(symbols.size(), 3u) << "the chunk was cut";
  // Which way the cut went depends on the machine's speed; both are clean.
  std::cout << "[ info ] "
            << (worker->out().find("chunk_cut_by_deadline") != std::string::npos
                    ? "a fetch was in flight at the cut: the chunk left unfinished"
                    : "the fetches left could not start in time: failed as transient")
            << "; landed: " << symbols.size() << " symbol(s)\n";
  EXPECT_FALSE(symbols.count("MSFT.json")) << "the last symbol never started";

  // The cut message is released at once, to carry on in another invocation.
  const auto back = reader_->receive(1, std::chrono::seconds(10), std::chrono::seconds(60));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].message_id, messages[0].message_id);

  // And that one, with time enough, finishes the chunk: recorded, the batch complete.
  const auto finished = worker_api.waitFor(
      worker_api.invoke(sqsEvent(back, queue_name_), Clock::now() + std::chrono::seconds(30)),
      kAnswerWithin);
  ASSERT_TRUE(finished.has_value()) << worker->err();
  EXPECT_EQ(finished->body, R"({"batchItemFailures":[]})");
  EXPECT_EQ(lakeKeys(lake_->store(), "_rawfeed/batches/lambda-it-slow/chunks/").size(), 1u);
}

}  // namespace
}  // namespace rawfeed::e2e
