#include "http/curl/curl_http_client.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <iostream>
#include <string>
#include <thread>

#include "integration/http/results.h"
#include "support/replay_server.h"
#include "support/sanitized.h"
#include "support/yahoo_fixtures.h"

namespace rawfeed::http::curl {
namespace {

using std::chrono::milliseconds;
using testing::FaultKind;
using testing::ReplayFaults;
using testing::ReplayResponse;
using testing::ReplayServer;
using testing::Results;

constexpr const char* kTemplateFixture = "AAPL_1d_2020_full_year_div_split_4for1.json";

std::string templateBody() {
  return testing::loadYahooFixture(testing::yahooFixtureDir() / kTemplateFixture).at(0).body;
}

HttpRequest get(const std::string& url, milliseconds timeout = milliseconds(5000)) {
  HttpRequest request;
  request.url = url;
  request.timeout = timeout;
  return request;
}

double secondsSince(core::SteadyTime start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class CurlHttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::yahooFixturesPresent());
    server_.registry().setTemplate(templateBody());
    server_.start();
  }

  // Declared first, destroyed last: the client closes its connections before the server stops.
  ReplayServer server_;
};

TEST_F(CurlHttpClientTest, ReturnsStatusBodyAndLowerCasedHeaders) {
  server_.registry().put("TINY", ReplayResponse{200,
                                                {{"content-type", "application/json;charset=utf-8"},
                                                 {"X-Custom-Header", "yes"}},
                                                R"({"chart":{}})"});
  CurlHttpClient client;
  auto result = client.perform(get(server_.chartUrl("TINY", "?interval=1d")));
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, R"({"chart":{}})");
  EXPECT_EQ(result->header("content-type"), "application/json;charset=utf-8");
  bool found = false;
  for (const auto& [name, value] : result->headers) {
    EXPECT_EQ(name, [&] {
      std::string lower = name;
      for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      return lower;
    }());
    found = found || (name == "x-custom-header" && value == "yes");
  }
  EXPECT_TRUE(found);
  EXPECT_GT(result->seconds, 0.0);
}

TEST_F(CurlHttpClientTest, DecodesGzipBodies) {
  CurlHttpClient client;
  auto result = client.perform(get(server_.chartUrl("^GSPC")));
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->header("content-encoding"), "gzip");
  EXPECT_EQ(result->body, testing::substituteSymbol(templateBody(), "^GSPC"));
  EXPECT_EQ(server_.requestsFor("^GSPC"), 1u);  // the symbol arrived percent-decoded
}

TEST_F(CurlHttpClientTest, UnknownSymbolIsA404Response) {
  ReplayServer bare;
  bare.start();
  CurlHttpClient client;
  auto result = client.perform(get(bare.chartUrl("NOPE")));
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result->status, 404);
  EXPECT_NE(result->body.find("No data found, symbol may be delisted"), std::string::npos);
}

TEST_F(CurlHttpClientTest, RateLimitIsAResponseWithYahoosBody) {
  ReplayFaults faults;
  faults.fail_first = 1;
  faults.fail_first_kind = FaultKind::k429;
  faults.retry_after_seconds = 7;
  server_.setFaults(faults);
  CurlHttpClient client;
  auto limited = client.perform(get(server_.chartUrl("AAPL")));
  ASSERT_TRUE(limited.ok()) << limited.error().describe();
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->body, "Too Many Requests\r\n");
  EXPECT_EQ(limited->header("content-type"), "text/html");
  EXPECT_EQ(limited->header("retry-after"), "7");
  auto second = client.perform(get(server_.chartUrl("AAPL")));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 200);
}

TEST_F(CurlHttpClientTest, ServerErrorsAreResponses) {
  for (auto [kind, status] : {std::pair{FaultKind::k500, 500}, std::pair{FaultKind::k503, 503}}) {
    ReplayFaults faults;
    faults.fail_first = 1;
    faults.fail_first_kind = kind;
    server_.setFaults(faults);
    CurlHttpClient client;
    auto result = client.perform(get(server_.chartUrl("AAPL")));
    ASSERT_TRUE(result.ok()) << result.error().describe();
    EXPECT_EQ(result->status, status);
  }
}

TEST_F(CurlHttpClientTest, ResetIsTransient) {
  ReplayFaults faults;
  faults.fail_first = 1;
  faults.fail_first_kind = FaultKind::kReset;
  server_.setFaults(faults);
  CurlHttpClient client;
  auto result = client.perform(get(server_.chartUrl("AAPL", "?crumb=secret")));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, core::ErrorCode::kTransient) << result.error().describe();
  EXPECT_NE(result.error().message.find(server_.chartUrl("AAPL")), std::string::npos);
  EXPECT_EQ(result.error().message.find("secret"), std::string::npos);
  EXPECT_EQ(server_.requestsFor("AAPL"), 1u);
}

TEST_F(CurlHttpClientTest, HangTimesOutAsTransientWithinTheTimeout) {
  ReplayFaults faults;
  faults.fail_first = 1;
  faults.fail_first_kind = FaultKind::kHang;
  faults.hang = std::chrono::seconds(30);
  server_.setFaults(faults);
  CurlHttpClient client;
  const auto start = std::chrono::steady_clock::now();
  auto result = client.perform(get(server_.chartUrl("AAPL"), milliseconds(300)));
  const double elapsed = secondsSince(start);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, core::ErrorCode::kTransient);
  EXPECT_NE(result.error().message.find("Timeout"), std::string::npos) << result.error().message;
  EXPECT_GE(elapsed, 0.29);
  EXPECT_LT(elapsed, testing::kSanitized ? 5.0 : 1.5);
}

TEST_F(CurlHttpClientTest, ConnectFailureIsTransient) {
  std::string url;
  {
    ReplayServer gone;
    gone.start();
    url = gone.chartUrl("AAPL");
  }
  CurlHttpClient client;
  auto result = client.perform(get(url));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, core::ErrorCode::kTransient) << result.error().describe();
}

TEST_F(CurlHttpClientTest, MalformedUrlIsInvalidInput) {
  CurlHttpClient client;
  for (const char* url : {"nonsense", "ftp://127.0.0.1/x", "http:///nohost", "http://h:99999/"}) {
    auto result = client.perform(get(url));
    ASSERT_FALSE(result.ok()) << url;
    EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput) << url;
  }
}

TEST_F(CurlHttpClientTest, NotBeforeDelaysTheStartWithoutBlockingOthers) {
  CurlHttpClient client;
  Results results(2);
  // The undelayed request must finish within the delay, the delayed one within the slack after
  // it: under a sanitizer, both allow for the instrumentation's cost.
  const milliseconds delay(testing::kSanitized ? 3000 : 300);
  const milliseconds slack(testing::kSanitized ? 5000 : 1000);
  const auto not_before = std::chrono::steady_clock::now() + delay;
  HttpRequest delayed = get(server_.chartUrl("LATER"));
  delayed.not_before = not_before;
  client.send(delayed, results.callback(0));
  client.send(get(server_.chartUrl("NOW")), results.callback(1));
  ASSERT_TRUE(results.waitAll());
  ASSERT_TRUE(results.at(0).ok());
  ASSERT_TRUE(results.at(1).ok());
  EXPECT_GE(results.timeOf(0), not_before);
  EXPECT_LT(results.timeOf(1), not_before);
  EXPECT_LT(results.timeOf(0), not_before + slack);
  EXPECT_TRUE(results.eachCalledOnce());
}

// One slot, 300 ms a request: the first starts, the second waits for the slot past its start_by
// and fails without reaching the server; a third without start_by still runs; the running one is
// never cut.
TEST_F(CurlHttpClientTest, StartByCancelsARequestStillWaitingForItsSlot) {
  ReplayFaults faults;
  faults.latency = milliseconds(300);
  server_.setFaults(faults);
  CurlHttpClientOptions options;
  options.max_in_flight_per_host = 1;
  CurlHttpClient client(options);
  Results results(3);
  const auto start_by = std::chrono::steady_clock::now() + milliseconds(100);
  HttpRequest first = get(server_.chartUrl("FIRST"));
  first.start_by = start_by;
  client.send(first, results.callback(0));
  HttpRequest late = get(server_.chartUrl("LATE"));
  late.start_by = start_by;
  client.send(late, results.callback(1));
  client.send(get(server_.chartUrl("PATIENT")), results.callback(2));
  ASSERT_TRUE(results.waitAll());
  ASSERT_TRUE(results.at(0).ok()) << results.at(0).error().describe();
  EXPECT_EQ(results.at(0)->status, 200);
  ASSERT_FALSE(results.at(1).ok());
  EXPECT_EQ(results.at(1).error().code, core::ErrorCode::kCancelled);
  EXPECT_NE(results.at(1).error().message.find("not started before its deadline"),
            std::string::npos)
      << results.at(1).error().message;
  ASSERT_TRUE(results.at(2).ok());
  EXPECT_EQ(server_.requestsFor("LATE"), 0u);
  EXPECT_EQ(server_.requestsFor("PATIENT"), 1u);
  EXPECT_TRUE(results.eachCalledOnce());
}

// 640 requests, 64 at a time, 50 ms each: ten waves, about half a second.
TEST_F(CurlHttpClientTest, PerHostLimitIsReachedAndRespected) {
  ReplayFaults faults;
  faults.latency = milliseconds(50);
  server_.setFaults(faults);
  CurlHttpClientOptions options;
  options.max_in_flight_per_host = 64;
  CurlHttpClient client(options);
  constexpr std::size_t kCount = 640;
  Results results(kCount);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < kCount; ++i) {
    // Appended, not "S" + to_string(): GCC 12 reports a false -Wrestrict on the latter.
    std::string symbol = "S";
    symbol += std::to_string(i % 100);
    client.send(get(server_.chartUrl(symbol)), results.callback(i));
  }
  ASSERT_TRUE(results.waitAll());
  const double elapsed = secondsSince(start);
  for (std::size_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(results.at(i).ok()) << results.at(i).error().describe();
    EXPECT_EQ(results.at(i)->status, 200);
  }
  EXPECT_TRUE(results.eachCalledOnce());
  EXPECT_EQ(server_.counters().max_concurrent, 64u);
  EXPECT_LE(server_.counters().connections, 64u);  // keep-alive: connections are reused
  // 0.5 s at best (10 rounds of 50 ms); TSan's instrumentation alone has taken 4.1 s on 2 cores.
  EXPECT_LT(elapsed, testing::kSanitized ? 15.0 : 3.0);
  std::cout << "[ info ] 640 requests, 64 in flight, 50 ms latency: " << elapsed << " s\n";
  const auto stats = client.stats();
  EXPECT_EQ(stats.submitted, kCount);
  EXPECT_EQ(stats.completed, kCount);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.in_flight, 0u);
  EXPECT_EQ(stats.queued, 0u);
}

TEST_F(CurlHttpClientTest, SmallLimitIsNeverExceeded) {
  ReplayFaults faults;
  faults.latency = milliseconds(10);
  server_.setFaults(faults);
  CurlHttpClientOptions options;
  options.max_in_flight_per_host = 3;
  CurlHttpClient client(options);
  Results results(30);
  for (std::size_t i = 0; i < 30; ++i) {
    client.send(get(server_.chartUrl("S")), results.callback(i));
  }
  ASSERT_TRUE(results.waitAll());
  EXPECT_EQ(server_.counters().max_concurrent, 3u);
  EXPECT_LE(server_.counters().connections, 3u);
}

TEST_F(CurlHttpClientTest, StopCancelsEverythingPendingExactlyOnce) {
  ReplayFaults faults;
  faults.latency = std::chrono::seconds(10);
  server_.setFaults(faults);
  CurlHttpClientOptions options;
  options.max_in_flight_per_host = 2;
  CurlHttpClient client(options);
  constexpr std::size_t kCount = 10;
  Results results(kCount + 1);
  for (std::size_t i = 0; i < kCount; ++i) {
    client.send(get(server_.chartUrl("S"), std::chrono::seconds(60)), results.callback(i));
  }
  HttpRequest delayed = get(server_.chartUrl("S"));
  delayed.not_before = std::chrono::steady_clock::now() + std::chrono::hours(1);
  client.send(delayed, results.callback(kCount));

  const auto start = std::chrono::steady_clock::now();
  client.stop();
  client.stop();  // idempotent
  EXPECT_LT(secondsSince(start), 2.0);
  ASSERT_TRUE(results.waitAll(milliseconds(1)));  // all done by the time stop() returned
  for (std::size_t i = 0; i <= kCount; ++i) {
    ASSERT_FALSE(results.at(i).ok());
    EXPECT_EQ(results.at(i).error().code, core::ErrorCode::kCancelled);
  }
  EXPECT_TRUE(results.eachCalledOnce());

  auto late = client.perform(get(server_.chartUrl("S")));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, core::ErrorCode::kCancelled);
}

TEST_F(CurlHttpClientTest, DestructorCancelsPending) {
  ReplayFaults faults;
  faults.latency = std::chrono::seconds(10);
  server_.setFaults(faults);
  Results results(5);
  {
    CurlHttpClient client;
    for (std::size_t i = 0; i < 5; ++i) {
      client.send(get(server_.chartUrl("S"), std::chrono::seconds(60)), results.callback(i));
    }
  }
  ASSERT_TRUE(results.waitAll(milliseconds(1)));
  EXPECT_TRUE(results.eachCalledOnce());
  EXPECT_EQ(results.at(0).error().code, core::ErrorCode::kCancelled);
}

TEST_F(CurlHttpClientTest, SendFromManyThreadsAndFromCallbacks) {
  CurlHttpClient client;
  constexpr std::size_t kThreads = 4;
  constexpr std::size_t kPerThread = 100;
  Results results(kThreads * kPerThread * 2);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < kPerThread; ++i) {
        const std::size_t id = (t * kPerThread + i) * 2;
        auto follow_up = results.callback(id + 1);
        auto first = results.callback(id);
        // A callback that sends again: the loop thread must accept work from itself.
        client.send(get(server_.chartUrl("T")), [&, first, follow_up](auto result) mutable {
          first(std::move(result));
          client.send(get(server_.chartUrl("U")), follow_up);
        });
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  ASSERT_TRUE(results.waitAll());
  EXPECT_TRUE(results.eachCalledOnce());
  EXPECT_EQ(server_.requestsFor("T"), kThreads * kPerThread);
  EXPECT_EQ(server_.requestsFor("U"), kThreads * kPerThread);
}

// Not a benchmark, a floor: the client must not be the bottleneck against a local server.
// A server that answers each connection's one request with keep-alive and then drops the
// connection while the client holds it in its cache: with a FIN, or with a reset (RST, which
// epoll reports as a hang-up even on a socket nobody watches). One connection at a time.
class DroppingServer {
 public:
  explicit DroppingServer(bool reset) : reset_(reset) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~DroppingServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);  // ends the accept()
    if (thread_.joinable())
      thread_.join();
    ::close(listen_fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/ok"; }
  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  // Connections the server has closed: once it says so, none of its descriptors is in use but
  // the listening one (a test that looks at every descriptor waits for that).
  int closed() const { return closed_.load(); }

 private:
  void serve() {
    for (;;) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0)
        return;
      ++accepted_;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got <= 0)
          break;
        request.append(buffer, static_cast<std::size_t>(got));
      }
      static constexpr char kReply[] =
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok";
      (void)!::write(fd, kReply, sizeof kReply - 1);
      std::this_thread::sleep_for(milliseconds(100));  // the client has cached it by now
      if (reset_) {
        const linger abort_on_close{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
      }
      ::close(fd);
      ++closed_;
    }
  }

  const bool reset_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::atomic<int> closed_{0};
  std::thread thread_;
};

double processCpuSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// The loop keeps a cached connection registered with epoll (disarmed): a peer that drops it,
// even with a reset that epoll reports on a disarmed socket, costs no CPU while the client is
// idle, and the next request opens a new connection.
TEST(CurlHttpClientIdleTest, APeerDroppingACachedConnectionCostsNothingAndTheNextReconnects) {
  for (const bool reset : {false, true}) {
    SCOPED_TRACE(reset ? "dropped with a reset" : "dropped with a FIN");
    DroppingServer server(reset);
    CurlHttpClient client;
    auto first = client.perform(get(server.url()));
    ASSERT_TRUE(first.ok()) << first.error().describe();
    EXPECT_EQ(first->body, "ok");
    std::this_thread::sleep_for(milliseconds(300));  // the server has dropped it
    const double cpu_before = processCpuSeconds();
    std::this_thread::sleep_for(milliseconds(500));
    EXPECT_LT(processCpuSeconds() - cpu_before, 0.2) << "the loop spun on the dropped socket";
    auto second = client.perform(get(server.url()));
    ASSERT_TRUE(second.ok()) << second.error().describe();
    EXPECT_EQ(second->body, "ok");
    EXPECT_EQ(server.accepted(), 2);
  }
}

// A child process (an alarm's command) inherits none of the client's connections.
TEST(CurlHttpClientIdleTest, ItsSocketsAreClosedOnExec) {
  DroppingServer server(/*reset=*/false);
  CurlHttpClient client;
  auto answered = client.perform(get(server.url()));
  ASSERT_TRUE(answered.ok()) << answered.error().describe();
  // The server's end closed first, so that only the client's end is left to look at (the
  // server's thread closing its descriptor while this one reads them is a race).
  for (int waited = 0; server.closed() < 1 && waited < 500; ++waited)
    std::this_thread::sleep_for(milliseconds(10));
  ASSERT_EQ(server.closed(), 1);
  int found = 0;
  for (int fd = 0; fd < 4096; ++fd) {
    struct stat status {};
    if (::fstat(fd, &status) != 0 || !S_ISSOCK(status.st_mode))
      continue;
    sockaddr_in peer{};
    socklen_t length = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0 ||
        peer.sin_family != AF_INET || ntohs(peer.sin_port) != server.port())
      continue;
    ++found;
    EXPECT_NE(::fcntl(fd, F_GETFD) & FD_CLOEXEC, 0) << "fd " << fd;
  }
  EXPECT_EQ(found, 1) << "the cached connection to the server";
}

TEST_F(CurlHttpClientTest, ThroughputAgainstALocalServer) {
  server_.registry().put("FAST", ReplayResponse{200, testing::chartHeaders(), templateBody()});
  CurlHttpClient client;
  constexpr std::size_t kCount = 5000;
  Results results(kCount);
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  for (std::size_t i = 0; i < kCount; ++i) {
    client.send(get(server_.chartUrl("FAST")), results.callback(i));
  }
  ASSERT_TRUE(results.waitAll(std::chrono::seconds(60)));
  const double elapsed = secondsSince(start);
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  EXPECT_TRUE(results.eachCalledOnce());
  EXPECT_EQ(client.stats().failed, 0u);
  std::cout << "[ info ] " << kCount << " requests (" << templateBody().size()
            << " B bodies, gzip) in " << elapsed << " s: " << kCount / elapsed
            << " req/s; process CPU (client+server) " << cpu << " s\n";
  if (!testing::kSanitized) {  // the instrumentation's cost, not the client's
    EXPECT_GT(kCount / elapsed, 500.0);
  }
}

}  // namespace
}  // namespace rawfeed::http::curl
