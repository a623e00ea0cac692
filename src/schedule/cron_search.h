#pragma once

#include <chrono>
#include <optional>

#include "schedule/cron_spec.h"

namespace rawfeed::schedule {

// A wall-clock reading without a zone, as minutes since 1970-01-01 00:00 on that wall clock.
// The search works in these so it knows nothing of offsets; the caller maps to instants.
using WallMinutes = std::chrono::minutes;

// The first wall-clock minute strictly after `after` that the spec selects, or nullopt when
// there is none up to the end of kLastYear. Walks year, month, day, hour and minute in turn and
// skips whole units that cannot match, so even a never-firing spec costs at most one day check
// per calendar day of the remaining years.
std::optional<WallMinutes> nextWallMatch(const CronSpec& spec, WallMinutes after);

}  // namespace rawfeed::schedule
