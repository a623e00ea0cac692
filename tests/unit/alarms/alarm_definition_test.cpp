#include "alarms/alarm_definition.h"

#include <gtest/gtest.h>

namespace rawfeed::alarms {
namespace {

TEST(AlarmDefinition, SourcePausedWatchesHowLongTheSourceRefusedUs) {
  const AlarmDefinition paused = sourcePausedAlarm();
  EXPECT_EQ(paused.name, "source_paused");
  EXPECT_EQ(paused.metric, AlarmMetric::kSourcePausedSeconds);
  EXPECT_EQ(paused.threshold, 900);
  EXPECT_EQ(paused.datapointsToAlarm(), 1);
  EXPECT_FALSE(isCounterMetric(paused.metric));
  EXPECT_EQ(parseAlarmMetric("source_paused_seconds"), AlarmMetric::kSourcePausedSeconds);
  EXPECT_TRUE(validate(paused).ok());
}

TEST(AlarmDefinition, DefaultsAreTheDesignsThree) {
  const auto alarms = defaultAlarms();
  ASSERT_EQ(alarms.size(), 3u);
  EXPECT_EQ(alarms[0].metric, AlarmMetric::kQueueDepth);
  EXPECT_EQ(alarms[0].threshold, 100);
  EXPECT_EQ(alarms[1].metric, AlarmMetric::kOldestMessageAgeSeconds);
  EXPECT_EQ(alarms[1].threshold, 300);
  EXPECT_EQ(alarms[2].metric, AlarmMetric::kWorkerErrors);
  EXPECT_EQ(alarms[2].threshold, 1);
  for (const auto& alarm : alarms) {
    EXPECT_EQ(alarm.comparison, Comparison::kGreaterOrEqual);
    EXPECT_EQ(alarm.period, std::chrono::seconds(60));
    EXPECT_EQ(alarm.evaluation_periods, 5);
    EXPECT_TRUE(validate(alarm).ok()) << alarm.name;
  }
  EXPECT_EQ(alarms[0].datapointsToAlarm(), 5);
  EXPECT_EQ(alarms[2].datapointsToAlarm(), 1);
  EXPECT_EQ(alarms[0].effectiveStatistic(), Statistic::kMaximum);
  EXPECT_EQ(alarms[2].effectiveStatistic(), Statistic::kSum);
}

TEST(AlarmDefinition, ParsesNamesBothWays) {
  for (auto metric :
       {AlarmMetric::kQueueDepth, AlarmMetric::kInFlight, AlarmMetric::kOldestMessageAgeSeconds,
        AlarmMetric::kDlqDepth, AlarmMetric::kWorkerErrors, AlarmMetric::kThrottles,
        AlarmMetric::kMessagesDeadLettered, AlarmMetric::kScheduleMisfires}) {
    EXPECT_EQ(parseAlarmMetric(alarmMetricName(metric)), metric);
  }
  EXPECT_EQ(parseAlarmMetric("queue-depth"), std::nullopt);
  EXPECT_EQ(parseComparison(">="), Comparison::kGreaterOrEqual);
  EXPECT_EQ(parseComparison("LessThanThreshold"), Comparison::kLess);
  EXPECT_EQ(parseComparison("=>"), std::nullopt);
  EXPECT_EQ(parseTreatMissingData("notBreaching"), TreatMissingData::kNotBreaching);
  EXPECT_EQ(parseTreatMissingData("not_breaching"), std::nullopt);
  EXPECT_EQ(parseStatistic("Average"), Statistic::kAverage);
}

TEST(AlarmDefinition, ValidateNamesTheRule) {
  AlarmDefinition d = defaultAlarms()[0];
  d.datapoints_to_alarm = 6;
  auto status = validate(d);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(status.error().message,
            "alarm 'queue_depth': datapoints_to_alarm must be between 1 and evaluation_periods");
  d = defaultAlarms()[0];
  d.period = std::chrono::seconds(0);
  EXPECT_FALSE(validate(d).ok());
  d = defaultAlarms()[0];
  d.name.clear();
  EXPECT_FALSE(validate(d).ok());
  d = defaultAlarms()[0];
  d.period = std::chrono::hours(1);
  d.evaluation_periods = 25;
  EXPECT_FALSE(validate(d).ok());
}

}  // namespace
}  // namespace rawfeed::alarms
