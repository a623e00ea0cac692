// `rawfeed run` as a process against a replay server that limits its rate and concurrency and
// bans bursts, as Yahoo does: everything lands, nothing is dead-lettered, the source is not
// hammered (issue: survive a rate-limited source).
#include <gtest/gtest.h>

#include <fstream>

#include "integration/e2e/e2e_support.h"
#include "support/replay_limiter.h"

namespace rawfeed::e2e {
namespace {

constexpr int kGovernorSymbols = 120;

class GovernorE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.registry().loadTemplate(fs::path(RAWFEED_SOURCE_DIR) / "bench" /
                                    "chart_template_5d_1d.json");
    testing::ReplayFaults faults;
    faults.latency = std::chrono::milliseconds(20);
    server_.setFaults(faults);
    server_.start();
    std::ofstream universe(dir_.path() / "universe.txt");
    for (int i = 0; i < kGovernorSymbols; ++i)
      universe << "SYM" << i << "\n";
  }

  fs::path config(const std::string& limits) {
    return writeConfig(dir_.path(),
                       "universe = \"" + (dir_.path() / "universe.txt").string() +
                           "\"\nchunk_size = 5\n[domains.customer-data.source.limits]\n" + limits);
  }

  std::vector<std::string> runArgs(const fs::path& config, const std::string& batch_id) {
    return {RAWFEED_BIN,       "run",        "--config",     config.string(), "--source-url",
            server_.baseUrl(), "--batch-id", batch_id,       "--batch-ds",    "2024-01-02",
            "--period",        "5d",         "--no-progress"};
  }

  // What every run against a limited source must show.
  void expectEverythingLandedGently(Subprocess& run, const std::string& what) {
    SCOPED_TRACE(what);
    ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
    const LakeListing lake = listLake(dir_.path() / "lake");
    EXPECT_EQ(static_cast<int>(lake.objects.size()), kGovernorSymbols * 5);  // 5 trading days each
    EXPECT_NE(run.out().find("0 dead-lettered messages"), std::string::npos) << run.out();
    const auto counters = server_.counters();
    EXPECT_LE(static_cast<double>(counters.requests), 1.15 * kGovernorSymbols) << run.out();
    EXPECT_LE(static_cast<double>(counters.limited), 0.05 * counters.requests) << run.out();
  }

  contract::TempDir dir_;
  testing::ReplayServer server_;
};

TEST_F(GovernorE2eTest, ARateLimitWithBansLandsEverythingWithoutHammering) {
  testing::ReplayLimits limits;
  limits.rate = 20;
  limits.ban = std::chrono::seconds(2);
  server_.setLimits(limits);
  Subprocess run(runArgs(config("initial_rate = 4\npause_min_seconds = 1\n"), "gov-rate"),
                 dir_.path(), "run");
  expectEverythingLandedGently(run, "20/s, 2 s ban");
  // The learned limit is kept in the state directory for the next run.
  const auto governor_dir = dir_.path() / "state" / "governor";
  ASSERT_TRUE(fs::exists(governor_dir)) << "no governor record";
  bool found = false;
  for (const auto& entry : fs::directory_iterator(governor_dir)) {
    if (entry.path().extension() != ".json")
      continue;
    const auto record = nlohmann::json::parse(readFile(entry.path()));
    EXPECT_GT(record["rate"].get<double>(), 0);
    EXPECT_TRUE(record["members"].empty()) << "the run left the fleet when it ended";
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST_F(GovernorE2eTest, AConcurrencyLimitLandsEverything) {
  testing::ReplayLimits limits;
  limits.max_concurrent = 3;
  server_.setLimits(limits);
  Subprocess run(
      runArgs(config("initial_rate = 10\ninitial_in_flight = 2\npause_min_seconds = 1\n"),
              "gov-concurrency"),
      dir_.path(), "run");
  expectEverythingLandedGently(run, "3 at once");
}

TEST_F(GovernorE2eTest, ALongBanSendsChunksBackWithoutDeadLetteringThem) {
  // Banned for 4 s from the start; the worker may wait only 1 s: chunks go back to the queue,
  // delayed, and land once the ban is over. Their receives are not spent: max_receives = 2.
  testing::ReplayLimits limits;
  limits.rate = 1;
  limits.burst = 1;
  limits.ban = std::chrono::seconds(4);
  server_.setLimits(limits);
  const auto cfg = writeConfig(dir_.path(),
                               "chunk_size = 1\n"
                               "[domains.customer-data.queue]\nmax_receives = 2\n"
                               "[domains.customer-data.source.limits]\ninitial_rate = 5\n"
                               "pause_min_seconds = 2\nmax_wait_seconds = 1\n");
  auto args = runArgs(cfg, "gov-ban");
  args.insert(args.end(), {"--symbols", "AAA,BBB,CCC"});
  Subprocess run(args, dir_.path(), "run");
  const int status = run.wait();
  ASSERT_EQ(status, 0) << run.out() << run.err();
  EXPECT_EQ(listLake(dir_.path() / "lake").objects.size(), 15u);
  EXPECT_NE(run.out().find("0 dead-lettered messages"), std::string::npos) << run.out();
}

}  // namespace
}  // namespace rawfeed::e2e
