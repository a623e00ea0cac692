#include "schedule/sqlite_fire_log.h"

#include "contract/temp_dir.h"
#include "schedule_test_support.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::schedule::test {
namespace {

class SqliteFireLogTest : public testing::Test {
 protected:
  std::unique_ptr<SqliteFireLog> open() {
    auto log = SqliteFireLog::open({dir_.path() / "state" / "schedule.db"}, clock_);
    EXPECT_TRUE(log.ok()) << (log.ok() ? "" : log.error().message);
    return log.ok() ? std::move(log).value() : nullptr;
  }

  contract::TempDir dir_;
  fakes::FakeClock clock_{at("2024-03-11T13:00:05Z")};
};

TEST_F(SqliteFireLogTest, NeverFiredHasNoLastFire) {
  auto log = open();
  auto last = log->lastFire("customer-data");
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->has_value());
  auto recent = log->recentFires("customer-data", 10);
  ASSERT_TRUE(recent.ok());
  EXPECT_TRUE(recent->empty());
}

TEST_F(SqliteFireLogTest, LastFireIsTheLatestScheduledTimeOfThatName) {
  auto log = open();
  ASSERT_TRUE(log->record("customer-data", at("2024-03-11T13:00:00Z"), "b2").ok());
  ASSERT_TRUE(log->record("customer-data", at("2024-03-08T13:00:00Z"), "b1").ok());
  ASSERT_TRUE(log->record("product-data", at("2024-03-12T13:00:00Z"), "p1").ok());
  auto last = log->lastFire("customer-data");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(iso(last->value()), "2024-03-11T13:00:00Z");
}

TEST_F(SqliteFireLogTest, RecentFiresAreNewestFirstAndLimited) {
  auto log = open();
  ASSERT_TRUE(log->record("customer-data", at("2024-03-08T13:00:00Z"), "b1").ok());
  clock_.advance(std::chrono::minutes(1));
  ASSERT_TRUE(log->record("customer-data", at("2024-03-11T13:00:00Z"), "b2").ok());
  ASSERT_TRUE(log->record("customer-data", at("2024-03-12T13:00:00Z"), "b3").ok());
  auto recent = log->recentFires("customer-data", 2);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].batch_id, "b3");
  EXPECT_EQ((*recent)[1].batch_id, "b2");
  EXPECT_EQ((*recent)[1].name, "customer-data");
  EXPECT_EQ(iso((*recent)[1].fire_time), "2024-03-11T13:00:00Z");
  EXPECT_EQ(iso((*recent)[1].recorded_at), "2024-03-11T13:01:05Z");
}

TEST_F(SqliteFireLogTest, RecordingAFireAgainKeepsTheFirstRecord) {
  auto log = open();
  ASSERT_TRUE(log->record("customer-data", at("2024-03-11T13:00:00Z"), "first").ok());
  ASSERT_TRUE(log->record("customer-data", at("2024-03-11T13:00:00Z"), "second").ok());
  auto recent = log->recentFires("customer-data", 10);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].batch_id, "first");
}

TEST_F(SqliteFireLogTest, FiresSurviveReopening) {
  ASSERT_TRUE(open()->record("customer-data", at("2024-03-11T13:00:00Z"), "b1").ok());
  auto last = open()->lastFire("customer-data");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(iso(last->value()), "2024-03-11T13:00:00Z");
}

TEST_F(SqliteFireLogTest, EmptyPathIsInvalid) {
  auto log = SqliteFireLog::open({}, clock_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, core::ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace rawfeed::schedule::test
