#include "alarms/alarm_evaluator.h"

#include <gtest/gtest.h>

#include <limits>

#include "alarms/domain_metric_reader.h"
#include "observe/domain_metrics.h"
#include "recording_action.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/recording_logger.h"

namespace rawfeed::alarms {
namespace {

using fakes::RecordingLogger;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::RecordingAction;

// "ALARM queue_depth: OK -> ALARM" — what happened, compact enough to compare as a list.
std::string summary(const Transition& t) {
  std::string text = t.alarm;
  text += ": ";
  text += alarmStateName(t.from);
  text += " -> ";
  text += alarmStateName(t.to);
  return text;
}

class EvaluatorTest : public ::testing::Test {
 protected:
  EvaluatorTest() {
    EXPECT_TRUE(
        evaluator_.addDomain("d", defaultAlarms(), domainMetricReader(metrics_), {action_}).ok());
  }

  // Ticks every 10 s for `span`, as the service does; returns the transitions in order.
  std::vector<std::string> runFor(std::chrono::seconds span) {
    std::vector<std::string> out;
    for (auto elapsed = seconds(0); elapsed < span; elapsed += seconds(10)) {
      clock_.advance(seconds(10));
      for (const Transition& t : evaluator_.tick())
        out.push_back(summary(t));
    }
    return out;
  }

  using V = std::vector<std::string>;

  fakes::FakeClock clock_;  // 22:13:20, mid-minute
  RecordingLogger logger_;
  observe::MetricsRegistry registry_;
  observe::DomainMetrics metrics_{registry_, "d"};
  std::shared_ptr<RecordingAction> action_ = std::make_shared<RecordingAction>();
  AlarmEvaluator evaluator_{clock_, logger_};
};

TEST_F(EvaluatorTest, EveryAlarmStartsWithInsufficientData) {
  for (const AlarmStatus& status : evaluator_.statuses()) {
    EXPECT_EQ(status.state, AlarmState::kInsufficientData) << status.definition.name;
    EXPECT_EQ(status.domain, "d");
  }
  EXPECT_EQ(evaluator_.statuses().size(), 3u);
}

TEST_F(EvaluatorTest, QueueDepthGoesOkThenAlarmThenOk) {
  metrics_.oldest_message_age_seconds.set(1);
  metrics_.queue_visible.set(10);
  // Worker errors (notBreaching) is OK at the first tick; the gauges need a complete minute,
  // 22:13, judged at 22:14:00.
  EXPECT_EQ(runFor(seconds(30)), (V{"worker_errors: INSUFFICIENT_DATA -> OK"}));
  EXPECT_EQ(runFor(seconds(10)), (V{"queue_depth: INSUFFICIENT_DATA -> OK",
                                    "oldest_message_age: INSUFFICIENT_DATA -> OK"}));
  metrics_.queue_visible.set(150);
  // 22:14 breaches already (Maximum of 10 and 150); five breaching minutes, 22:14 .. 22:18,
  // are complete at 22:19:00 and not a tick earlier.
  EXPECT_EQ(runFor(minutes(4) + seconds(50)), V{});
  EXPECT_EQ(runFor(seconds(10)), (V{"queue_depth: OK -> ALARM"}));
  metrics_.queue_visible.set(99);
  // 22:19 still breached at its first tick; 22:20 is the first good minute, judged at 22:21.
  EXPECT_EQ(runFor(seconds(60)), V{});
  EXPECT_EQ(runFor(seconds(60)), (V{"queue_depth: ALARM -> OK"}));
  EXPECT_EQ(evaluator_.statuses()[0].reason,
            "Threshold Crossed: 1 out of the last 5 datapoints [99.0 (14/11/23 22:20:00)] was "
            "not greater than or equal to the threshold (100.0) (minimum 1 datapoint for "
            "ALARM -> OK transition).");
}

TEST_F(EvaluatorTest, OldestMessageAgeGoesOkThenAlarmThenOk) {
  metrics_.oldest_message_age_seconds.set(10);
  runFor(seconds(50));
  EXPECT_EQ(evaluator_.statuses()[1].state, AlarmState::kOk);
  metrics_.oldest_message_age_seconds.set(300);  // >= 300 breaches
  EXPECT_EQ(runFor(minutes(6)), (V{"oldest_message_age: OK -> ALARM"}));
  metrics_.oldest_message_age_seconds.set(0);
  EXPECT_EQ(runFor(minutes(2)), (V{"oldest_message_age: ALARM -> OK"}));
}

TEST_F(EvaluatorTest, WorkerErrorsAlarmOnOneBadMinuteAndClearAfterFiveGoodOnes) {
  EXPECT_EQ(evaluator_.tick().size(), 1u);  // worker_errors INSUFFICIENT_DATA -> OK at once
  runFor(seconds(40));                      // to 22:14:00
  metrics_.worker_errors.inc();             // in the minute 22:14
  EXPECT_EQ(runFor(seconds(60)), (V{"worker_errors: OK -> ALARM"}));
  EXPECT_EQ(runFor(minutes(4)), V{});
  EXPECT_EQ(runFor(seconds(60)), (V{"worker_errors: ALARM -> OK"}));
  const auto status = evaluator_.statuses()[2];
  EXPECT_EQ(status.definition.name, "worker_errors");
  EXPECT_EQ(status.since, clock_.now());
}

TEST_F(EvaluatorTest, TransitionsAreLoggedAndAlarmChangesNotified) {
  metrics_.oldest_message_age_seconds.set(1);
  metrics_.queue_visible.set(150);
  runFor(minutes(7));
  metrics_.queue_visible.set(0);
  runFor(minutes(2));

  const auto logged = logger_.events("alarm_state_changed");
  ASSERT_EQ(logged.size(), 4u);  // errors OK, age OK, depth ALARM, depth OK
  const auto& alarm = logged[2];
  EXPECT_EQ(alarm.level, observe::Level::kWarn);
  EXPECT_EQ(alarm.fields.at("domain"), "d");
  EXPECT_EQ(alarm.fields.at("alarm"), "queue_depth");
  EXPECT_EQ(alarm.fields.at("from"), "INSUFFICIENT_DATA");
  EXPECT_EQ(alarm.fields.at("to"), "ALARM");
  EXPECT_EQ(alarm.fields.at("reason"),
            "Threshold Crossed: 5 out of the last 5 datapoints [150.0 (14/11/23 22:17:00), "
            "150.0 (14/11/23 22:16:00), 150.0 (14/11/23 22:15:00), 150.0 (14/11/23 22:14:00), "
            "150.0 (14/11/23 22:13:00)] were greater than or equal to the threshold (100.0) "
            "(minimum 5 datapoints for INSUFFICIENT_DATA -> ALARM transition).");
  EXPECT_EQ(logged[3].level, observe::Level::kInfo);

  // Only entering and leaving ALARM reach the actions: a restart's "-> OK" pages nobody.
  const auto notified = action_->seen();
  ASSERT_EQ(notified.size(), 2u);
  EXPECT_EQ(summary(notified[0]), "queue_depth: INSUFFICIENT_DATA -> ALARM");
  EXPECT_EQ(summary(notified[1]), "queue_depth: ALARM -> OK");
  EXPECT_EQ(notified[0].domain, "d");
  EXPECT_EQ(notified[0].reason, alarm.fields.at("reason"));
  EXPECT_EQ(notified[0].time, core::SystemTime(seconds(1'700'000'280)));  // 22:18:00
}

TEST_F(EvaluatorTest, AnUnreadableQueueBecomesInsufficientData) {
  metrics_.setQueueFigures({150, 0, 0, 0, 500.0});
  runFor(minutes(7));
  ASSERT_EQ(evaluator_.statuses()[0].state, AlarmState::kAlarm);
  metrics_.markQueueUnknown();
  const auto changes = runFor(minutes(2));
  EXPECT_EQ(changes, (V{"queue_depth: ALARM -> INSUFFICIENT_DATA",
                        "oldest_message_age: ALARM -> INSUFFICIENT_DATA"}));
  EXPECT_EQ(evaluator_.statuses()[0].reason, "Insufficient Data: 1 datapoint was unknown.");
}

TEST_F(EvaluatorTest, ActionsCanBeSwitchedOff) {
  RecordingLogger logger;
  AlarmEvaluator evaluator(clock_, logger);
  auto quiet = defaultAlarms();
  for (auto& d : quiet)
    d.actions_enabled = false;
  auto action = std::make_shared<RecordingAction>();
  ASSERT_TRUE(evaluator.addDomain("d", quiet, domainMetricReader(metrics_), {action}).ok());
  metrics_.queue_visible.set(500);
  for (int i = 0; i < 60; ++i) {
    clock_.advance(seconds(10));
    evaluator.tick();
  }
  EXPECT_EQ(evaluator.statuses()[0].state, AlarmState::kAlarm);
  EXPECT_TRUE(action->seen().empty());
}

AlarmDefinition pushed(std::string name, int n, TreatMissingData treat) {
  AlarmDefinition d;
  d.name = std::move(name);
  d.metric = AlarmMetric::kDlqDepth;
  d.threshold = 1;
  d.datapoints_to_alarm = n;
  d.treat_missing_data = treat;
  return d;
}

class PushedTest : public ::testing::Test {
 protected:
  // A whole minute, so periods line up with the clock's minutes.
  static constexpr core::SystemTime kT0{seconds(1'700'000'040)};

  core::SystemTime minute(int i) const { return kT0 + minutes(i); }
  void push(std::string_view alarm, int i, double value) {
    ASSERT_TRUE(evaluator_.addDatapoint("d", alarm, minute(i) + seconds(30), value).ok());
  }
  AlarmState stateAt(int i) {
    evaluator_.evaluate(minute(i));
    for (const auto& s : evaluator_.statuses())
      return s.state;
    return AlarmState::kInsufficientData;
  }

  fakes::FakeClock clock_{kT0};
  RecordingLogger logger_;
  AlarmEvaluator evaluator_{clock_, logger_};
};

TEST_F(PushedTest, ThreeOfFive) {
  ASSERT_TRUE(
      evaluator_.addDomain("d", {pushed("dlq", 3, TreatMissingData::kMissing)}, {}, {}).ok());
  const double values[] = {0, 5, 0, 5, 0, 5, 5, 0};
  std::vector<AlarmState> states;
  for (int i = 0; i < 8; ++i) {
    push("dlq", i, values[i]);
    states.push_back(stateAt(i + 1));
  }
  states.push_back(stateAt(9));
  using State = AlarmState;
  const std::vector<State> expected = {
      State::kInsufficientData,  // - - - - 0: four unknown could still make three
      State::kInsufficientData,  // - - - 0 5
      State::kInsufficientData,  // - - 0 5 0: one breach, two unknown
      State::kInsufficientData,  // - 0 5 0 5
      State::kOk,                // 0 5 0 5 0: two of five
      State::kAlarm,             // 5 0 5 0 5: three
      State::kAlarm,             // 0 5 0 5 5
      State::kAlarm,             // 5 0 5 5 0
      State::kInsufficientData,  // 0 5 5 0 -: the missing minute might have been the third
  };
  EXPECT_EQ(states, expected);
}

TEST_F(PushedTest, MissingDataModes) {
  ASSERT_TRUE(evaluator_
                  .addDomain("d",
                             {pushed("missing", 1, TreatMissingData::kMissing),
                              pushed("ignore", 1, TreatMissingData::kIgnore),
                              pushed("breaching", 1, TreatMissingData::kBreaching),
                              pushed("not_breaching", 1, TreatMissingData::kNotBreaching)},
                             {}, {})
                  .ok());
  for (const char* alarm : {"missing", "ignore", "breaching", "not_breaching"}) {
    for (int i = 0; i < 5; ++i)
      push(alarm, i, 5);
  }
  evaluator_.evaluate(minute(5));
  // Then nothing for five minutes.
  evaluator_.evaluate(minute(10));
  const auto statuses = evaluator_.statuses();
  EXPECT_EQ(statuses[0].state, AlarmState::kInsufficientData);  // missing
  EXPECT_EQ(statuses[1].state, AlarmState::kAlarm);             // ignore: kept
  EXPECT_EQ(statuses[2].state, AlarmState::kAlarm);             // breaching
  EXPECT_EQ(statuses[3].state, AlarmState::kOk);                // notBreaching
}

TEST_F(PushedTest, StatisticsFoldReadingsIntoOneDatapoint) {
  AlarmDefinition sum = pushed("sum", 1, TreatMissingData::kMissing);
  sum.statistic = Statistic::kSum;
  sum.threshold = 10;
  sum.evaluation_periods = 1;
  AlarmDefinition average = sum;
  average.name = "average";
  average.statistic = Statistic::kAverage;
  ASSERT_TRUE(evaluator_.addDomain("d", {sum, average}, {}, {}).ok());
  for (double v : {4.0, 4.0, 4.0}) {
    push("sum", 0, v);
    push("average", 0, v);
  }
  evaluator_.evaluate(minute(1));
  EXPECT_EQ(evaluator_.statuses()[0].state, AlarmState::kAlarm);  // 12 >= 10
  EXPECT_EQ(evaluator_.statuses()[1].state, AlarmState::kOk);     // 4 < 10
}

TEST_F(PushedTest, CountersBecomeDeltasAndSurviveARestart) {
  AlarmDefinition errors = pushed("errors", 1, TreatMissingData::kMissing);
  errors.metric = AlarmMetric::kWorkerErrors;
  errors.threshold = 5;
  errors.evaluation_periods = 1;
  double total = 100;  // the counter's running total, as a reader returns it
  ASSERT_TRUE(evaluator_.addDomain("d", {errors}, [&](AlarmMetric) { return total; }, {}).ok());
  evaluator_.sample(minute(0));  // baseline only
  total = 103;
  evaluator_.sample(minute(0) + seconds(30));  // +3
  evaluator_.evaluate(minute(1));
  EXPECT_EQ(evaluator_.statuses()[0].state, AlarmState::kOk);
  total = 108;
  evaluator_.sample(minute(1) + seconds(30));  // +5
  evaluator_.evaluate(minute(2));
  EXPECT_EQ(evaluator_.statuses()[0].state, AlarmState::kAlarm);
  total = 2;  // restarted: all of it is new
  evaluator_.sample(minute(2) + seconds(30));
  evaluator_.evaluate(minute(3));
  EXPECT_EQ(evaluator_.statuses()[0].state, AlarmState::kOk);
}

TEST_F(PushedTest, RejectsBadDefinitionsAndUnknownNames) {
  AlarmDefinition bad = pushed("bad", 6, TreatMissingData::kMissing);  // N > M
  EXPECT_EQ(evaluator_.addDomain("d", {bad}, {}, {}).error().code, core::ErrorCode::kInvalidInput);
  const auto twice = pushed("same", 1, TreatMissingData::kMissing);
  EXPECT_FALSE(evaluator_.addDomain("d", {twice, twice}, {}, {}).ok());
  ASSERT_TRUE(evaluator_.addDomain("d", {twice}, {}, {}).ok());
  EXPECT_FALSE(evaluator_.addDomain("d", {twice}, {}, {}).ok());
  EXPECT_EQ(evaluator_.addDatapoint("d", "nope", minute(0), 1).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(evaluator_.addDatapoint("other", "same", minute(0), 1).error().code,
            core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace rawfeed::alarms
