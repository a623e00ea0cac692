#include "server/request_workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

namespace rawfeed::server {
namespace {

using std::chrono::seconds;

TEST(RequestWorkersTest, APriorityJobRunsWhileEveryGeneralThreadIsBusy) {
  RequestWorkers workers(/*general=*/2, /*reserved=*/1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> both_busy;
  std::atomic<int> busy{0};
  for (int i = 0; i < 2; ++i) {
    workers.submit(
        [&] {
          if (++busy == 2) {
            both_busy.set_value();
          }
          released.wait();
        },
        /*priority=*/false);
  }
  ASSERT_EQ(both_busy.get_future().wait_for(seconds(5)), std::future_status::ready);

  std::promise<void> general_ran;
  workers.submit([&] { general_ran.set_value(); }, /*priority=*/false);
  std::promise<void> priority_ran;
  workers.submit([&] { priority_ran.set_value(); }, /*priority=*/true);
  EXPECT_EQ(priority_ran.get_future().wait_for(seconds(5)), std::future_status::ready);
  // The reserved thread does not take general work.
  auto general = general_ran.get_future();
  EXPECT_EQ(general.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);

  release.set_value();
  EXPECT_EQ(general.wait_for(seconds(5)), std::future_status::ready);
  // Joined before the promises and futures the jobs use go out of scope (declared after the
  // pool, they would be destroyed first, while a worker may still be returning from wait():
  // found by AddressSanitizer and ThreadSanitizer).
  workers.stop();
}

TEST(RequestWorkersTest, StopRunsWhatWasSubmitted) {
  std::atomic<int> ran{0};
  {
    RequestWorkers workers(1, 1);
    for (int i = 0; i < 20; ++i) {
      workers.submit([&] { ++ran; }, i % 2 == 0);
    }
    workers.stop();
    workers.stop();
  }
  EXPECT_EQ(ran.load(), 20);
}

}  // namespace
}  // namespace rawfeed::server
