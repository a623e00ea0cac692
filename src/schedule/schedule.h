#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace rawfeed::schedule {

// When something fires: an AWS EventBridge cron(...) or rate(...) expression, or a five-field
// Unix cron line, read in an IANA time zone. An immutable value, cheap to copy, thread-safe.
//
// - cron fields are read on the zone's wall clock. A wall time the day skips (spring forward:
//   02:30 in New York on 2024-03-10) does not fire that day; one the day repeats (fall back)
//   fires once, at its first occurrence.
// - rate(N unit) fires at every whole multiple of its period since 1970-01-01T00:00:00Z, in
//   absolute time whatever the zone: rate(5 minutes) at :00, :05, ...; rate(1 day) at 00:00Z.
//   AWS counts from the rule's creation instead; a fixed anchor makes every restart land on the
//   same instants rather than drifting with the start time. The zone still names the
//   logical date.
// - Nothing fires after the end of 2199 (the last year AWS's year field accepts).
class Schedule {
 public:
  // Errors are kInvalidInput naming the expression, the field and the rule, e.g.
  // "cron(0 22 * * MON-FRI *): day-of-month and day-of-week cannot both be specified; use ? in
  // one of them", or "unknown time zone 'Asia/Seol'".
  static core::Result<Schedule> parse(std::string_view expression, std::string_view time_zone);

  // The first fire strictly after `t`; nullopt when it never fires again (Feb 30, past 2199).
  std::optional<core::SystemTime> nextAfter(core::SystemTime t) const;
  // The fire's date on the zone's wall clock, "YYYY-MM-DD": the batch_ds of the batch it starts.
  std::string logicalDate(core::SystemTime fire) const;
  // "cron(0 22 ? * MON-FRI *) in Asia/Seoul"; rates add their period and anchor.
  std::string describe() const;

  const std::string& expression() const;
  const std::string& timeZone() const;

 private:
  struct Impl;
  explicit Schedule(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace rawfeed::schedule
