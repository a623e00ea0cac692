#pragma once

#include <array>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "store/object_store.h"
#include "tracker/batch_tracker.h"
#include "tracker/lake/batch_reader.h"

namespace rawfeed::tracker::lake {

// BatchTracker kept in the lake itself (batch_keys.h has the layout), for workers on several
// hosts that share nothing but the object store. Chunk results are create-only objects that are
// never rewritten; a success that replaces a dead letter is a second create-only object beside
// the first. So every reader that sees the same keys derives the same snapshot — completed_at is
// the latest recorded_at among the first results — and whoever finds the batch complete writes
// byte-identical manifests.
//
// Exactness rests on the store's create-only put deciding between racing writers (a local
// directory, AWS S3 and moto do). On a server that ignores If-None-Match the S3 store falls back
// to HEAD then PUT: two recorders of one chunk may then both write (the later bytes win) and
// both report counted; completion is still seen by whoever wrote last; two claimers of one
// batch's event may both be granted. Within one process the tracker serialises the recorders of
// one chunk and the claimers of one batch's event, so the race is only between processes.
//
// Requests per call (n = recorded chunks of the batch, p = LIST pages of 1000 keys):
// - registerBatch: 1 PUT of the plan + 1–2 index PUTs; a repeat adds a GET of the stored plan.
// - markSent: 1 PUT per call (the set of indexes), plus a plan GET the first time per process.
// - recordChunks: per record 1 create-only PUT; a redelivery adds a GET (and a PUT when it
//   replaces a dead letter). Then per batch of the delivery a LIST of its chunk keys (p pages)
//   to see whether it is complete — skipped once this process has seen the batch complete,
//   since chunks are never removed. Unlike the interface's "all or none", a failure part-way
//   leaves the earlier records stored (S3 has no multi-object write); harmless, because
//   recording is idempotent and the unacknowledged delivery comes again whole — though its
//   stored records then report counted = false.
// - snapshot: LIST of the batch prefix + a GET per chunk result, replacement and sent record;
//   the LIST alone when this process read the same keys before (BatchReader's view cache).
// - claimEvent: a snapshot's requests (the LIST alone when the view is cached, as it is right
//   after the finalizer's snapshot), + 1 GET of the newest claim when the event is unpublished
//   and a claim exists, + 1 create-only PUT of claim n+1 when granted. The create-only PUT is
//   the decision: atomic on a local directory (rename-no-replace or link) and on S3 with
//   If-None-Match (AWS, moto); on a server without conditional writes (HEAD then PUT) two
//   finalizers racing for one claim may both get it, and both publish.
// - releaseEventClaim: 1 PUT of a marker (plus a plan GET the first time per process).
// - markEventPublished: LIST of the batch prefix + 1 PUT of the status's marker. Batches
//   announced before claims have a marker per revision (published/), read as their status then.
// - recentBatches / recentSummaries: LIST of an index (O(batches ever registered) keys) and a
//   snapshot of each of the `limit` newest batches: O(limit × n) GETs, then only the LISTs
//   while those batches do not change.
// - partitionStats: a snapshot of every batch of the domain: O(all chunk results of the domain)
//   GETs. Meant for a dashboard over a modest history; it grows with the lake.
// - saveChunkProgress: 1 overwriting PUT of the chunk's progress document (plus the plan GET
//   the first time per process); nothing once this process has seen the batch complete.
// - chunkProgress: 1 GET of the progress document; when there is one, a GET of the chunk's
//   result too, whose presence makes the progress stale. Recording never deletes progress:
//   that would cost a DELETE per record and grant workers s3:DeleteObject on the lake.
// Errors: the store's, with their codes; kNotFound for an unknown batch; kInvalidInput as the
// interface says; kInternal for a stored document that is missing or unreadable. Thread-safe;
// several instances, in any processes, may share one store.
class LakeBatchTracker final : public BatchTracker {
 public:
  explicit LakeBatchTracker(store::ObjectStore& store) : store_(store), reader_(store) {}

  core::Result<RegisterOutcome> registerBatch(const BatchPlan& plan, core::SystemTime now) override;
  core::Status markSent(const std::string& batch_id, std::span<const int> chunks) override;
  core::Result<std::vector<RecordOutcome>> recordChunks(std::span<const ChunkRecord> records,
                                                        core::SystemTime now) override;
  core::Result<BatchSnapshot> snapshot(const std::string& batch_id) override;
  core::Result<EventClaim> claimEvent(const std::string& batch_id, EventStatus status,
                                      core::SystemTime now,
                                      std::chrono::milliseconds lease) override;
  core::Status releaseEventClaim(const std::string& batch_id, EventStatus status,
                                 std::int64_t claim_id) override;
  core::Status markEventPublished(const std::string& batch_id, EventStatus status) override;
  core::Result<std::vector<BatchSnapshot>> recentBatches(int limit) override;
  core::Result<std::vector<BatchSummary>> recentSummaries(int limit,
                                                          const std::string& domain) override;
  core::Result<std::vector<PartitionStats>> partitionStats(const std::string& domain,
                                                           int limit_days) override;
  core::Status saveChunkProgress(const std::string& batch_id, const ChunkResult& progress,
                                 core::SystemTime now) override;
  core::Result<std::optional<ChunkResult>> chunkProgress(const std::string& batch_id,
                                                         int chunk_index) override;

 private:
  core::Status writeIndexes(const PlanDocument& document);
  // Stores one result, setting outcome.counted; returns the batch's plan.
  core::Result<PlanDocument> recordOne(const ChunkRecord& record, core::SystemTime now,
                                       RecordOutcome& outcome);
  // Whether putting this result counts: it is new, or a success replacing a dead letter.
  core::Result<bool> storeResult(const std::string& batch_id, const ChunkResult& result,
                                 core::SystemTime now);
  core::Result<bool> isComplete(const PlanDocument& plan);
  bool seenComplete(const std::string& batch_id);
  // Whether the newest claim is neither released nor published and still in its lease.
  core::Result<bool> claimLive(const std::string& batch_id, const EventMarkers& events,
                               std::int64_t now_ms);
  // Whether the chunk has a result: once it has, progress saved for it is stale.
  core::Result<bool> isRecorded(const std::string& batch_id, int chunk_index);
  std::mutex& chunkLock(const std::string& batch_id, int chunk_index);
  // The views of the newest `limit` batches of an index.
  core::Result<std::vector<BatchView>> recentViews(const std::string& index_prefix, int limit);

  store::ObjectStore& store_;
  BatchReader reader_;
  std::mutex mutex_;                // guards complete_
  std::set<std::string> complete_;  // batches this process saw complete: they stay complete
  // Serialise this process's recorders of one chunk (striped by batch and index), so that a
  // store whose create-only put is HEAD then PUT still decides between them.
  std::array<std::mutex, 64> chunk_locks_;
  // Serialise this process's claimers of one batch's event (striped by batch), likewise.
  std::array<std::mutex, 16> claim_locks_;
};

}  // namespace rawfeed::tracker::lake
