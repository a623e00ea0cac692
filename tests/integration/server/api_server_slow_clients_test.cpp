// Slow and greedy clients over real sockets: a slowloris of 64 connections neither starves
// /healthz and /metrics nor outlives the head deadline, a slow body is cut at the body deadline,
// one address cannot hold more than its connection limit, and a thread is kept for health checks
// while every other one is busy.
#include <condition_variable>
#include <mutex>

#include "integration/server/raw_http.h"
#include "integration/server/server_fixture.h"
#include "integration/server/slowloris.h"

namespace rawfeed::server::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kPromptMs = 2000;  // what "answered promptly" means here

long long msSince(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

std::vector<std::string> sources(int first, int count) {
  std::vector<std::string> addresses;
  for (int i = 0; i < count; ++i) {
    addresses.push_back("127.0.0." + std::to_string(first + i));
  }
  return addresses;
}

struct Timed {
  int status = 0;
  long long ms = 0;
  std::string response;
};

// One GET on a fresh connection from `source`, timed from connect to the whole response.
Timed timedGet(int port, const std::string& target, const char* source = "127.0.0.1") {
  const auto start = Clock::now();
  RawConnection connection(port, source);
  Timed timed;
  if (!connection.connected() ||
      !connection.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
    return timed;
  }
  timed.response = connection.readResponse(kPromptMs + 3000);
  timed.status = statusOf(timed.response);
  timed.ms = msSince(start);
  return timed;
}

// A Service whose statusJson() waits until released, so tests can keep requests in progress.
class GatedService final : public Service {
 public:
  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // Waits until `count` statusJson() calls are blocked at the gate.
  bool waitForBlocked(std::size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return blocked_ >= count; });
  }

  std::vector<std::string> domains() const override { return inner_.domains(); }
  core::Result<std::string> startRun(const std::string& domain, std::string_view trigger,
                                     bool dry_run) override {
    return inner_.startRun(domain, trigger, dry_run);
  }
  core::Result<std::string> acceptEvents(std::string_view body) override {
    return inner_.acceptEvents(body);
  }
  std::string metricsText() override { return inner_.metricsText(); }
  core::Result<std::string> statusJson() override {
    std::unique_lock<std::mutex> lock(mutex_);
    ++blocked_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    lock.unlock();
    return inner_.statusJson();
  }
  core::Result<std::string> timeseriesJson(const std::string& domain) override {
    return inner_.timeseriesJson(domain);
  }
  core::Result<std::string> batchesJson(const std::string& domain, int limit) override {
    return inner_.batchesJson(domain, limit);
  }
  core::Result<std::string> lakeJson(const std::string& domain) override {
    return inner_.lakeJson(domain);
  }
  core::Result<std::string> deadLettersJson(const std::string& domain,
                                            const DeadLetterFilter& filter) override {
    return inner_.deadLettersJson(domain, filter);
  }
  core::Result<std::string> redriveDeadLetters(const std::string& domain,
                                               const DeadLetterFilter& filter,
                                               bool dry_run) override {
    return inner_.redriveDeadLetters(domain, filter, dry_run);
  }

 private:
  FakeService inner_;
  std::mutex mutex_;  // guards open_ and blocked_
  std::condition_variable changed_;
  bool open_ = false;
  std::size_t blocked_ = 0;
};

class SlowClientTest : public ServerTest {
 protected:
  void SetUp() override {}  // each test starts its server with its own limits

  static ApiServerOptions limits() {
    ApiServerOptions options;
    options.bearer_token = kToken;
    options.max_body_bytes = 4096;
    return options;
  }
};

TEST_F(SlowClientTest, SlowlorisOf64NeitherStarvesHealthNorOutlivesTheHeadDeadline) {
  ApiServerOptions options = limits();
  options.request_head_timeout = milliseconds(1500);
  startServer(options);
  const int port = server_->port();

  // 64 connections from 8 addresses (8 each: every address at, not over, its limit), a header
  // byte every 150 ms — far more connections than the server has threads.
  Slowloris slow(port, sources(2, 8), 64, "GET /v1/status HTTP/1.1\r\nHost: x\r\n",
                 milliseconds(150));
  ASSERT_EQ(slow.connected(), 64u);

  // Trickling, and all of them still open...
  std::this_thread::sleep_for(milliseconds(300));
  for (std::size_t i = 0; i < slow.size(); ++i) {
    EXPECT_FALSE(slow.connection(i).closedWithin(0)) << "connection " << i << " closed early";
  }
  // ...while health checks and metrics are answered at once.
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const Timed health = timedGet(port, "/healthz");
    EXPECT_EQ(health.status, 200) << health.response;
    EXPECT_LT(health.ms, kPromptMs);
    const Timed metrics = timedGet(port, "/metrics");
    EXPECT_EQ(metrics.status, 200) << metrics.response;
    EXPECT_LT(metrics.ms, kPromptMs);
    EXPECT_NE(bodyOf(metrics.response).find("rawfeed_queue_visible_messages"), std::string::npos);
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_LT(msSince(slow.openedAt(slow.size() - 1)), 1500)
      << "the checks ran after the head deadline; this machine is too slow for the test";

  // ...and each closed with a 408 once the head deadline has passed, however much it trickled.
  for (std::size_t i = 0; i < slow.size(); ++i) {
    SCOPED_TRACE("connection " + std::to_string(i));
    const auto left = milliseconds(1500 + 1500) - (Clock::now() - slow.openedAt(i));
    EXPECT_TRUE(slow.connection(i).closedWithin(static_cast<int>(
        std::max<long long>(0, std::chrono::duration_cast<milliseconds>(left).count()))));
    // The deadline runs from the accept, a moment after the client's connect returned.
    EXPECT_GE(std::chrono::duration_cast<milliseconds>(Clock::now() - slow.openedAt(i)).count(),
              1500 - 20);
    EXPECT_EQ(statusOf(slow.connection(i).received()), 408) << slow.connection(i).received();
    EXPECT_GT(slow.trickled(i), 3u);
  }
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(SlowClientTest, OneAddressCannotHoldMoreThanItsLimit) {
  ApiServerOptions options = limits();
  options.max_connections_per_client = 4;
  startServer(options);
  const int port = server_->port();

  RawConnection neighbour(port, "127.0.0.3");
  ASSERT_TRUE(neighbour.send("GET /healthz HTTP/1.1\r\n"));
  std::vector<std::unique_ptr<RawConnection>> greedy;
  for (int i = 0; i < 12; ++i) {
    greedy.push_back(std::make_unique<RawConnection>(port, "127.0.0.2"));
    ASSERT_TRUE(greedy.back()->connected());
    ASSERT_TRUE(greedy.back()->send("GET /healthz HTTP/1.1\r\n"));
  }
  // Each newcomer over the limit took the place of the one that had waited longest.
  for (int i = 0; i < 8; ++i) {
    EXPECT_TRUE(greedy[i]->closedWithin(kPromptMs)) << "connection " << i << " is still open";
  }
  for (int i = 8; i < 12; ++i) {
    EXPECT_FALSE(greedy[i]->closedWithin(200)) << "connection " << i << " was closed";
  }
  EXPECT_FALSE(neighbour.closedWithin(0)) << "another address lost its connection";

  // A health check from the same address still gets through, at the oldest one's expense.
  const Timed health = timedGet(port, "/healthz", "127.0.0.2");
  EXPECT_EQ(health.status, 200) << health.response;
  EXPECT_LT(health.ms, kPromptMs);
  EXPECT_TRUE(greedy[8]->closedWithin(kPromptMs));
  EXPECT_FALSE(greedy[9]->closedWithin(0));
}

TEST_F(SlowClientTest, AnAddressWhoseConnectionsAreAllBeingServedIsRefused) {
  GatedService gated;
  ApiServerOptions options = limits();
  options.max_connections_per_client = 2;
  server_ = std::make_unique<ApiServer>(gated, logger_, core::systemClock(), options);
  ASSERT_TRUE(server_->start().ok());
  const int port = server_->port();

  RawConnection first(port, "127.0.0.2");
  RawConnection second(port, "127.0.0.2");
  ASSERT_TRUE(first.send("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(second.send("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(gated.waitForBlocked(2));

  // Neither of them waits on its client, so there is none to replace: the third is refused.
  RawConnection third(port, "127.0.0.2");
  EXPECT_TRUE(third.closedWithin(kPromptMs));
  EXPECT_EQ(statusOf(third.received()), 429) << third.received();
  // Another address is not affected.
  EXPECT_EQ(timedGet(port, "/healthz", "127.0.0.3").status, 200);

  gated.release();
  EXPECT_EQ(statusOf(first.readResponse()), 200);
  EXPECT_EQ(statusOf(second.readResponse()), 200);
  bool logged = false;
  for (const std::string& line : logger_.lines()) {
    logged = logged || (line.find("http_connection_refused") != std::string::npos &&
                        line.find("client_connection_limit") != std::string::npos);
  }
  EXPECT_TRUE(logged);
  server_->stop();
}

TEST_F(SlowClientTest, HealthAndMetricsAnswerWhileEveryWorkerIsBusy) {
  GatedService gated;
  ApiServerOptions options = limits();
  options.threads = 2;
  server_ = std::make_unique<ApiServer>(gated, logger_, core::systemClock(), options);
  ASSERT_TRUE(server_->start().ok());
  const int port = server_->port();

  RawConnection first(port, "127.0.0.2");
  RawConnection second(port, "127.0.0.3");
  ASSERT_TRUE(first.send("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(second.send("GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(gated.waitForBlocked(2));

  const Timed health = timedGet(port, "/healthz");
  EXPECT_EQ(health.status, 200) << health.response;
  EXPECT_LT(health.ms, kPromptMs);
  const Timed metrics = timedGet(port, "/metrics");
  EXPECT_EQ(metrics.status, 200) << metrics.response;
  EXPECT_LT(metrics.ms, kPromptMs);
  // Other requests wait for a general thread.
  RawConnection queued(port, "127.0.0.4");
  ASSERT_TRUE(queued.send("GET /v1/domains/customer-data/lake HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(queued.readResponse(300), "");

  gated.release();
  EXPECT_EQ(statusOf(first.readResponse()), 200);
  EXPECT_EQ(statusOf(second.readResponse()), 200);
  EXPECT_EQ(statusOf(queued.readResponse()), 200);
  server_->stop();
}

TEST_F(SlowClientTest, ASlowBodyIsCutAtTheBodyDeadline) {
  ApiServerOptions options = limits();
  options.request_body_timeout = milliseconds(1000);
  startServer(options);

  RawConnection connection(server_->port());
  const auto start = Clock::now();
  ASSERT_TRUE(connection.send(std::string("POST /v1/events HTTP/1.1\r\nHost: x\r\n") +
                              "Authorization: Bearer " + kToken +
                              "\r\nContent-Length: 100\r\n\r\n{\"a\":"));
  std::thread trickle([&] {
    for (int i = 0; i < 30 && connection.send(" "); ++i) {
      std::this_thread::sleep_for(milliseconds(100));
    }
  });
  EXPECT_TRUE(connection.closedWithin(2500));
  const long long elapsed = msSince(start);
  trickle.join();
  EXPECT_GE(elapsed, 1000);
  EXPECT_EQ(statusOf(connection.received()), 408) << connection.received();
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(SlowClientTest, APostWithoutLengthHasAnEmptyBodyInsteadOfWaitingForTheClose) {
  startServer(limits());
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.send(std::string("POST /v1/events HTTP/1.1\r\nHost: x\r\n") +
                              "Authorization: Bearer " + kToken + "\r\n\r\n"));
  const std::string response = connection.readResponse(kPromptMs);
  EXPECT_EQ(statusOf(response), 400) << response;
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(SlowClientTest, PipelinedRequestsAreAnsweredInOrder) {
  startServer(limits());
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.send(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(statusOf(connection.readResponse()), 200);
  EXPECT_EQ(statusOf(connection.readResponse()), 404);
}

TEST_F(SlowClientTest, AmbiguousBodyFramingIsRefusedAndTheConnectionClosed) {
  startServer(limits());
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.send(
      "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(connection.closedWithin(kPromptMs));
  EXPECT_EQ(statusOf(connection.received()), 400) << connection.received();
  EXPECT_EQ(connection.received().find("HTTP/1.1 200"), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::server::testing
