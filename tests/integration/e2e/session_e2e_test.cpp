// `rawfeed run` as a process against a replay server that wants Yahoo's cookie + crumb on chart
// requests: the source obtains one session for all its workers when refused, refreshes it when
// the crumb rotates, and says clearly why when the crumb endpoint will not give one.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "integration/e2e/e2e_support.h"
#include "support/replay_session.h"

namespace rawfeed::e2e {
namespace {

constexpr int kSessionSymbols = 40;

class SessionE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.registry().loadTemplate(fs::path(RAWFEED_SOURCE_DIR) / "bench" /
                                    "chart_template_5d_1d.json");
    server_.start();
  }

  // session = auto (the default), the cookie and crumb from the replay server.
  fs::path config(const std::string& extra = "") {
    return writeConfig(dir_.path(), "chunk_size = 5\n" + extra +
                                        "[domains.customer-data.source]\n"
                                        "cookie_url = \"" +
                                        server_.cookieUrl() + "\"\ncrumb_url = \"" +
                                        server_.crumbUrl() +
                                        "\"\n[domains.customer-data.source.limits]\n"
                                        "initial_rate = 20\n");
  }

  std::vector<std::string> runArgs(const fs::path& config, const std::string& batch_id,
                                   const std::string& symbols) {
    return {RAWFEED_BIN,       "run",        "--config",  config.string(), "--source-url",
            server_.baseUrl(), "--batch-id", batch_id,    "--batch-ds",    "2024-01-02",
            "--period",        "5d",         "--symbols", symbols,         "--no-progress"};
  }

  static std::string symbols(int count) {
    std::string list;
    for (int i = 0; i < count; ++i) {
      if (i > 0)
        list += ',';
      list += "SYM";
      list += std::to_string(i);
    }
    return list;
  }

  contract::TempDir dir_;
  testing::ReplayServer server_;
};

// Chart requests need a cookie and a crumb; getcrumb answers `crumb_body` instead, if given.
testing::ReplaySession requiringCrumb(int rotate_after, const char* crumb_body = nullptr) {
  testing::ReplaySession session;
  session.require_crumb = true;
  session.rotate_after = rotate_after;
  if (crumb_body != nullptr)
    session.crumb_body.emplace(crumb_body);
  return session;
}

// Polls `done` until it holds or `limit` passes: the run is another process, so there is
// nothing to wait on but what it leaves behind.
template <class Done>
bool waitUntil(Done done, std::chrono::seconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

TEST_F(SessionE2eTest, ARotatingCrumbIsFetchedOncePerRotationAndEverythingLands) {
  constexpr int kRotateAfter = 10;
  server_.setSession(requiringCrumb(kRotateAfter));
  Subprocess run(runArgs(config(), "session-rotate", symbols(kSessionSymbols)), dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  EXPECT_EQ(listLake(dir_.path() / "lake").objects.size(),
            static_cast<std::size_t>(kSessionSymbols * 5));  // 5 trading days each
  EXPECT_NE(run.out().find("0 dead-lettered messages"), std::string::npos) << run.out();

  // One session at first, then one per rotation at most: the workers share it, and the requests
  // refused with a rotated crumb refresh it once between them.
  const auto counters = server_.counters();
  constexpr int kRotations = kSessionSymbols / kRotateAfter;
  EXPECT_GE(counters.cookie_requests, 1u);
  EXPECT_LE(counters.cookie_requests, static_cast<std::uint64_t>(kRotations + 1)) << run.out();
  EXPECT_LE(counters.crumb_requests, static_cast<std::uint64_t>(kRotations + 1)) << run.out();
  // Every symbol landed on its first delivery: a crumb gone stale is not a refusal of us.
  EXPECT_EQ(run.err().find("\"outcome\":\"blocked\""), std::string::npos) << run.err();
}

TEST_F(SessionE2eTest, ARateLimitedCrumbEndpointThrottlesWithoutDeadLettering) {
  // getcrumb answers "Too Many Requests" (yfinance #2441): a rate limit, so the chunks go back to
  // the queue as throttled ones and are not dead-lettered for their receive count.
  server_.setSession(requiringCrumb(0, "Too Many Requests"));
  const auto cfg = config("[domains.customer-data.queue]\nmax_receives = 2\n");
  Subprocess run(runArgs(cfg, "session-throttled", "AAA,BBB,CCC"), dir_.path(), "run");
  const std::string reason = "the crumb endpoint is rate limiting";
  ASSERT_TRUE(waitUntil([&] { return run.err().find(reason) != std::string::npos; },
                        std::chrono::seconds(30)))
      << run.err();
  const std::string err = run.err();
  EXPECT_NE(err.find("\"outcome\":\"throttled\""), std::string::npos) << err;
  EXPECT_NE(err.find("no Yahoo session (cookie + crumb): crumb: GET " + server_.crumbUrl()),
            std::string::npos)
      << err;
  // The one chunk (3 symbols) sent back to the queue three times, once more than max_receives
  // would allow a failing chunk.
  const fs::path log = dir_.path() / "state" / "logs" / "rawfeed.jsonl";
  EXPECT_TRUE(waitUntil([&] { return readFile(log).find("\"requeues\":3") != std::string::npos; },
                        std::chrono::seconds(30)))
      << readFile(log);
  run.kill(SIGTERM);
  run.wait();
  EXPECT_NE(run.out().find("0 dead-lettered messages"), std::string::npos) << run.out();
  EXPECT_TRUE(listLake(dir_.path() / "lake").objects.empty());

  // The crumb endpoint recovers: what was kept back lands.
  server_.setSession(requiringCrumb(0));
  Subprocess work({RAWFEED_BIN, "work", "--config", cfg.string(), "--source-url", server_.baseUrl(),
                   "--no-progress"},
                  dir_.path(), "work");
  ASSERT_EQ(work.wait(), 0) << work.out() << work.err();
  EXPECT_EQ(listLake(dir_.path() / "lake").objects.size(), 15u);
}

TEST_F(SessionE2eTest, ACrumbThatIsAPageBlocksAndTheSummarySaysWhy) {
  // A consent page where the crumb belongs: not a rate limit, so the chunk is retried like a
  // transient failure and dead-lettered after max_receives, with the step that failed named.
  server_.setSession(requiringCrumb(0, "<!DOCTYPE html><html><body>consent</body></html>"));
  const auto cfg = config("[domains.customer-data.queue]\nmax_receives = 2\n");
  Subprocess run(runArgs(cfg, "session-blocked", "AAA,BBB"), dir_.path(), "run");
  EXPECT_EQ(run.wait(), 1) << run.out() << run.err();
  EXPECT_NE(run.out().find("1 dead-lettered messages"), std::string::npos) << run.out();
  // The last delivery's reason: the session was already known to be needed.
  EXPECT_NE(
      run.out().find("blocked: no Yahoo session (cookie + crumb): crumb: GET " +
                     server_.crumbUrl() + " answered 200 with an HTML page instead of a crumb"),
      std::string::npos)
      << run.out();
  // The first delivery's: the chart's refusal, then why no session came of it.
  EXPECT_NE(run.err().find("401 Unauthorized: Invalid Crumb; no Yahoo session"), std::string::npos)
      << run.err();
}

}  // namespace
}  // namespace rawfeed::e2e
