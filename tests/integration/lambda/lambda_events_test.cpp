// The Lambda worker with a real completion-event sink (RAWFEED_EVENTS=sqs://<a queue of the
// test's> on fauxqs, or eventbridge://<a bus> on moto, as the stack sets it): a batch the
// invocation completes sends exactly one event with its batch_id; an event the sink refuses (its
// queue missing) waits in the lake's outbox and the next invocation delivers it. Each function
// process talks to AWS through a verifying proxy of its own, whose log names every operation it
// performed: these must be operations deploy::handlerOperations lists as the handler code's for
// that handler and config, so the least-privilege role the stack writes from the registry provably
// covers what the code does.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "aws/api_operations.h"
#include "deploy/handler_operations.h"
#include "integration/events/moto_event_route.h"
#include "integration/lambda/lambda_support.h"

namespace rawfeed::e2e {
namespace {

// The composition `rawfeed lambda` makes of this test's config: lake and tracker on S3, the chunk
// queue and the event queue by name (GetQueueUrl), the SQS event sink.
deploy::HandlerSetup lambdaSetup(
    deploy::HandlerSetup::Events events = deploy::HandlerSetup::Events::kSqs) {
  deploy::HandlerSetup setup;
  setup.lake_on_s3 = true;
  setup.tracker_in_lake = true;
  setup.conditional_create = deploy::ConditionalCreateMode::kAuto;
  setup.queue_named = true;
  setup.events = events;
  setup.event_queue_named = events == deploy::HandlerSetup::Events::kSqs;
  return setup;
}

// "service:Operation" of every request in a proxy's log (accepted, refused or faulted alike: the
// code made it either way), with how often.
std::map<std::string, int> operationsLogged(const std::string& log) {
  std::map<std::string, int> operations;
  const std::regex request(" service=([a-z0-9-]+) op=([A-Za-z0-9]+)");
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, request))
      ++operations[match[1].str() + ":" + match[2].str()];
  }
  return operations;
}

// The operations of `logged` that the registry does not list as the handler code's own.
std::vector<std::string> notInRegistry(const std::map<std::string, int>& logged,
                                       deploy::Handler handler, const deploy::HandlerSetup& setup) {
  std::set<std::string> listed;
  for (const auto& use : deploy::handlerOperations(handler, setup)) {
    if (use.performer == deploy::Performer::kHandlerCode) {
      listed.insert(std::string(use.operation.service) + ":" + std::string(use.operation.name));
    }
  }
  std::vector<std::string> missing;
  for (const auto& [operation, count] : logged) {
    if (!listed.count(operation))
      missing.push_back(operation + " (x" + std::to_string(count) + ")");
  }
  return missing;
}

// The paths of the log's S3 DeleteObject requests: the one action the roles narrow below the
// lake's prefix (the probe's objects, the outbox's pending events).
std::vector<std::string> deletedPaths(const std::string& log) {
  std::vector<std::string> paths;
  const std::regex request(" DELETE (\\S+) service=s3 op=DeleteObject");
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, request))
      paths.push_back(match[1].str());
  }
  return paths;
}

std::string described(const std::map<std::string, int>& operations) {
  std::string text;
  for (const auto& [operation, count] : operations)
    text += fmt::format("{}{} x{}", text.empty() ? "" : ", ", operation, count);
  return text;
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items)
    text += (text.empty() ? "" : ", ") + item;
  return text;
}

class LambdaEventsTest : public LambdaAwsTest {
 protected:
  void SetUp() override {
    LambdaAwsTest::SetUp();
    if (HasFatalFailure())
      return;
    events_queue_ = queue_name_ + "-events";
    events_uri_ = "sqs://" + events_queue_;
    serveFixture(replay_, "AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
    serveFixture(replay_, "1301.T", "1301.T_1d_1mo_2024-11.json");
    replay_.start();
    config_ = writeText(dir_.path() / "rawfeed.toml",
                        configText("customer-data", "\"AAPL\", \"1301.T\"", 1, lakeUri(),
                                   "sqs://" + queue_name_, replay_.baseUrl()));
    orchestrator_proxy_ = ownProxy("orchestrator-proxy");
    worker_proxy_ = ownProxy("worker-proxy");
  }

  std::unique_ptr<OwnProxy> ownProxy(const std::string& name,
                                     const integration::S3Server* server = nullptr,
                                     const std::vector<std::string>& options = {}) {
    const auto directory = dir_.path() / name;
    fs::create_directories(directory);
    auto proxy = std::make_unique<OwnProxy>(server ? *server : servers_->fauxqs, servers_->region,
                                            options, directory);
    EXPECT_TRUE(proxy->ok()) << proxy->error();
    return proxy;
  }

  // The function's variables as the stack sets them, with AWS reached through `proxy` alone.
  std::vector<std::string> functionEnv(const std::string& handler, const OwnProxy& proxy) const {
    auto variables = env(handler, "customer-data", config_);
    for (auto& variable : variables) {
      if (variable.rfind("AWS_ENDPOINT_URL=", 0) == 0)
        variable = "AWS_ENDPOINT_URL=" + proxy.url();
    }
    if (handler == "worker") {
      variables.push_back("RAWFEED_EVENTS=" + events_uri_);
      for (const auto& variable : extra_worker_env_)
        variables.push_back(variable);
      variables.push_back("RAWFEED_DEADLINE_MARGIN_MS=1000");
    }
    return variables;
  }

  // The orchestrator's batch on the queue, received by the test as Lambda's poller would.
  std::vector<queue::ReceivedMessage> orchestrate(const std::string& batch_id) {
    testing::RuntimeApiServer api;
    api.start();
    auto function = startFunction(api, functionEnv("orchestrator", *orchestrator_proxy_),
                                  dir_.path(), "orchestrator");
    const auto started = api.waitFor(
        api.invoke(R"({"batch_id":")" + batch_id + R"(","batch_ds":"2024-01-02","period":"5y"})",
                   Clock::now() + kAnswerWithin),
        kAnswerWithin);
    EXPECT_TRUE(started.has_value()) << function->err() << function->out();
    if (!started)
      return {};
    EXPECT_EQ(parsed(started)["published"], 2) << started->body;
    return reader_->receive(2, std::chrono::seconds(20), std::chrono::seconds(60));
  }

  // The pending events of the lake outbox (_rawfeed/events/{sink}/pending/).
  std::vector<std::string> pendingEvents() {
    std::vector<std::string> pending;
    for (const auto& key : lakeKeys(lake_->store(), "_rawfeed/events/")) {
      if (key.find("/pending/") != std::string::npos)
        pending.push_back(key);
    }
    return pending;
  }

  // What the handler's process performed, checked against the registry; prints the set.
  void expectOperationsInRegistry(deploy::Handler handler, const std::string& log,
                                  const deploy::HandlerSetup& setup = lambdaSetup()) {
    const auto logged = operationsLogged(log);
    std::cout << "[ info ] " << deploy::handlerName(handler) << " performed: " << described(logged)
              << "\n";
    EXPECT_FALSE(logged.empty()) << "the proxy logged nothing: " << log;
    const auto missing = notInRegistry(logged, handler, setup);
    EXPECT_TRUE(missing.empty()) << deploy::handlerName(handler)
                                 << " performed what deploy::handlerOperations does not list (the "
                                    "deployed role would refuse it): "
                                 << joined(missing);
  }

  testing::ReplayServer replay_;
  fs::path config_;
  std::string events_queue_;
  std::string events_uri_;                     // the worker's RAWFEED_EVENTS
  std::vector<std::string> extra_worker_env_;  // e.g. AWS_ENDPOINT_URL_EVENTS
  std::unique_ptr<OwnProxy> orchestrator_proxy_;
  std::unique_ptr<OwnProxy> worker_proxy_;
};

TEST_F(LambdaEventsTest, ACompletedBatchSendsExactlyOneEventAndEveryCallIsInTheRegistry) {
  ASSERT_EQ(provisionQueue(*servers_, events_queue_, std::chrono::seconds(10)), "");
  QueueReader events(*servers_, events_queue_);
  ASSERT_TRUE(events.ok()) << events.error();
  auto messages = orchestrate("lambda-events-1");
  ASSERT_EQ(messages.size(), 2u);

  testing::RuntimeApiServer api;
  api.start();
  auto worker = startFunction(api, functionEnv("worker", *worker_proxy_), dir_.path(), "worker");
  const auto reply = api.waitFor(
      api.invoke(sqsEvent(messages, queue_name_), Clock::now() + kAnswerWithin), kAnswerWithin);
  ASSERT_TRUE(reply.has_value()) << worker->err() << worker->out();
  ASSERT_FALSE(reply->error) << reply->body;
  EXPECT_EQ(reply->body, R"({"batchItemFailures":[]})");

  // Exactly one completion event, the batch's, as the message body.
  const auto delivered = events.receive(2, std::chrono::seconds(5), std::chrono::seconds(60));
  ASSERT_EQ(delivered.size(), 1u) << worker->out();
  const auto event = nlohmann::json::parse(delivered[0].body, nullptr, false);
  ASSERT_FALSE(event.is_discarded()) << delivered[0].body;
  EXPECT_EQ(event["detail-type"], "Extract Batch Completed") << delivered[0].body;
  EXPECT_EQ(event["detail"]["batch_id"], "lambda-events-1") << delivered[0].body;
  EXPECT_EQ(event["detail"]["domain"], "customer-data") << delivered[0].body;
  EXPECT_TRUE(pendingEvents().empty()) << "a delivered event leaves the outbox's pending/";

  // Registry vs reality: every request of each process is one its role is granted.
  expectOperationsInRegistry(deploy::Handler::kOrchestrator, orchestrator_proxy_->log());
  const std::string worker_log = worker_proxy_->log();
  expectOperationsInRegistry(deploy::Handler::kWorker, worker_log);
  const auto worker_operations = operationsLogged(worker_log);
  EXPECT_TRUE(worker_operations.count("sqs:SendMessage")) << "the event went through this proxy";
  EXPECT_TRUE(worker_operations.count("s3:PutObject"));
  EXPECT_FALSE(worker_operations.count("sqs:SendMessageBatch")) << "a worker never enqueues";
  EXPECT_FALSE(worker_operations.count("sqs:ReceiveMessage"))
      << "receiving is Lambda's poller's, not the handler's";
  EXPECT_TRUE(operationsLogged(orchestrator_proxy_->log()).count("sqs:SendMessageBatch"));
  for (const auto& path : deletedPaths(worker_log)) {
    const bool probe = path.find("/_rawfeed/probes/conditional-create-") != std::string::npos;
    const bool pending = path.find("/_rawfeed/events/") != std::string::npos &&
                         path.find("/pending/") != std::string::npos;
    EXPECT_TRUE(probe || pending) << "a delete outside what the role allows: " << path;
  }
  EXPECT_FALSE(deletedPaths(worker_log).empty());

  // The check bites: the same requests against a registry without the event sink are refused.
  auto without_sink = lambdaSetup();
  without_sink.events = deploy::HandlerSetup::Events::kNone;
  EXPECT_EQ(notInRegistry(worker_operations, deploy::Handler::kWorker, without_sink),
            (std::vector<std::string>{"sqs:SendMessage (x1)"}));
}

TEST_F(LambdaEventsTest, AnEventTheSinkRefusedWaitsInTheLakeAndTheNextInvocationDeliversIt) {
  auto messages = orchestrate("lambda-events-2");
  ASSERT_EQ(messages.size(), 2u);

  testing::RuntimeApiServer api;
  api.start();
  auto worker = startFunction(api, functionEnv("worker", *worker_proxy_), dir_.path(), "worker");
  // The event queue does not exist yet: the batch completes, its event is durable in the lake,
  // and neither chunk message has to come back for it.
  const auto reply = api.waitFor(
      api.invoke(sqsEvent(messages, queue_name_), Clock::now() + kAnswerWithin), kAnswerWithin);
  ASSERT_TRUE(reply.has_value()) << worker->err() << worker->out();
  ASSERT_FALSE(reply->error) << reply->body;
  EXPECT_EQ(reply->body, R"({"batchItemFailures":[]})");
  const auto pending = pendingEvents();
  ASSERT_EQ(pending.size(), 1u) << worker->out();
  EXPECT_NE(pending[0].find("lambda-events-2"), std::string::npos) << pending[0];
  EXPECT_NE(worker->out().find(events_queue_), std::string::npos)
      << "the refusal is logged naming the queue: " << worker->out();

  // The queue appears; the next invocation, of the next batch, sends that batch's event and
  // delivers the waiting one: each exactly once.
  ASSERT_EQ(provisionQueue(*servers_, events_queue_, std::chrono::seconds(10)), "");
  QueueReader events(*servers_, events_queue_);
  ASSERT_TRUE(events.ok()) << events.error();
  auto next_messages = orchestrate("lambda-events-3");
  ASSERT_EQ(next_messages.size(), 2u);
  const auto next =
      api.waitFor(api.invoke(sqsEvent(next_messages, queue_name_), Clock::now() + kAnswerWithin),
                  kAnswerWithin);
  ASSERT_TRUE(next.has_value()) << worker->err() << worker->out();
  EXPECT_EQ(next->body, R"({"batchItemFailures":[]})");
  const auto delivered = events.receive(3, std::chrono::seconds(5), std::chrono::seconds(60));
  std::multiset<std::string> batches;
  for (const auto& message : delivered)
    batches.insert(nlohmann::json::parse(message.body)["detail"]["batch_id"].get<std::string>());
  EXPECT_EQ(batches, (std::multiset<std::string>{"lambda-events-2", "lambda-events-3"}))
      << worker->out();
  EXPECT_TRUE(pendingEvents().empty()) << worker->out();

  // The refused GetQueueUrl and the later pass are requests the role must allow too.
  const std::string worker_log = worker_proxy_->log();
  expectOperationsInRegistry(deploy::Handler::kWorker, worker_log);
  EXPECT_GE(operationsLogged(worker_log)["sqs:GetQueueUrl"], 2)
      << "the event queue looked up again after it was missing";
}

// EventBridge on moto (bus -> rule -> queue, read with the AWS CLI): the Transform stage's
// subscription gets the batch's event once, and the worker's PutEvents (through a verifying
// proxy of its own in front of moto, for service "events") is in the registry too.
TEST_F(LambdaEventsTest, OnEventBridgeTheRulesTargetGetsExactlyOneEventAndPutEventsIsListed) {
  const std::string bus = "lambda-" + events_queue_;
  const auto route = events_it::createRoute(*servers_, bus, dir_.path());
  const auto events_proxy = ownProxy("events-proxy", &servers_->moto, {"--services", "events"});
  ASSERT_TRUE(events_proxy->ok()) << events_proxy->error();
  events_uri_ = "eventbridge://" + bus;
  extra_worker_env_ = {"AWS_ENDPOINT_URL_EVENTS=" + events_proxy->url()};
  auto messages = orchestrate("lambda-events-eb");
  ASSERT_EQ(messages.size(), 2u);

  testing::RuntimeApiServer api;
  api.start();
  auto worker = startFunction(api, functionEnv("worker", *worker_proxy_), dir_.path(), "worker");
  const auto reply = api.waitFor(
      api.invoke(sqsEvent(messages, queue_name_), Clock::now() + kAnswerWithin), kAnswerWithin);
  ASSERT_TRUE(reply.has_value()) << worker->err() << worker->out();
  EXPECT_EQ(reply->body, R"({"batchItemFailures":[]})");

  const auto received = events_it::drainQueue(*servers_, route.queue_url, dir_.path());
  ASSERT_EQ(received.size(), 1u) << worker->out();
  EXPECT_EQ(received[0]["source"], "rawfeed");
  EXPECT_EQ(received[0]["detail-type"], "Extract Batch Completed");
  EXPECT_EQ(received[0]["detail"]["batch_id"], "lambda-events-eb") << received[0].dump();
  EXPECT_TRUE(pendingEvents().empty());

  const auto setup = lambdaSetup(deploy::HandlerSetup::Events::kEventBridge);
  expectOperationsInRegistry(deploy::Handler::kWorker, worker_proxy_->log(), setup);
  const std::string events_log = events_proxy->log();
  expectOperationsInRegistry(deploy::Handler::kWorker, events_log, setup);
  EXPECT_EQ(operationsLogged(events_log), (std::map<std::string, int>{{"events:PutEvents", 1}}))
      << events_log;
}

}  // namespace
}  // namespace rawfeed::e2e
