#include "schedule/fire_window.h"

#include <chrono>

namespace rawfeed::schedule {
namespace {

// The last fire in (from, up_to], walking forward; nullopt when there is none.
std::optional<core::SystemTime> lastFrom(const Schedule& schedule, core::SystemTime from,
                                         core::SystemTime up_to) {
  std::optional<core::SystemTime> last;
  for (auto fire = schedule.nextAfter(from); fire && *fire <= up_to;
       fire = schedule.nextAfter(*fire)) {
    last = fire;
  }
  return last;
}

}  // namespace

std::optional<core::SystemTime> latestFireIn(const Schedule& schedule, core::SystemTime after,
                                             core::SystemTime up_to) {
  if (up_to <= after) {
    return std::nullopt;
  }
  const core::SystemTime::duration gap = up_to - after;
  core::SystemTime::duration window = std::chrono::minutes(1);
  while (true) {
    const bool whole = window >= gap;
    const core::SystemTime from = whole ? after : up_to - window;
    if (auto last = lastFrom(schedule, from, up_to)) {
      return last;
    }
    if (whole) {
      return std::nullopt;
    }
    window = window > gap / 2 ? gap : window * 2;  // capped at the gap: no overflow
  }
}

}  // namespace rawfeed::schedule
