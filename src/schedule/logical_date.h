#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace rawfeed::schedule {

// The fire's date on the wall clock of `time_zone`, "YYYY-MM-DD": the batch_ds of the batch a
// schedule starts (the design's 22:00 Asia/Seoul run on a Monday is Monday's batch). kInvalidInput
// for an unknown zone. Schedule::logicalDate is the same without the lookup.
core::Result<std::string> logicalDate(core::SystemTime fire, std::string_view time_zone);

}  // namespace rawfeed::schedule
