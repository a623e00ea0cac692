// The scheduler on a fake clock: tests advance time and call tick(); nothing sleeps.
#include "schedule/scheduler.h"

#include "contract/temp_dir.h"
#include "fake_fire_log.h"
#include "schedule/sqlite_fire_log.h"
#include "schedule_test_support.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::schedule::test {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kDesign = "cron(0 22 ? * MON-FRI *)";  // 13:00Z on weekdays

class SchedulerTest : public testing::Test {
 protected:
  std::unique_ptr<SqliteFireLog> openLog() {
    auto log = SqliteFireLog::open({dir_.path() / "schedule.db"}, clock_);
    EXPECT_TRUE(log.ok());
    return log.ok() ? std::move(log).value() : nullptr;
  }

  static ScheduledJob job(std::string name = "customer-data", const char* expression = kDesign,
                          seconds grace = hours(1), const char* zone = "Asia/Seoul") {
    return ScheduledJob{std::move(name), mustParse(expression, zone), grace};
  }

  std::unique_ptr<Scheduler> make(std::vector<ScheduledJob> jobs, FireLog& log) {
    SchedulerOptions options;
    options.on_event = [this](const SchedulerEvent& event) { events_.push_back(event); };
    auto scheduler = Scheduler::create(
        clock_, log, std::move(jobs),
        [this](const Fire& fire) -> core::Result<std::string> {
          fired_.push_back(fire);
          if (failures_left_ > 0) {
            --failures_left_;
            return core::makeError(core::ErrorCode::kTransient, "queue unavailable");
          }
          return fire.batch_id;
        },
        std::move(options));
    EXPECT_TRUE(scheduler.ok()) << (scheduler.ok() ? "" : scheduler.error().message);
    return scheduler.ok() ? std::move(scheduler).value() : nullptr;
  }

  std::unique_ptr<Scheduler> make(std::vector<ScheduledJob> jobs) {
    return make(std::move(jobs), *log_);
  }

  std::vector<std::string> firedAt() const {
    std::vector<std::string> times;
    for (const Fire& fire : fired_) {
      times.push_back(iso(fire.scheduled));
    }
    return times;
  }

  void moveClockTo(std::string_view iso) {
    clock_.advance(std::chrono::duration_cast<std::chrono::milliseconds>(at(iso) - clock_.now()));
  }

  std::size_t eventsOf(SchedulerEvent::Kind kind) const {
    return static_cast<std::size_t>(std::count_if(
        events_.begin(), events_.end(), [&](const SchedulerEvent& e) { return e.kind == kind; }));
  }

  contract::TempDir dir_;
  // Monday 2024-03-11, a minute before the design's 22:00 KST run.
  fakes::FakeClock clock_{at("2024-03-11T12:59:00Z")};
  std::unique_ptr<SqliteFireLog> log_ = openLog();
  std::vector<Fire> fired_;
  std::vector<SchedulerEvent> events_;
  int failures_left_ = 0;  // on_fire fails this many times before it succeeds
};

TEST_F(SchedulerTest, FiresExactlyOnceWhenDue) {
  auto scheduler = make({job()});
  scheduler->tick();
  clock_.advance(seconds(59));
  scheduler->tick();
  EXPECT_TRUE(fired_.empty());

  clock_.advance(seconds(1));
  scheduler->tick();
  scheduler->tick();
  clock_.advance(seconds(30));
  scheduler->tick();

  ASSERT_EQ(firedAt(), std::vector<std::string>{"2024-03-11T13:00:00Z"});
  EXPECT_EQ(fired_[0].name, "customer-data");
  EXPECT_EQ(fired_[0].logical_date, "2024-03-11");
  EXPECT_EQ(fired_[0].batch_id, "sched-customer-data-20240311T1300Z");
  EXPECT_FALSE(fired_[0].late);
  EXPECT_EQ(scheduler->counters().fires, 1u);
  auto recent = log_->recentFires("customer-data", 10);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].batch_id, "sched-customer-data-20240311T1300Z");
}

TEST_F(SchedulerTest, RestartInTheSameMinuteDoesNotFireAgain) {
  clock_.advance(seconds(60));
  make({job()})->tick();
  ASSERT_EQ(fired_.size(), 1u);

  log_ = openLog();  // a new process: new connection, new scheduler, same file
  clock_.advance(seconds(30));
  auto restarted = make({job()});
  restarted->tick();

  EXPECT_EQ(fired_.size(), 1u);
  EXPECT_EQ(iso(restarted->nextFire("customer-data").value()), "2024-03-12T13:00:00Z");
}

TEST_F(SchedulerTest, FireMissedWithinGraceRunsOnceAtStart) {
  clock_.advance(minutes(21));  // down over 13:00, back at 13:20
  auto scheduler = make({job()});
  scheduler->tick();
  scheduler->tick();

  ASSERT_EQ(firedAt(), std::vector<std::string>{"2024-03-11T13:00:00Z"});
  EXPECT_TRUE(fired_[0].late);
  EXPECT_EQ(scheduler->counters().misfires, 0u);
}

TEST_F(SchedulerTest, NewJobDoesNotLookBackPastItsGrace) {
  clock_.advance(minutes(91));  // 14:30, no fire ever recorded
  auto scheduler = make({job()});
  scheduler->tick();

  EXPECT_TRUE(fired_.empty());
  EXPECT_EQ(scheduler->counters().misfires, 0u);
}

TEST_F(SchedulerTest, RecordedJobMissedPastGraceIsOneMisfire) {
  ASSERT_TRUE(log_->record("customer-data", at("2024-03-08T13:00:00Z"), "friday").ok());
  clock_.advance(minutes(121));  // 15:00, two hours after Monday's fire
  auto scheduler = make({job()});
  scheduler->tick();
  scheduler->tick();

  EXPECT_TRUE(fired_.empty());
  EXPECT_EQ(scheduler->counters().misfires, 1u);
  ASSERT_EQ(eventsOf(SchedulerEvent::Kind::kMisfired), 1u);
  EXPECT_EQ(iso(events_[0].fire.scheduled), "2024-03-11T13:00:00Z");

  clock_.advance(hours(22));  // Tuesday's fire still runs
  scheduler->tick();
  EXPECT_EQ(firedAt(), std::vector<std::string>{"2024-03-12T13:00:00Z"});
}

TEST_F(SchedulerTest, TickLaterThanGraceWhileRunningIsAMisfire) {
  auto scheduler = make({job()});
  scheduler->tick();
  clock_.advance(minutes(91));  // the process was stopped over 13:00 until 14:30
  scheduler->tick();

  EXPECT_TRUE(fired_.empty());
  EXPECT_EQ(scheduler->counters().misfires, 1u);
}

TEST_F(SchedulerTest, SeveralMissedFiresRunOnlyTheLatest) {
  ASSERT_TRUE(log_->record("customer-data", at("2024-03-11T12:00:00Z"), "noon").ok());
  clock_.advance(minutes(-27));  // 12:32: 12:05 .. 12:30 were all missed
  auto scheduler = make({job("customer-data", "rate(5 minutes)")});
  scheduler->tick();
  scheduler->tick();

  EXPECT_EQ(firedAt(), std::vector<std::string>{"2024-03-11T12:30:00Z"});
  EXPECT_EQ(scheduler->counters().fires, 1u);
  EXPECT_EQ(scheduler->counters().misfires, 0u);
}

TEST_F(SchedulerTest, FailedFireIsRetriedWithTheSameBatchId) {
  failures_left_ = 1;
  auto scheduler = make({job()});
  clock_.advance(seconds(60));
  scheduler->tick();  // 13:00:00 fails
  clock_.advance(seconds(10));
  scheduler->tick();  // within the retry delay: not tried
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_FALSE(log_->lastFire("customer-data")->has_value());
  EXPECT_EQ(iso(scheduler->nextFire("customer-data").value()), "2024-03-11T13:00:30Z");

  clock_.advance(seconds(20));
  scheduler->tick();  // 13:00:30 succeeds

  ASSERT_EQ(fired_.size(), 2u);
  EXPECT_EQ(fired_[1].batch_id, fired_[0].batch_id);
  EXPECT_EQ(scheduler->counters().failures, 1u);
  EXPECT_EQ(scheduler->counters().fires, 1u);
  EXPECT_EQ(iso(log_->lastFire("customer-data")->value()), "2024-03-11T13:00:00Z");
}

TEST_F(SchedulerTest, FireThatKeepsFailingBecomesAMisfireAfterItsGrace) {
  failures_left_ = 100;
  auto scheduler = make({job("customer-data", kDesign, seconds(60))});
  clock_.advance(seconds(60));
  for (int i = 0; i < 4; ++i) {  // 13:00:00, :30, 13:01:00 fail; 13:01:30 is past the grace
    scheduler->tick();
    clock_.advance(seconds(30));
  }

  EXPECT_EQ(fired_.size(), 3u);
  EXPECT_EQ(scheduler->counters().failures, 3u);
  EXPECT_EQ(scheduler->counters().misfires, 1u);
  EXPECT_FALSE(log_->lastFire("customer-data")->has_value());
}

TEST_F(SchedulerTest, NextFire) {
  moveClockTo("2024-03-15T12:00:00Z");  // Friday
  auto scheduler = make({job()});
  EXPECT_EQ(iso(scheduler->nextFire("customer-data").value()), "2024-03-15T13:00:00Z");
  clock_.advance(hours(1));
  scheduler->tick();
  EXPECT_EQ(iso(scheduler->nextFire("customer-data").value()), "2024-03-18T13:00:00Z");
  EXPECT_FALSE(scheduler->nextFire("no-such-job").has_value());
}

TEST_F(SchedulerTest, FailedRecordStillCountsTheFireAndDoesNotRepeatIt) {
  FakeFireLog log;
  log.fail_writes = true;
  auto scheduler = make({job()}, log);
  clock_.advance(seconds(60));
  scheduler->tick();
  clock_.advance(seconds(60));
  scheduler->tick();

  EXPECT_EQ(fired_.size(), 1u);
  EXPECT_EQ(scheduler->counters().fires, 1u);
  EXPECT_EQ(scheduler->counters().log_errors, 1u);
}

TEST_F(SchedulerTest, FailedReadIsRetriedLater) {
  FakeFireLog log;
  log.fail_reads = true;
  auto scheduler = make({job()}, log);
  clock_.advance(seconds(60));
  scheduler->tick();
  EXPECT_TRUE(fired_.empty());
  EXPECT_EQ(scheduler->counters().log_errors, 1u);

  log.fail_reads = false;
  clock_.advance(seconds(30));
  scheduler->tick();
  EXPECT_EQ(firedAt(), std::vector<std::string>{"2024-03-11T13:00:00Z"});
}

TEST_F(SchedulerTest, JobsFireIndependently) {
  auto scheduler = make({job("customer-data"), job("product-data", "rate(1 hour)")});
  clock_.advance(seconds(60));
  scheduler->tick();

  ASSERT_EQ(fired_.size(), 2u);
  EXPECT_EQ(fired_[0].batch_id, "sched-customer-data-20240311T1300Z");
  EXPECT_EQ(fired_[1].batch_id, "sched-product-data-20240311T1300Z");
}

TEST_F(SchedulerTest, FallBackNightTickedEveryMinuteFiresOnce) {
  moveClockTo("2024-11-03T04:00:00Z");
  auto scheduler = make({job("customer-data", "cron(30 1 * * ? *)", hours(1), "America/New_York")});
  for (int i = 0; i < 240; ++i) {
    scheduler->tick();
    clock_.advance(minutes(1));
  }
  EXPECT_EQ(firedAt(), std::vector<std::string>{"2024-11-03T05:30:00Z"});
}

TEST_F(SchedulerTest, SpringForwardNightTickedEveryMinuteDoesNotFire) {
  moveClockTo("2024-03-10T05:00:00Z");
  auto scheduler = make({job("customer-data", "cron(30 2 * * ? *)", hours(1), "America/New_York")});
  for (int i = 0; i < 240; ++i) {
    scheduler->tick();
    clock_.advance(minutes(1));
  }
  EXPECT_TRUE(fired_.empty());
  EXPECT_EQ(scheduler->counters().misfires, 0u);
}

TEST_F(SchedulerTest, CreateRejectsBadJobs) {
  const auto handler = [](const Fire& fire) -> core::Result<std::string> { return fire.batch_id; };
  const struct {
    std::vector<ScheduledJob> jobs;
    const char* message;
  } cases[] = {
      {{job("a"), job("a")}, "scheduler: job 'a' is listed twice"},
      {{job("")}, "scheduler: a job has an empty name"},
      {{job("a", kDesign, seconds(-1))}, "scheduler: job 'a' has a negative misfire_grace"},
  };
  for (const auto& c : cases) {
    auto scheduler = Scheduler::create(clock_, *log_, c.jobs, handler);
    ASSERT_FALSE(scheduler.ok()) << c.message;
    EXPECT_EQ(scheduler.error().message, c.message);
  }
  auto no_handler = Scheduler::create(clock_, *log_, {job()}, nullptr);
  ASSERT_FALSE(no_handler.ok());
  EXPECT_EQ(no_handler.error().message, "scheduler: on_fire is empty");
}

}  // namespace
}  // namespace rawfeed::schedule::test
