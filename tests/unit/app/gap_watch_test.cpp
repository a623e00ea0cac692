#include "app/gap_watch.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <future>

#include "support/fakes/fake_clock.h"
#include "support/fakes/recording_logger.h"

namespace rawfeed::app {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

audit::GapReport reportWith(int symbols_with_gaps, int missing_per_symbol) {
  audit::GapReport report;
  for (int i = 0; i < symbols_with_gaps + 1; ++i) {
    audit::SymbolGaps gaps;
    gaps.symbol = fmt::format("S{}", i);
    if (i > 0) {
      for (int d = 0; d < missing_per_symbol; ++d)
        gaps.missing.push_back(fmt::format("2024-01-{:02}", d + 2));
    }
    report.symbols.push_back(gaps);
  }
  report.never_landed = {"NOPE"};
  return report;
}

class GapWatchTest : public ::testing::Test {
 protected:
  GapWatchTest() {
    watch_.addDomain("d", [this]() -> core::Result<audit::GapReport> {
      ++audits_;
      if (fail_)
        return core::makeError(core::ErrorCode::kTransient, "list failed");
      return reportWith(2, 3);
    });
  }

  fakes::FakeClock clock_;
  fakes::RecordingLogger logger_;
  GapWatch watch_{clock_, seconds(300), logger_};
  int audits_ = 0;
  bool fail_ = false;
};

TEST_F(GapWatchTest, TheFirstLookAsksForACheckAndLaterLooksServeItsResult) {
  auto first = watch_.view("d");
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->checked_at);
  EXPECT_TRUE(first->checking);
  EXPECT_EQ(first->refresh_seconds, 300);
  EXPECT_EQ(audits_, 0) << "never on the asking thread";

  watch_.runRequested();
  EXPECT_EQ(audits_, 1);
  auto checked = watch_.view("d");
  EXPECT_EQ(checked->checked_at, clock_.now());
  EXPECT_FALSE(checked->checking);
  EXPECT_EQ(checked->symbols, 3);
  EXPECT_EQ(checked->symbols_with_gaps, 2);
  EXPECT_EQ(checked->missing_days, 6);
  EXPECT_EQ(checked->never_landed, 1);
  EXPECT_FALSE(checked->error);

  watch_.runRequested();
  EXPECT_EQ(audits_, 1) << "nothing asked for: nothing listed";
  EXPECT_EQ(watch_.view("d")->symbols_with_gaps, 2);
}

TEST_F(GapWatchTest, AtMostOneCheckPerMaxAgeHoweverOftenItIsAskedFor) {
  watch_.view("d");
  watch_.runRequested();
  clock_.advance(minutes(4));
  for (int i = 0; i < 10; ++i)
    EXPECT_FALSE(watch_.view("d")->checking);
  watch_.runRequested();
  EXPECT_EQ(audits_, 1);
  clock_.advance(minutes(1));
  EXPECT_TRUE(watch_.view("d")->checking) << "stale: a fresh check is asked for";
  EXPECT_EQ(watch_.view("d")->symbols_with_gaps, 2) << "the last figures meanwhile";
  watch_.runRequested();
  EXPECT_EQ(audits_, 2);
}

TEST_F(GapWatchTest, AFailedCheckKeepsTheLastFiguresAndSaysWhy) {
  watch_.view("d");
  watch_.runRequested();
  fail_ = true;
  clock_.advance(minutes(5));
  watch_.view("d");
  watch_.runRequested();
  const auto view = watch_.view("d");
  ASSERT_TRUE(view->error);
  EXPECT_EQ(*view->error, "transient: list failed");
  EXPECT_EQ(view->missing_days, 6);
  EXPECT_FALSE(view->checking) << "a failure is retried after max_age, not at every look";
  EXPECT_EQ(logger_.events().back().event, "gaps_check_failed");
}

TEST_F(GapWatchTest, AnUnknownDomainHasNoView) {
  EXPECT_FALSE(watch_.view("other"));
}

TEST(GapWatchThreadTest, ItsThreadRunsTheCheckAndStopIsIdempotent) {
  fakes::FakeClock clock;
  fakes::RecordingLogger logger;
  GapWatch watch(clock, seconds(300), logger);
  std::promise<void> audited;
  watch.addDomain("d", [&]() -> core::Result<audit::GapReport> {
    audited.set_value();
    return reportWith(1, 1);
  });
  watch.start();
  watch.start();
  watch.view("d");
  ASSERT_EQ(audited.get_future().wait_for(seconds(30)), std::future_status::ready);
  watch.stop();
  watch.stop();
  EXPECT_EQ(watch.view("d")->missing_days, 1);
}

}  // namespace
}  // namespace rawfeed::app
