// The scheduler's own thread: it runs tick() and stops at once when asked. The fake clock is
// already at the due instant, so the test waits on the fire itself, never on a schedule.
#include <future>

#include "fake_fire_log.h"
#include "schedule/scheduler.h"
#include "schedule_test_support.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::schedule::test {
namespace {

TEST(SchedulerThread, FiresADueJobAndStopsIdempotently) {
  fakes::FakeClock clock(at("2024-03-11T13:00:00Z"));
  FakeFireLog log;
  std::promise<Fire> first;
  std::atomic<int> calls{0};
  auto scheduler = Scheduler::create(
      clock, log,
      {ScheduledJob{"customer-data", mustParse("cron(0 22 ? * MON-FRI *)", "Asia/Seoul")}},
      [&](const Fire& fire) -> core::Result<std::string> {
        if (calls++ == 0) {
          first.set_value(fire);
        }
        return fire.batch_id;
      });
  ASSERT_TRUE(scheduler.ok());

  (*scheduler)->start();
  (*scheduler)->start();  // already running: no second thread
  auto fired = first.get_future();
  ASSERT_EQ(fired.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(fired.get().batch_id, "sched-customer-data-20240311T1300Z");

  (*scheduler)->stop();  // wakes the thread from its sleep until tomorrow's fire
  (*scheduler)->stop();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ((*scheduler)->counters().fires, 1u);
}

TEST(SchedulerThread, StopWithoutStartAndDestroyWhileRunning) {
  fakes::FakeClock clock;
  FakeFireLog log;
  auto scheduler = Scheduler::create(
      clock, log, {ScheduledJob{"customer-data", mustParse("rate(1 day)", "UTC")}},
      [](const Fire& fire) -> core::Result<std::string> { return fire.batch_id; });
  ASSERT_TRUE(scheduler.ok());
  (*scheduler)->stop();
  (*scheduler)->start();
  scheduler.value().reset();  // the destructor stops and joins
}

}  // namespace
}  // namespace rawfeed::schedule::test
