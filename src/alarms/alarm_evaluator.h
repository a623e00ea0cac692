#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alarms/alarm_action.h"
#include "alarms/alarm_definition.h"
#include "alarms/period_series.h"
#include "core/clock.h"
#include "core/result.h"
#include "observe/logger.h"

namespace rawfeed::alarms {

// One domain's current figures: a gauge's value, or a counter's running total (the evaluator
// turns totals into per-period counts). nullopt or NaN when unknown: a missing datapoint. Must
// be quick (it runs under the evaluator's lock) and must not call the evaluator.
using MetricReader = std::function<std::optional<double>(AlarmMetric)>;

struct AlarmStatus {
  std::string domain;
  AlarmDefinition definition;
  AlarmState state = AlarmState::kInsufficientData;
  std::string reason;
  core::SystemTime since{};  // when it entered this state (the evaluator's start at first)
};

// CloudWatch-style alarms over each domain's metrics. Every alarm starts INSUFFICIENT_DATA.
// Datapoints come from the domain's MetricReader at each sample() (gauges as read, counters as
// the delta since the previous read, folded into periods with the alarm's statistic) or from
// addDatapoint(). evaluate() judges the last M complete periods (alarm_rule.h); each change is
// returned, logged as "alarm_state_changed" and, when it enters or leaves ALARM, handed to the
// domain's actions — so a restart's INSUFFICIENT_DATA → OK pages nobody. Owns no thread: the
// service calls tick() every few seconds, a test calls sample()/evaluate() with its own times.
// Thread-safe.
class AlarmEvaluator {
 public:
  AlarmEvaluator(const core::Clock& clock, observe::Logger& logger);

  // kInvalidInput for an invalid definition (validate()), a duplicate alarm name within the
  // domain, or a domain added twice.
  core::Status addDomain(const std::string& domain, const std::vector<AlarmDefinition>& alarms,
                         MetricReader reader, std::vector<std::shared_ptr<AlarmAction>> actions);

  // A datapoint for one alarm, used as is (for counter metrics: a count within the period).
  // kNotFound for an unknown domain or alarm.
  core::Status addDatapoint(std::string_view domain, std::string_view alarm, core::SystemTime time,
                            double value);

  // Reads every domain's metrics once, at `now`.
  void sample(core::SystemTime now);
  // Judges every alarm at `now`; returns the transitions, after logging and notifying them.
  std::vector<Transition> evaluate(core::SystemTime now);
  // sample() then evaluate() at the clock's now. For gauges fed by registry collectors, run
  // MetricsRegistry::collect() (or Sampler::sample(), which does) first.
  std::vector<Transition> tick();

  // Every alarm's state, domains and alarms in the order added.
  std::vector<AlarmStatus> statuses() const;

 private:
  struct Alarm {
    AlarmDefinition definition;
    PeriodSeries series;
    AlarmState state = AlarmState::kInsufficientData;
    std::string reason;
    core::SystemTime since{};
    std::optional<double> last_total;  // counters: the previous reading, for the delta
  };
  struct Domain {
    std::string name;
    std::vector<Alarm> alarms;
    MetricReader reader;
    std::vector<std::shared_ptr<AlarmAction>> actions;
  };
  struct Notice {
    Transition transition;
    std::vector<std::shared_ptr<AlarmAction>> actions;  // empty when actions are off
  };

  static void record(Alarm& alarm, core::SystemTime now, std::optional<double> reading);
  void announce(const std::vector<Notice>& notices);

  const core::Clock& clock_;
  observe::Logger& logger_;
  mutable std::mutex mutex_;  // guards domains_ (definitions, series, states)
  std::vector<Domain> domains_;
};

}  // namespace rawfeed::alarms
