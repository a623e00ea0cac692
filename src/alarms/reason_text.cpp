#include "alarms/reason_text.h"

#include <fmt/format.h>

#include <cmath>
#include <ctime>

namespace rawfeed::alarms::reason {
namespace {

const char* comparisonPhrase(Comparison comparison) {
  switch (comparison) {
    case Comparison::kGreaterOrEqual:
      return "greater than or equal to";
    case Comparison::kGreater:
      return "greater than";
    case Comparison::kLessOrEqual:
      return "less than or equal to";
    case Comparison::kLess:
      return "less than";
  }
  return "greater than or equal to";
}

// "1 datapoint was" / "2 datapoints were".
std::string counted(int n, const char* noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}
const char* verb(int n) {
  return n == 1 ? "was" : "were";
}

}  // namespace

std::string formatNumber(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "Infinity" : "-Infinity";
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".e") == std::string::npos)
    text += ".0";
  return text;
}

std::string formatTime(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%d/%m/%y %H:%M:%S", &tm);
  return text;
}

std::string thresholdCrossed(const AlarmDefinition& d, const Crossing& c) {
  const bool to_alarm = c.to == AlarmState::kAlarm;
  const char* treated = to_alarm ? "[Breaching]" : "[NonBreaching]";
  std::string text = "Threshold Crossed: ";
  const int present = static_cast<int>(c.listed.size());
  if (present == 0) {
    text += fmt::format("no datapoints were received for {} and {} {} treated as {}",
                        counted(c.missing_counted, "period"),
                        counted(c.missing_counted, "missing datapoint"), verb(c.missing_counted),
                        treated);
  } else {
    // CloudWatch says "1 out of the last 1 datapoints": the plural is fixed there.
    text += fmt::format("{} out of the last {} datapoints [", present, c.window);
    for (int i = 0; i < present; ++i) {
      if (i > 0)
        text += ", ";
      text += formatNumber(*c.listed[static_cast<std::size_t>(i)].value);
      text += " (";
      text += formatTime(c.listed[static_cast<std::size_t>(i)].start);
      text += ')';
    }
    text += fmt::format("] {} {}{} the threshold ({})", verb(present), to_alarm ? "" : "not ",
                        comparisonPhrase(d.comparison), formatNumber(d.threshold));
    if (c.missing_counted > 0) {
      text +=
          fmt::format(" and {} {} treated as {}", counted(c.missing_counted, "missing datapoint"),
                      verb(c.missing_counted), treated);
    }
  }
  text += fmt::format(" (minimum {} for {} -> {} transition).", counted(c.minimum, "datapoint"),
                      alarmStateName(c.from), alarmStateName(c.to));
  return text;
}

std::string insufficientData(int unknown) {
  return fmt::format("Insufficient Data: {} {} unknown.", counted(unknown, "datapoint"),
                     verb(unknown));
}

}  // namespace rawfeed::alarms::reason
