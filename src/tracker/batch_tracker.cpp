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

void ChunkTally::add(const ChunkResult& chunk) {
  ++recorded;
  if (chunk.dead_lettered)
    unfinished = true;
  for (const auto& failure : chunk.failed) {
    failed = true;
    if (isRetryableFailure(failure.outcome))
      unfinished = true;
  }
}

// Symbols that failed only for now (the source throttled or timed out) make a batch partial:
// another run may fetch them. not_found, bad_request and rejected are final answers.
BatchState ChunkTally::state(const BatchPlan& plan) const {
  if (recorded < plan.total_chunks)
    return BatchState::kOpen;
  return unfinished ? BatchState::kPartial : BatchState::kComplete;
}

std::optional<EventStatus> ChunkTally::eventStatus(const BatchPlan& plan) const {
  const auto batch_state = state(plan);
  if (batch_state == BatchState::kOpen)
    return std::nullopt;
  return batch_state == BatchState::kComplete && !failed ? EventStatus::kComplete
                                                         : EventStatus::kPartial;
}

BatchState stateOf(const BatchPlan& plan, const std::vector<ChunkResult>& chunks) {
  ChunkTally tally;
  for (const auto& chunk : chunks)
    tally.add(chunk);
  return tally.state(plan);
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

core::Result<BatchOutline> BatchTracker::readBatch(const std::string& batch_id,
                                                   const ChunkVisitor& visit) {
  auto batch = snapshot(batch_id);
  if (!batch.ok())
    return batch.error();
  BatchOutline outline;
  outline.state = batch->state;
  outline.event_status = eventStatusOf(*batch);
  outline.chunks_recorded = static_cast<int>(batch->chunks.size());
  outline.completed_at = batch->completed_at;
  outline.registered_at = batch->registered_at;
  outline.event_published = batch->event_published;
  outline.plan = std::move(batch->plan);
  for (auto& chunk : batch->chunks) {
    if (auto visited = visit(chunk); !visited.ok())
      return visited.error();
  }
  return outline;
}

core::Result<std::optional<std::int64_t>> BatchTracker::revision(const std::string&) {
  return std::optional<std::int64_t>();
}

core::Result<std::optional<BatchOutline>> BatchTracker::outlineOfRecorded(const std::string&,
                                                                          std::int64_t,
                                                                          const ChunkTally&) {
  return std::optional<BatchOutline>();
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
