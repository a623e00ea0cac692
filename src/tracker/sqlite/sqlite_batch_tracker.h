#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

#include "tracker/batch_tracker.h"

namespace rawfeed::db {
class Database;
class Transaction;
}  // namespace rawfeed::db

namespace rawfeed::tracker::sqlite {

class BatchTables;

struct SqliteBatchTrackerOptions {
  std::filesystem::path db_path;  // one file for all domains, e.g. {state_dir}/tracker.db
  std::chrono::milliseconds busy_timeout{5000};
};

// BatchTracker on one SQLite file (WAL, synchronous=FULL). Each write is one IMMEDIATE
// transaction, so workers in several processes can record chunks of one batch at once and the
// counts stay exact. An event claim is a row of batch_events updated in such a transaction on
// the condition that the event is unpublished and no claim on it is in lease, the batch's
// status read from its figures in the same transaction: exactly one caller, in any process,
// gets it. Thread-safe: one connection guarded by a mutex.
class SqliteBatchTracker final : public BatchTracker {
 public:
  // kInvalidInput for an empty path, kInternal when the file cannot be opened or its schema
  // created.
  static core::Result<std::unique_ptr<SqliteBatchTracker>> open(
      const SqliteBatchTrackerOptions& options);
  ~SqliteBatchTracker() override;

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
  // One read transaction over the batch's rows, the chunk results parsed one at a time.
  core::Result<BatchOutline> readBatch(const std::string& batch_id,
                                       const ChunkVisitor& visit) override;
  // The batches row's revision column.
  core::Result<std::optional<std::int64_t>> revision(const std::string& batch_id) override;
  // The revision column checked, and the outline's other fields read, in one read transaction.
  core::Result<std::optional<BatchOutline>> outlineOfRecorded(const std::string& batch_id,
                                                              std::int64_t since,
                                                              const ChunkTally& tally) override;
  core::Result<std::vector<BatchSnapshot>> recentBatches(int limit) override;
  core::Result<std::vector<BatchSummary>> recentSummaries(int limit,
                                                          const std::string& domain) override;
  core::Result<std::vector<PartitionStats>> partitionStats(const std::string& domain,
                                                           int limit_days) override;
  // A row per chunk in chunk_progress, deleted in the transaction that records the chunk.
  core::Status saveChunkProgress(const std::string& batch_id, const ChunkResult& progress,
                                 core::SystemTime now) override;
  core::Result<std::optional<ChunkResult>> chunkProgress(const std::string& batch_id,
                                                         int chunk_index) override;

 private:
  explicit SqliteBatchTracker(std::unique_ptr<db::Database> db);
  // What a call on one existing batch holds until it returns: the lock, a transaction and the
  // batch's row read in it.
  struct OnBatch;
  using Begin = core::Result<db::Transaction> (*)(db::Database&);
  // Locks, begins the transaction and reads the batch (kNotFound when it is not registered).
  core::Result<OnBatch> beginOnBatch(const std::string& batch_id, Begin begin);
  // The outline of the batch `work` holds, its chunks tallied: reads its events and commits.
  static core::Result<BatchOutline> finishOutline(OnBatch& work, const ChunkTally& tally);
  // Inside a transaction the caller holds.
  core::Result<BatchSnapshot> readSnapshot(const std::string& batch_id);
  core::Result<RecordOutcome> recordOne(BatchTables& tables, const std::string& batch_id,
                                        const ChunkResult& result, std::int64_t now_ms);

  std::mutex mutex_;  // guards db_ (one connection, statement cache)
  std::unique_ptr<db::Database> db_;
};

}  // namespace rawfeed::tracker::sqlite
