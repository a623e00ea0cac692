#include "tracker/batch_tracker.h"

#include <algorithm>

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

const char* eventStatusName(EventStatus status) {
  return status == EventStatus::kComplete ? "complete" : "partial";
}

std::optional<EventStatus> eventStatusOf(const BatchSnapshot& batch) {
  if (batch.state == BatchState::kOpen)
    return std::nullopt;
  const bool failed = std::any_of(batch.chunks.begin(), batch.chunks.end(),
                                  [](const ChunkResult& chunk) { return !chunk.failed.empty(); });
  return batch.state == BatchState::kComplete && !failed ? EventStatus::kComplete
                                                         : EventStatus::kPartial;
}

const char* claimOutcomeName(ClaimOutcome outcome) {
  switch (outcome) {
    case ClaimOutcome::kGranted:
      return "granted";
    case ClaimOutcome::kPublished:
      return "published";
    case ClaimOutcome::kSuperseded:
      return "superseded";
    case ClaimOutcome::kHeld:
      return "held";
  }
  return "held";
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
