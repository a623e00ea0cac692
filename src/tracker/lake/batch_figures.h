#pragma once

#include <cstdint>
#include <vector>

#include "tracker/batch_tracker.h"

namespace rawfeed::tracker::lake {

// The same rules as the SQLite tracker's: open until every chunk is recorded; partial when a
// chunk was dead-lettered or a symbol failed only for now (throttled, transient).
BatchState stateOf(const BatchPlan& plan, const std::vector<ChunkResult>& chunks);

// A snapshot's figures; `revision` as the listing it was read from counted it.
BatchSummary summarize(const BatchSnapshot& snapshot, std::int64_t revision);

}  // namespace rawfeed::tracker::lake
