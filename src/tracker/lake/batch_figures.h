#pragma once

#include <cstdint>
#include <vector>

#include "tracker/batch_tracker.h"

namespace rawfeed::tracker::lake {

// A snapshot's figures; `revision` as the listing it was read from counted it.
BatchSummary summarize(const BatchSnapshot& snapshot, std::int64_t revision);

}  // namespace rawfeed::tracker::lake
