#pragma once

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "integration/serve/serve_support.h"

// The two domains most serve tests run: one on a schedule, one started by events.
namespace rawfeed::serve_test {

inline constexpr const char* kScheduled = "scheduled";
inline constexpr const char* kEvents = "events";

// rate(1 hour) fires at every whole hour (UTC). Started within the grace of the last one, serve
// runs that fire once at start: a fire at a controlled time without waiting for a schedule. An
// hour rather than a minute, so that a test (and its restart) almost never straddles the next
// fire; the one that would waits for it to pass first (waitClearOfNextFire).
inline constexpr const char* kSchedule = "rate(1 hour)";

inline std::vector<DomainSpec> twoDomains() {
  return {
      {kScheduled,
       {"AAPL", "MSFT", "SPY"},
       std::string("schedule = \"") + kSchedule +
           "\"\nschedule_timezone = \"UTC\"\nmisfire_grace_seconds = 3600\n"},
      {kEvents,
       {"KO", "PG", "JNJ"},
       "[[domains.events.event_rules]]\nsource = \"crm\"\ndetail_type = \"Symbol Added\"\n"},
  };
}

inline std::chrono::system_clock::time_point lastWholeHour() {
  return std::chrono::floor<std::chrono::hours>(std::chrono::system_clock::now());
}

// If the next whole hour is less than `margin` away, waits until it has passed, so that the
// fire a test expects is the one due for the rest of the test.
inline void waitClearOfNextFire(std::chrono::seconds margin = std::chrono::seconds(30)) {
  const auto next = lastWholeHour() + std::chrono::hours(1);
  if (next - std::chrono::system_clock::now() < margin) {
    std::this_thread::sleep_until(next + std::chrono::seconds(1));
  }
}

inline std::string utcText(std::chrono::system_clock::time_point at, const char* format) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof(text), format, &tm);
  return text;
}

// The batch id of a scheduled fire (schedule/fire.h): sched-<domain>-<YYYYMMDDTHHMMZ>.
inline std::string scheduledBatchId(const std::string& domain,
                                    std::chrono::system_clock::time_point fire) {
  return "sched-" + domain + "-" + utcText(fire, "%Y%m%dT%H%MZ");
}

}  // namespace rawfeed::serve_test
