#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "db/database.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::tracker::sqlite {

struct BatchRow {
  BatchPlan plan;
  std::int64_t registered_at_ms = 0;
  std::optional<std::int64_t> completed_at_ms;
  std::int64_t revision = 0;  // BatchSummary::revision
};

// A row of batch_events: one status's event of one batch.
struct EventRow {
  EventStatus status = EventStatus::kPartial;
  std::int64_t claims = 0;  // claims granted so far; the latest one's claim_id
  std::int64_t claimed_until_ms = 0;
  bool published = false;
};

// What one chunk result adds to its batch's summary figures.
struct ChunkFigures {
  std::int64_t dead_lettered_chunks = 0, symbols_ok = 0, symbols_empty = 0, symbols_failed = 0,
               symbols_failed_transient = 0, objects_written = 0, objects_skipped = 0,
               bytes_written = 0, records = 0;
};

// The tracker's SQL: batches, sent chunks, chunk results, chunk progress and completion events.
// Every method runs inside the caller's transaction; times are milliseconds since the epoch.
class BatchTables {
 public:
  explicit BatchTables(db::Database& db) : db_(db) {}

  // Creates what is missing and migrates an older database to kSchemaVersion (PRAGMA
  // user_version), inside the caller's IMMEDIATE transaction.
  static core::Status createSchema(db::Database& db);
  static constexpr std::int64_t kSchemaVersion = 2;

  core::Result<std::optional<BatchRow>> batch(std::string_view batch_id);
  core::Status insertBatch(const BatchPlan& plan, std::int64_t registered_at);
  core::Status insertSent(std::string_view batch_id, int chunk_index);
  core::Result<std::vector<int>> sentChunks(std::string_view batch_id);
  // nullopt: not recorded; otherwise whether the recorded result is a dead letter.
  core::Result<std::optional<bool>> recordedDeadLettered(std::string_view batch_id,
                                                         int chunk_index);
  // Inserts or replaces the chunk's result.
  core::Status putChunk(std::string_view batch_id, const ChunkResult& result, std::int64_t now);
  core::Result<std::optional<ChunkResult>> recordedChunk(std::string_view batch_id,
                                                         int chunk_index);
  // Inserts or replaces the chunk's progress (progress.chunk_index names the chunk).
  core::Status putProgress(std::string_view batch_id, const ChunkResult& progress,
                           std::int64_t now);
  core::Result<std::optional<ChunkResult>> progress(std::string_view batch_id, int chunk_index);
  core::Status removeProgress(std::string_view batch_id, int chunk_index);
  // Adds (or, with negated figures, removes) a chunk's figures and bumps the revision.
  core::Status addFigures(std::string_view batch_id, const ChunkFigures& delta);
  core::Status putLakeObjects(std::string_view domain, const ChunkResult& result);
  core::Result<std::vector<PartitionStats>> partitionStats(std::string_view domain, int limit_days);
  // Most recent first; every domain's when `domain` is empty.
  core::Result<std::vector<BatchSummary>> summaries(std::string_view domain, int limit);
  // Call once for each chunk recorded for the first time (not for a replacement).
  core::Status countNewChunk(std::string_view batch_id);
  core::Result<std::int64_t> recordedCount(std::string_view batch_id);
  core::Result<std::vector<ChunkResult>> chunks(std::string_view batch_id);
  // The batch's chunk results in chunk order, one parsed at a time.
  core::Status forEachChunk(std::string_view batch_id, const ChunkVisitor& visit);
  // Only the first completion counts, so regenerated manifests keep their timestamp.
  core::Status setCompletedOnce(std::string_view batch_id, std::int64_t now);
  // The status the batch's event would announce, from its figures (no chunk result is read);
  // nullopt while it is open.
  core::Result<std::optional<EventStatus>> eventStatus(std::string_view batch_id);
  core::Result<std::vector<EventRow>> events(std::string_view batch_id);
  // Grants a claim on the status's event unless it was published or a claim on it is still in
  // lease: the write itself is the condition. The new claim's id, or nullopt when not granted.
  core::Result<std::optional<std::int64_t>> takeClaim(std::string_view batch_id, EventStatus status,
                                                      std::int64_t now, std::int64_t until);
  // Ends claim `claim_id` of the status's event if it is still the latest and unpublished.
  core::Status releaseClaim(std::string_view batch_id, EventStatus status, std::int64_t claim_id);
  core::Status markPublished(std::string_view batch_id, EventStatus status);
  core::Result<std::vector<std::string>> recentIds(int limit);

 private:
  // The result_json of one chunk's row that `sql` (?1 batch id, ?2 chunk index) selects.
  core::Result<std::optional<std::string>> chunkText(std::string_view sql,
                                                     std::string_view batch_id, int chunk_index);
  db::Database& db_;
};

}  // namespace rawfeed::tracker::sqlite
