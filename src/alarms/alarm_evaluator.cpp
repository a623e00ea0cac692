#include "alarms/alarm_evaluator.h"

#include <cmath>
#include <map>

#include "alarms/alarm_rule.h"

namespace rawfeed::alarms {

AlarmEvaluator::AlarmEvaluator(const core::Clock& clock, observe::Logger& logger)
    : clock_(clock), logger_(logger) {}

core::Status AlarmEvaluator::addDomain(const std::string& domain,
                                       const std::vector<AlarmDefinition>& alarms,
                                       MetricReader reader,
                                       std::vector<std::shared_ptr<AlarmAction>> actions) {
  Domain entry{domain, {}, std::move(reader), std::move(actions)};
  const core::SystemTime now = clock_.now();
  for (const AlarmDefinition& definition : alarms) {
    if (auto valid = validate(definition); !valid)
      return valid.error();
    for (const Alarm& other : entry.alarms) {
      if (other.definition.name == definition.name) {
        std::string message = "domain '";
        message += domain;
        message += "': alarm '";
        message += definition.name;
        message += "' is defined twice";
        return core::makeError(core::ErrorCode::kInvalidInput, message);
      }
    }
    PeriodSeries series(definition.period, definition.evaluation_periods,
                        definition.effectiveStatistic());
    entry.alarms.push_back(Alarm{definition, std::move(series), AlarmState::kInsufficientData,
                                 "Unchecked: Initial alarm creation", now, std::nullopt});
  }
  std::lock_guard lock(mutex_);
  for (const Domain& existing : domains_) {
    if (existing.name == domain) {
      std::string message = "domain '";
      message += domain;
      message += "' has alarms already";
      return core::makeError(core::ErrorCode::kInvalidInput, message);
    }
  }
  domains_.push_back(std::move(entry));
  return core::okStatus();
}

core::Status AlarmEvaluator::addDatapoint(std::string_view domain, std::string_view alarm,
                                          core::SystemTime time, double value) {
  std::lock_guard lock(mutex_);
  for (Domain& d : domains_) {
    if (d.name != domain)
      continue;
    for (Alarm& a : d.alarms) {
      if (a.definition.name == alarm) {
        if (!std::isnan(value))
          a.series.add(time, value);
        return core::okStatus();
      }
    }
  }
  std::string message = "no alarm '";
  message += alarm;
  message += "' for domain '";
  message += domain;
  message += "'";
  return core::makeError(core::ErrorCode::kNotFound, message);
}

void AlarmEvaluator::record(Alarm& alarm, core::SystemTime now, std::optional<double> reading) {
  if (reading && std::isnan(*reading))
    reading.reset();
  if (!isCounterMetric(alarm.definition.metric)) {
    if (reading)
      alarm.series.add(now, *reading);
    return;
  }
  // The first reading is only a baseline; a total that went down means the counter restarted,
  // so everything it holds is new.
  if (reading && alarm.last_total) {
    const double delta = *reading >= *alarm.last_total ? *reading - *alarm.last_total : *reading;
    alarm.series.add(now, delta);
  }
  if (reading)
    alarm.last_total = reading;
}

void AlarmEvaluator::sample(core::SystemTime now) {
  std::lock_guard lock(mutex_);
  for (Domain& domain : domains_) {
    std::map<AlarmMetric, std::optional<double>> readings;  // one read per metric per sample
    for (Alarm& alarm : domain.alarms) {
      const AlarmMetric metric = alarm.definition.metric;
      auto it = readings.find(metric);
      if (it == readings.end()) {
        it = readings.emplace(metric, domain.reader ? domain.reader(metric) : std::nullopt).first;
      }
      record(alarm, now, it->second);
    }
  }
}

std::vector<Transition> AlarmEvaluator::evaluate(core::SystemTime now) {
  std::vector<Notice> notices;
  {
    std::lock_guard lock(mutex_);
    for (Domain& domain : domains_) {
      for (Alarm& alarm : domain.alarms) {
        const auto window = alarm.series.window(now, alarm.definition.evaluation_periods);
        Decision decision = decide(alarm.definition, window, alarm.state);
        if (decision.state == alarm.state) {
          continue;
        }
        Notice notice{Transition{alarm.definition.name, domain.name, alarm.state, decision.state,
                                 decision.reason, now},
                      {}};
        if (alarm.definition.actions_enabled &&
            (alarm.state == AlarmState::kAlarm || decision.state == AlarmState::kAlarm)) {
          notice.actions = domain.actions;
        }
        alarm.state = decision.state;
        alarm.reason = std::move(decision.reason);
        alarm.since = now;
        notices.push_back(std::move(notice));
      }
    }
  }
  announce(notices);
  std::vector<Transition> transitions;
  transitions.reserve(notices.size());
  for (Notice& notice : notices)
    transitions.push_back(std::move(notice.transition));
  return transitions;
}

void AlarmEvaluator::announce(const std::vector<Notice>& notices) {
  // Outside the lock: actions only queue work, but a slow logger must not stall statuses().
  for (const Notice& notice : notices) {
    const Transition& t = notice.transition;
    const auto level = t.to == AlarmState::kAlarm ? observe::Level::kWarn : observe::Level::kInfo;
    logger_.log(level, "alarm_state_changed",
                {{"domain", t.domain},
                 {"alarm", t.alarm},
                 {"from", alarmStateName(t.from)},
                 {"to", alarmStateName(t.to)},
                 {"reason", t.reason}});
    for (const auto& action : notice.actions)
      action->notify(t);
  }
}

std::vector<Transition> AlarmEvaluator::tick() {
  const core::SystemTime now = clock_.now();
  sample(now);
  return evaluate(now);
}

std::vector<AlarmStatus> AlarmEvaluator::statuses() const {
  std::lock_guard lock(mutex_);
  std::vector<AlarmStatus> out;
  for (const Domain& domain : domains_) {
    for (const Alarm& alarm : domain.alarms) {
      out.push_back(
          AlarmStatus{domain.name, alarm.definition, alarm.state, alarm.reason, alarm.since});
    }
  }
  return out;
}

}  // namespace rawfeed::alarms
