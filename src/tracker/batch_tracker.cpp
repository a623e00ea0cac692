#include "tracker/batch_tracker.h"

namespace rawfeed::tracker {

bool isRetryableFailure(std::string_view outcome) {
  return outcome == "throttled" || outcome == "transient" || outcome == "write_failed" ||
         outcome == "blocked";
}

const char* batchStateName(BatchState state) {
  switch (state) {
    case BatchState::kOpen:
      return "open";
    case BatchState::kComplete:
      return "complete";
    case BatchState::kPartial:
      return "partial";
  }
  return "open";
}

core::Result<RecordOutcome> BatchTracker::recordChunk(const std::string& batch_id,
                                                      const ChunkResult& result,
                                                      core::SystemTime now) {
  const ChunkRecord record{batch_id, result};
  auto outcomes = recordChunks(std::span<const ChunkRecord>(&record, 1), now);
  if (!outcomes.ok())
    return outcomes.error();
  return outcomes->front();
}

}  // namespace rawfeed::tracker
