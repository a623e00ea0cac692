#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "schedule/cron_search.h"

namespace rawfeed::schedule {

// An IANA time zone from the system's tz database, reduced to the three questions a schedule
// asks. A value, cheap to copy; thread-safe.
class Zone {
 public:
  // kInvalidInput "unknown time zone 'Asia/Seol'" when the database has no such zone.
  static core::Result<Zone> locate(std::string_view name);

  // The wall-clock minute showing at `t` (seconds dropped).
  WallMinutes wallMinute(core::SystemTime t) const;
  // The first instant the wall clock shows `wall`: nullopt when a spring-forward skips it, the
  // earlier of the two when a fall-back repeats it.
  std::optional<core::SystemTime> firstInstant(WallMinutes wall) const;
  // "YYYY-MM-DD" on the wall clock at `t`.
  std::string localDate(core::SystemTime t) const;
  const std::string& name() const;

 private:
  struct Impl;
  explicit Zone(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace rawfeed::schedule
