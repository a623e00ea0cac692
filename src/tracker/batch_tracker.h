#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "tracker/watermark.h"

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
  // Symbols of the universe an incremental plan did not ask for, the lake holding every closed
  // session of theirs: reported in the manifests and the summary.
  std::int64_t symbols_up_to_date{0};
  // The domain's corporate-actions table when the batch writes one (empty: none), so the
  // completion event lists it even when no symbol had an action.
  std::string corporate_actions_table{};
};

struct ObjectEntry {
  std::string symbol;
  std::string key;
  std::string day;  // YYYY-MM-DD, the partition day
  std::int64_t records = 0;
  std::int64_t bytes = 0;
  std::string sha256;    // hex
  bool written = false;  // false: the key existed and was left alone (skip-existing)
  // The table the object belongs to: empty for the batch's own table (BatchPlan::table_name,
  // the bars), else another table of the domain (the corporate actions). Stored only when set,
  // so documents written before it read as the batch's table.
  std::string table{};
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
// Bars of one symbol that the source sent and the source adapter dropped as invalid, for one
// reason (sources/source.h: negative, not_a_number, not_finite, volume_not_integer,
// volume_out_of_range, date_out_of_range). Never written; reported in the summary and manifest.
struct InvalidBars {
  std::string symbol;
  std::string reason;
  std::int64_t bars = 0;

  bool operator==(const InvalidBars&) const = default;
};

// Corporate actions of one symbol the source reported and the adapter dropped as invalid, for one
// reason (sources/source.h invalid_action). Never written; reported in the summary and in the
// corporate-actions table's manifests.
struct InvalidActions {
  std::string symbol;
  std::string reason;
  std::int64_t actions = 0;

  bool operator==(const InvalidActions&) const = default;
};

struct ChunkResult {
  int chunk_index = 0;
  std::vector<ObjectEntry> objects;
  std::vector<std::string> ok_symbols;     // fetched with bars
  std::vector<std::string> empty_symbols;  // fetched, no bars
  std::vector<SymbolFailure> failed;
  std::vector<InvalidBars> invalid_bars;          // of the ok symbols
  std::vector<InvalidActions> invalid_actions{};  // of the symbols whose actions were written
  // Of the symbols the source answered (ok and empty) when their write landed: how far each is
  // now known to be in the lake, for the next incremental fetch (tracker/watermark.h).
  std::vector<SymbolWatermark> watermarks{};
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
  bool event_published = false;  // the event of the batch's current status (below) went out
  core::SystemTime registered_at{};
};

// What a completion event announces (contracts §7): complete when every chunk is recorded and no
// symbol failed at all; partial when every chunk is recorded but something failed (a dead
// letter, a symbol throttled or failing for now, or a final answer such as not_found). A batch
// announces each status at most once: partial the first time it is recorded so, complete when
// (possibly after redrives) nothing failed. Complete is final: recorded successes are never
// replaced, so a complete batch never becomes partial again.
enum class EventStatus { kPartial, kComplete };
const char* eventStatusName(EventStatus status);
// nullopt while the batch is open.
std::optional<EventStatus> eventStatusOf(const BatchSnapshot& batch);

// What a reader of a batch's chunks, one at a time, keeps to tell the batch's state and event
// status without holding the chunks: the same rules as stateOf over a snapshot.
struct ChunkTally {
  int recorded = 0;
  bool unfinished = false;  // a dead letter, or a symbol failed for now: the batch is partial
  bool failed = false;      // a symbol failed at all, for now or for good: the event is partial

  void add(const ChunkResult& chunk);
  BatchState state(const BatchPlan& plan) const;
  std::optional<EventStatus> eventStatus(const BatchPlan& plan) const;  // nullopt while open
};
// A snapshot's state from its recorded chunks.
BatchState stateOf(const BatchPlan& plan, const std::vector<ChunkResult>& chunks);

// A batch as snapshot() describes it, read without its chunk results (BatchTracker::readBatch).
struct BatchOutline {
  BatchPlan plan;
  BatchState state = BatchState::kOpen;
  std::optional<EventStatus> event_status;  // nullopt while open
  int chunks_recorded = 0;
  std::optional<core::SystemTime> completed_at;
  core::SystemTime registered_at{};
  bool event_published = false;  // the event of event_status went out
  // BatchSummary::revision as of this reading; 0 when the backend does not keep one.
  std::int64_t revision = 0;
};

// Handed each recorded chunk result of a batch in chunk order; it may move from it. An error
// ends the reading and is what readBatch returns.
using ChunkVisitor = std::function<core::Status(ChunkResult& chunk)>;

// The answer to a claim on publishing a batch's event of one status.
enum class ClaimOutcome {
  kGranted,     // the caller publishes the event, then calls markEventPublished
  kPublished,   // the event of this status went out already: nothing to do
  kSuperseded,  // a partial event was asked for, but the batch is complete now: read it again
  kHeld,        // another caller's claim on the batch's event is within its lease
};
const char* claimOutcomeName(ClaimOutcome outcome);

struct EventClaim {
  ClaimOutcome outcome = ClaimOutcome::kHeld;
  // kGranted: names this claim to releaseEventClaim, so that releasing a claim whose lease ran
  // out cannot end the claim another caller was granted since.
  std::int64_t claim_id = 0;
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
  std::int64_t objects_written = 0;           // the bars' table's (not the corporate actions')
  std::int64_t objects_skipped = 0;
  std::int64_t bytes_written = 0;  // both tables' bytes
  std::int64_t records = 0;
  std::int64_t revision = 0;  // grows whenever the batch's recorded results change
  core::SystemTime registered_at{};
  std::optional<core::SystemTime> completed_at;
  bool event_published = false;
};

// Objects and bytes of one partition day of the bars' table, over every object a batch recorded
// (written or found in place), each key once.
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
//
// Completion events are published under a claim, so that finalizers running at once (duplicate
// messages, redeliveries, a redrive) publish each event once: claimEvent grants the right to
// publish the batch's event of one status to one caller, decided atomically by the backend (a
// conditional write in one SQLite transaction; a create-only object in the lake). Claims of one
// batch are serialised whatever their status: while a claim is live no other is granted, so a
// consumer gets partial before complete. A claim lapses after its lease unless marked published
// (or released): then it may be granted again, which is what recovers from a holder that
// crashed between claiming and marking — and the one way an event goes out twice (the holder
// crashed after publishing, or took longer than the lease).
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
  // The batch's current status is read by the claim itself: kSuperseded when `status` is
  // partial and the batch is complete now; kInvalidInput when the batch is still open, or
  // `status` is complete and the batch is partial. `now` and `lease` set the claim's expiry.
  virtual core::Result<EventClaim> claimEvent(const std::string& batch_id, EventStatus status,
                                              core::SystemTime now,
                                              std::chrono::milliseconds lease) = 0;
  // Ends a granted claim that did not publish (the sink failed), so that a retry need not wait
  // for the lease. Nothing happens when the event was marked published or claimed again since.
  virtual core::Status releaseEventClaim(const std::string& batch_id, EventStatus status,
                                         std::int64_t claim_id) = 0;
  // kInvalidInput while the batch is still open. Idempotent.
  virtual core::Status markEventPublished(const std::string& batch_id, EventStatus status) = 0;
  // The batch of snapshot(), its chunk results handed to `visit` one at a time instead of
  // collected: what a reader of a batch of 100,000 symbols (the finalizer, the run summary) uses
  // so that it holds one chunk at a time. `visit` must not call the tracker. This default
  // reads a snapshot; backends that can stream override it.
  virtual core::Result<BatchOutline> readBatch(const std::string& batch_id,
                                               const ChunkVisitor& visit);
  // BatchSummary::revision of the batch, read without its chunk results: what tells a reader
  // whether its earlier readBatch is still the batch's content. nullopt when the backend cannot
  // tell cheaply (the reader then reads the batch again); kNotFound for an unknown batch.
  virtual core::Result<std::optional<std::int64_t>> revision(const std::string& batch_id);
  // The outline of a batch whose every chunk result the caller saw recorded (RecordOutcome
  // counted), each once, since it read the batch's revision `since`: `tally` holds those
  // results, and the outline is read without the stored ones. nullopt — the caller reads the
  // batch instead — when the tally is not every chunk of the plan, or the revision is not
  // `since` plus one per chunk tallied (something else changed the batch: another process's
  // record, a replacement), or the backend keeps no revision. Every change raises the revision
  // by at least one, so the two can match only when the stored results are the tallied ones.
  virtual core::Result<std::optional<BatchOutline>> outlineOfRecorded(const std::string& batch_id,
                                                                      std::int64_t since,
                                                                      const ChunkTally& tally);
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
