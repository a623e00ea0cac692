#pragma once

#include <optional>

#include "core/clock.h"
#include "schedule/schedule.h"

namespace rawfeed::schedule {

// The latest fire of `schedule` in (after, up_to], or nullopt when there is none. Looks back
// from up_to through windows that double in length, so the cost follows the number of fires
// near up_to rather than the length of the gap: a year-long outage of an every-minute cron is
// not walked minute by minute.
std::optional<core::SystemTime> latestFireIn(const Schedule& schedule, core::SystemTime after,
                                             core::SystemTime up_to);

}  // namespace rawfeed::schedule
