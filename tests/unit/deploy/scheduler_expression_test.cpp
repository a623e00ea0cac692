#include "deploy/scheduler_expression.h"

#include <gtest/gtest.h>

namespace rawfeed::deploy {
namespace {

std::string converted(const std::string& schedule) {
  auto expression = schedulerExpression(schedule);
  EXPECT_TRUE(expression.ok()) << schedule << ": " << expression.error().message;
  return expression.ok() ? *expression : std::string();
}

TEST(SchedulerExpression, EventBridgeFormsPassThrough) {
  EXPECT_EQ(converted("cron(0 22 ? * MON-FRI *)"), "cron(0 22 ? * MON-FRI *)");
  EXPECT_EQ(converted("  rate(15 minutes) "), "rate(15 minutes)");
}

TEST(SchedulerExpression, UnixCronBecomesSixFieldsWithAQuestionMark) {
  EXPECT_EQ(converted("0 6 * * 1-5"), "cron(0 6 ? * MON-FRI *)");
  EXPECT_EQ(converted("30 22 * * *"), "cron(30 22 * * ? *)");
  EXPECT_EQ(converted("*/15 9-17 * * *"), "cron(0,15,30,45 9-17 * * ? *)");
  EXPECT_EQ(converted("0 0 1,15 * *"), "cron(0 0 1,15 * ? *)");
  EXPECT_EQ(converted("0 12 * 1-3 *"), "cron(0 12 * 1-3 ? *)");
  // Sunday is 0 or 7 in Unix cron, SUN by name here (AWS numbers it 1).
  EXPECT_EQ(converted("0 8 * * 0"), "cron(0 8 ? * SUN *)");
  EXPECT_EQ(converted("0 8 * * 7"), "cron(0 8 ? * SUN *)");
  EXPECT_EQ(converted("0 8 * * 6,0"), "cron(0 8 ? * SUN,SAT *)");
}

TEST(SchedulerExpression, BothDayFieldsRestrictedCannotBeSaid) {
  auto expression = schedulerExpression("0 6 1 * 1");
  ASSERT_FALSE(expression.ok());
  EXPECT_NE(expression.error().message.find("needs ? in one of them"), std::string::npos)
      << expression.error().message;
}

TEST(SchedulerExpression, AnInvalidScheduleIsRefusedWithTheParsersWords) {
  auto expression = schedulerExpression("0 25 * * *");
  ASSERT_FALSE(expression.ok());
  EXPECT_EQ(expression.error().code, core::ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace rawfeed::deploy
