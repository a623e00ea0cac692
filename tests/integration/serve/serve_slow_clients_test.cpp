// `rawfeed serve` as a process under a slowloris of 64 connections: /healthz and /metrics still
// answer promptly, each slow connection is closed with 408 at the configured head deadline, and
// one address never holds more than its configured number of connections.
#include "integration/serve/serve_domains.h"
#include "integration/server/slowloris.h"

namespace rawfeed::serve_test {
namespace {

using server::testing::RawConnection;
using server::testing::Slowloris;
using server::testing::statusOf;

constexpr long long kPromptMs = 2000;
constexpr long long kHeadTimeoutMs = 1000;  // request_head_timeout_seconds = 1 below

int portOf(const std::string& url) {
  return std::stoi(url.substr(url.rfind(':') + 1));
}

long long msSince(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

struct Timed {
  int status = 0;
  long long ms = 0;
};

Timed timedGet(int port, const std::string& target) {
  const auto start = Clock::now();
  RawConnection connection(port, "127.0.0.1");
  if (!connection.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
    return {};
  const int status = statusOf(connection.readResponse(static_cast<int>(kPromptMs) + 3000));
  return {status, msSince(start)};
}

TEST_F(ServeTest, SlowlorisStarvesNeitherHealthNorMetricsAndIsClosedAtTheHeadDeadline) {
  const fs::path config =
      writeServeConfig(dir_.path(), twoDomains(),
                       "request_head_timeout_seconds = 1\nmax_connections_per_client = 8\n");
  auto serve = startServe(config, "serve-slowloris");
  ASSERT_TRUE(serve);
  const int port = portOf(serve->url());

  std::vector<std::string> sources;
  for (int i = 10; i < 18; ++i)
    sources.push_back("127.0.0." + std::to_string(i));
  Slowloris slow(port, sources, 64, "GET /v1/status HTTP/1.1\r\nHost: x\r\n", milliseconds(100));
  ASSERT_EQ(slow.connected(), 64u);

  // A ninth connection from an address that holds its eight replaces the oldest of them.
  RawConnection ninth(port, sources[0].c_str());
  ASSERT_TRUE(ninth.send("GET /v1/status HTTP/1.1\r\n"));
  EXPECT_TRUE(slow.connection(0).closedWithin(static_cast<int>(kPromptMs)));
  EXPECT_LT(msSince(slow.openedAt(0)), kHeadTimeoutMs) << "closed by the deadline, not the limit";
  EXPECT_FALSE(slow.connection(sources.size()).closedWithin(0)) << "the second oldest was closed";

  for (const char* target : {"/healthz", "/metrics", "/healthz"}) {
    const Timed answer = timedGet(port, target);
    EXPECT_EQ(answer.status, 200) << target;
    EXPECT_LT(answer.ms, kPromptMs) << target;
  }
  EXPECT_LT(msSince(slow.openedAt(slow.size() - 1)), kHeadTimeoutMs)
      << "the checks ran after the head deadline; this machine is too slow for the test";

  for (std::size_t i = 1; i < slow.size(); ++i) {
    SCOPED_TRACE("connection " + std::to_string(i));
    const long long left = kHeadTimeoutMs + 1500 - msSince(slow.openedAt(i));
    EXPECT_TRUE(slow.connection(i).closedWithin(static_cast<int>(std::max(0LL, left))));
    // The deadline runs from the accept, a moment after the client's connect returned.
    EXPECT_GE(msSince(slow.openedAt(i)), kHeadTimeoutMs - 20);
    EXPECT_EQ(statusOf(slow.connection(i).received()), 408) << slow.connection(i).received();
  }
  EXPECT_TRUE(ninth.closedWithin(static_cast<int>(kHeadTimeoutMs + 1500)));
  EXPECT_EQ(serve->get("/healthz").status, 200);

  const Exit stopped = serve->stop();
  EXPECT_FALSE(stopped.timed_out);
  EXPECT_EQ(stopped.status, 0) << serve->process().err();
  const std::string err = serve->process().err();
  EXPECT_NE(err.find("head_timeout"), std::string::npos) << "the closes were not logged";
  EXPECT_NE(err.find("replaced_by_newer_connection"), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::serve_test
