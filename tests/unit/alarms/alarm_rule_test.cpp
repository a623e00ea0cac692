#include "alarms/alarm_rule.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "alarms/reason_text.h"

namespace rawfeed::alarms {
namespace {

constexpr std::int64_t kFirst = 1'700'000'040;  // 14/11/23 22:14:00 UTC
constexpr std::optional<double> _ = std::nullopt;

std::vector<WindowSlot> window(std::vector<std::optional<double>> values) {
  std::vector<WindowSlot> slots;
  for (std::size_t i = 0; i < values.size(); ++i) {
    slots.push_back({kFirst + static_cast<std::int64_t>(i) * 60, values[i]});
  }
  return slots;
}

AlarmDefinition threeOfFive(TreatMissingData treat) {
  AlarmDefinition d;
  d.name = "queue_depth";
  d.threshold = 100;
  d.datapoints_to_alarm = 3;
  d.treat_missing_data = treat;
  return d;
}

struct Case {
  const char* name;
  TreatMissingData treat;
  std::vector<std::optional<double>> values;  // oldest first
  AlarmState current;
  AlarmState expected;
  const char* reason;
};

class DecideTest : public ::testing::TestWithParam<Case> {};

TEST_P(DecideTest, FollowsCloudWatch) {
  const Case& c = GetParam();
  const auto slots = window(c.values);
  const Decision decision = decide(threeOfFive(c.treat), slots, c.current);
  EXPECT_EQ(alarmStateName(decision.state), std::string(alarmStateName(c.expected)));
  EXPECT_EQ(decision.reason, c.reason);
}

using S = AlarmState;
using T = TreatMissingData;

INSTANTIATE_TEST_SUITE_P(
    Table, DecideTest,
    ::testing::Values(
        Case{"three_of_five_breach",
             T::kMissing,
             {120, 50, 130, 90, 140},
             S::kOk,
             S::kAlarm,
             "Threshold Crossed: 3 out of the last 5 datapoints [140.0 (14/11/23 22:18:00), "
             "130.0 (14/11/23 22:16:00), 120.0 (14/11/23 22:14:00)] were greater than or equal "
             "to the threshold (100.0) (minimum 3 datapoints for OK -> ALARM transition)."},
        Case{"two_of_five_is_ok",
             T::kMissing,
             {120, 50, 130, 90, 40},
             S::kAlarm,
             S::kOk,
             "Threshold Crossed: 3 out of the last 5 datapoints [40.0 (14/11/23 22:18:00), "
             "90.0 (14/11/23 22:17:00), 50.0 (14/11/23 22:15:00)] were not greater than or "
             "equal to the threshold (100.0) (minimum 3 datapoints for ALARM -> OK "
             "transition)."},
        Case{"missing_all_is_insufficient",
             T::kMissing,
             {_, _, _, _, _},
             S::kOk,
             S::kInsufficientData,
             "Insufficient Data: 5 datapoints were unknown."},
        Case{"missing_undecided_is_insufficient",
             T::kMissing,
             {120, _, 130, _, 50},
             S::kAlarm,
             S::kInsufficientData,
             "Insufficient Data: 2 datapoints were unknown."},
        Case{"missing_decided_despite_gaps",
             T::kMissing,
             {50, 40, _, 30.5, 60},
             S::kInsufficientData,
             S::kOk,
             "Threshold Crossed: 4 out of the last 5 datapoints [60.0 (14/11/23 22:18:00), "
             "30.5 (14/11/23 22:17:00), 40.0 (14/11/23 22:15:00), 50.0 (14/11/23 22:14:00)] "
             "were not greater than or equal to the threshold (100.0) (minimum 3 datapoints "
             "for INSUFFICIENT_DATA -> OK transition)."},
        Case{"ignore_undecided_keeps_ok", T::kIgnore, {120, _, 130, _, 50}, S::kOk, S::kOk, ""},
        Case{"ignore_all_missing_keeps_alarm",
             T::kIgnore,
             {_, _, _, _, _},
             S::kAlarm,
             S::kAlarm,
             ""},
        Case{"ignore_all_missing_keeps_insufficient",
             T::kIgnore,
             {_, _, _, _, _},
             S::kInsufficientData,
             S::kInsufficientData,
             ""},
        Case{"breaching_fills_gaps",
             T::kBreaching,
             {_, _, _, 50, 60},
             S::kOk,
             S::kAlarm,
             "Threshold Crossed: no datapoints were received for 3 periods and 3 missing "
             "datapoints were treated as [Breaching] (minimum 3 datapoints for OK -> ALARM "
             "transition)."},
        Case{"breaching_mixed",
             T::kBreaching,
             {120, _, 50, 60, 130},
             S::kOk,
             S::kAlarm,
             "Threshold Crossed: 2 out of the last 5 datapoints [130.0 (14/11/23 22:18:00), "
             "120.0 (14/11/23 22:14:00)] were greater than or equal to the threshold (100.0) "
             "and 1 missing datapoint was treated as [Breaching] (minimum 3 datapoints for OK "
             "-> ALARM transition)."},
        Case{"not_breaching_all_missing_is_ok",
             T::kNotBreaching,
             {_, _, _, _, _},
             S::kInsufficientData,
             S::kOk,
             "Threshold Crossed: no datapoints were received for 5 periods and 5 missing "
             "datapoints were treated as [NonBreaching] (minimum 3 datapoints for "
             "INSUFFICIENT_DATA -> OK transition)."},
        Case{"not_breaching_still_alarms",
             T::kNotBreaching,
             {120, 130, _, 140, _},
             S::kOk,
             S::kAlarm,
             "Threshold Crossed: 3 out of the last 5 datapoints [140.0 (14/11/23 22:17:00), "
             "130.0 (14/11/23 22:15:00), 120.0 (14/11/23 22:14:00)] were greater than or equal "
             "to the threshold (100.0) (minimum 3 datapoints for OK -> ALARM transition)."}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(Decide, OneOfOneSpeaksInTheSingular) {
  AlarmDefinition d;
  d.name = "low";
  d.comparison = Comparison::kLess;
  d.threshold = 1;
  d.evaluation_periods = 1;
  const auto slots = window({0.5});
  EXPECT_EQ(decide(d, slots, AlarmState::kOk).reason,
            "Threshold Crossed: 1 out of the last 1 datapoints [0.5 (14/11/23 22:14:00)] was "
            "less than the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).");
}

TEST(Decide, StrictComparisonsAtTheThreshold) {
  AlarmDefinition d;
  d.name = "x";
  d.threshold = 100;
  d.evaluation_periods = 1;
  const auto at = window({100});
  d.comparison = Comparison::kGreater;
  EXPECT_EQ(decide(d, at, AlarmState::kOk).state, AlarmState::kOk);
  d.comparison = Comparison::kGreaterOrEqual;
  EXPECT_EQ(decide(d, at, AlarmState::kOk).state, AlarmState::kAlarm);
  d.comparison = Comparison::kLessOrEqual;
  EXPECT_EQ(decide(d, at, AlarmState::kOk).state, AlarmState::kAlarm);
  d.comparison = Comparison::kLess;
  EXPECT_EQ(decide(d, at, AlarmState::kOk).state, AlarmState::kOk);
}

TEST(ReasonText, NumbersAndTimesAsCloudWatchPrintsThem) {
  EXPECT_EQ(reason::formatNumber(120), "120.0");
  EXPECT_EQ(reason::formatNumber(0.5), "0.5");
  EXPECT_EQ(reason::formatNumber(-3), "-3.0");
  EXPECT_EQ(reason::formatTime(1'795'698'300), "26/11/26 13:05:00");
}

}  // namespace
}  // namespace rawfeed::alarms
