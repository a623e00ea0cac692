#include "app/periodic_activity.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace rawfeed::app {
namespace {

using std::chrono::hours;

// Counts passes; waitFor() blocks (bounded) until there were that many.
class Passes {
 public:
  void add() {
    std::lock_guard lock(mutex_);
    ++count_;
    changed_.notify_all();
  }
  bool waitFor(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return count_ >= count; });
  }
  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;  // guards count_
  std::condition_variable changed_;
  int count_ = 0;
};

TEST(PeriodicActivityTest, TheFirstPassRunsAtOnceAndAStopDoesNotWaitForTheInterval) {
  Passes passes;
  PeriodicActivity activity(hours(1), [&] { passes.add(); });
  activity.start();
  ASSERT_TRUE(passes.waitFor(1));
  const auto asked = std::chrono::steady_clock::now();
  activity.requestStop();
  activity.join();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::minutes(1));
  EXPECT_EQ(passes.count(), 1);
}

TEST(PeriodicActivityTest, StartStopAndJoinAreIdempotent) {
  Passes passes;
  PeriodicActivity activity(hours(1), [&] { passes.add(); });
  activity.start();
  activity.start();  // no second thread
  ASSERT_TRUE(passes.waitFor(1));
  activity.requestStop();
  activity.requestStop();
  activity.join();
  activity.join();
  activity.start();  // a stopped activity stays stopped
  activity.join();
  EXPECT_EQ(passes.count(), 1);
}

TEST(PeriodicActivityTest, AnActivityNeverStartedRunsNothingAndStopsAtOnce) {
  std::atomic<int> passes{0};
  {
    PeriodicActivity activity(hours(1), [&] { ++passes; });
    activity.requestStop();
    activity.join();
  }
  EXPECT_EQ(passes.load(), 0);
}

TEST(PeriodicActivityTest, TheDestructorStopsARunningActivity) {
  Passes passes;
  {
    PeriodicActivity activity(hours(1), [&] { passes.add(); });
    activity.start();
    ASSERT_TRUE(passes.waitFor(1));
  }
  EXPECT_EQ(passes.count(), 1);
}

TEST(PeriodicActivityTest, PassesRepeatEveryInterval) {
  Passes passes;
  PeriodicActivity activity(std::chrono::milliseconds(1), [&] { passes.add(); });
  activity.start();
  EXPECT_TRUE(passes.waitFor(3));
}

}  // namespace
}  // namespace rawfeed::app
