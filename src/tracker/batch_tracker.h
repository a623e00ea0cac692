#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace rawfeed::tracker {

// What the orchestrator registers before it sends a single message.
struct BatchPlan {
  std::string batch_id;
  std::string batch_ds;  // YYYY-MM-DD
  std::string domain;
  std::string table_name;
  std::string data_source;
  std::string interval;
  std::string file_format;
  std::string trigger_type;
  std::string correlation_id;
  int total_chunks = 0;
  // Identifies the chunk plan (symbols, window, format): a re-run with the same batch_id must
  // describe the same work.
  std::string fingerprint;
};

struct ObjectEntry {
  std::string symbol;
  std::string key;
  std::string day;  // YYYY-MM-DD, the partition day
  std::int64_t records = 0;
  std::int64_t bytes = 0;
  std::string sha256;    // hex
  bool written = false;  // false: the key existed and was left alone (skip-existing)
};

struct SymbolFailure {
  std::string symbol;
  // not_found, bad_request, rejected (permanent); throttled, transient, write_failed, blocked
  std::string outcome;
  std::string reason;
};

// A failure that may pass on a later delivery (throttled, transient, write_failed, blocked), as
// opposed to a permanent verdict on the symbol.
bool isRetryableFailure(std::string_view outcome);

// One chunk's outcome, as the worker that processed it saw it.
struct ChunkResult {
  int chunk_index = 0;
  std::vector<ObjectEntry> objects;
  std::vector<std::string> ok_symbols;     // fetched with bars
  std::vector<std::string> empty_symbols;  // fetched, no bars
  std::vector<SymbolFailure> failed;
  std::int64_t records = 0;
  bool dead_lettered = false;  // the last delivery failed; the message goes to the DLQ
};

enum class RegisterOutcome { kNew, kExisting };

// One chunk result of one batch, for recording several at once.
struct ChunkRecord {
  std::string batch_id;
  ChunkResult result;
};

struct RecordOutcome {
  bool counted = false;         // false: this chunk was already recorded (a redelivery)
  bool batch_complete = false;  // every chunk is now recorded
};

enum class BatchState { kOpen, kComplete, kPartial };
const char* batchStateName(BatchState state);

struct BatchSnapshot {
  BatchPlan plan;
  std::vector<ChunkResult> chunks;  // by chunk_index, recorded ones only
  std::vector<int> sent_chunks;
  BatchState state = BatchState::kOpen;
  std::optional<core::SystemTime> completed_at;  // when the last chunk was recorded
  bool event_published = false;
  core::SystemTime registered_at{};
};

// A batch's figures without its chunk results: cheap enough for dashboards and metrics.
struct BatchSummary {
  BatchPlan plan;
  BatchState state = BatchState::kOpen;
  int chunks_recorded = 0;
  int dead_lettered_chunks = 0;
  std::int64_t symbols_ok = 0;
  std::int64_t symbols_empty = 0;
  std::int64_t symbols_failed = 0;            // every recorded failure, permanent or not
  std::int64_t symbols_failed_transient = 0;  // throttled, transient, write_failed
  std::int64_t objects_written = 0;
  std::int64_t objects_skipped = 0;
  std::int64_t bytes_written = 0;
  std::int64_t records = 0;
  std::int64_t revision = 0;  // grows whenever the batch's recorded results change
  core::SystemTime registered_at{};
  std::optional<core::SystemTime> completed_at;
  bool event_published = false;
};

// Objects and bytes of one partition day, over every object a batch recorded (written or
// found in place), each key once.
struct PartitionStats {
  std::string day;
  std::int64_t objects = 0;
  std::int64_t bytes = 0;
};

// Expected versus processed chunks of each batch, and each chunk's result, so that whoever
// records the last chunk can write the manifests and the completion event — once in effect, and
// with the same content whoever it is. recordChunk is idempotent per (batch, chunk) except that
// a dead-lettered result is replaced by a later successful one (a redriven message).
// Errors: kNotFound (unknown batch), kInvalidInput (a re-registration with another plan,
// chunk index out of range), kInternal (storage). Thread-safe; the SQLite backend is also safe
// across processes.
class BatchTracker {
 public:
  virtual ~BatchTracker() = default;
  virtual core::Result<RegisterOutcome> registerBatch(const BatchPlan& plan,
                                                      core::SystemTime now) = 0;
  virtual core::Status markSent(const std::string& batch_id, std::span<const int> chunks) = 0;
  // Records several chunks (a delivery's) in one durable step: all or none. Outcomes are in
  // the order of `records`.
  virtual core::Result<std::vector<RecordOutcome>> recordChunks(
      std::span<const ChunkRecord> records, core::SystemTime now) = 0;
  core::Result<RecordOutcome> recordChunk(const std::string& batch_id, const ChunkResult& result,
                                          core::SystemTime now);
  virtual core::Result<BatchSnapshot> snapshot(const std::string& batch_id) = 0;
  virtual core::Status markEventPublished(const std::string& batch_id) = 0;
  // Most recent first.
  virtual core::Result<std::vector<BatchSnapshot>> recentBatches(int limit) = 0;
  // Most recent first; only `domain`'s when it is not empty.
  virtual core::Result<std::vector<BatchSummary>> recentSummaries(int limit,
                                                                  const std::string& domain) = 0;
  // The most recent `limit_days` partition days of the domain, newest first.
  virtual core::Result<std::vector<PartitionStats>> partitionStats(const std::string& domain,
                                                                   int limit_days) = 0;

  // The symbols of a chunk that a delivery finished before the chunk as a whole could be
  // recorded (others still throttled or failing transiently): what a later delivery of the same
  // chunk need not fetch again. `progress.chunk_index` names the chunk; it holds ok, empty and
  // permanently failed symbols and the objects written for them. Saving replaces the chunk's
  // previous progress (the caller passes the merged progress); recordChunks removes it, or at
  // least makes it unreadable. Progress of an already recorded chunk is ignored: ok, and
  // chunkProgress still answers nullopt.
  virtual core::Status saveChunkProgress(const std::string& batch_id, const ChunkResult& progress,
                                         core::SystemTime now) = 0;
  // nullopt when nothing was saved for that chunk, or it is recorded already.
  virtual core::Result<std::optional<ChunkResult>> chunkProgress(const std::string& batch_id,
                                                                 int chunk_index) = 0;
};

}  // namespace rawfeed::tracker
