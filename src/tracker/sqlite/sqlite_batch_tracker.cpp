#include "tracker/sqlite/sqlite_batch_tracker.h"

#include <algorithm>

#include "db/database.h"
#include "db/time_columns.h"
#include "db/transaction.h"
#include "tracker/event_claim_rules.h"
#include "tracker/sqlite/batch_tables.h"

namespace rawfeed::tracker::sqlite {
namespace {

core::Error invalid(std::string message) {
  return core::makeError(core::ErrorCode::kInvalidInput, std::move(message));
}

core::Error unknownBatch(const std::string& batch_id) {
  return core::makeError(core::ErrorCode::kNotFound, "unknown batch " + batch_id);
}

core::Status checkIndex(const BatchRow& batch, int chunk_index) {
  if (chunk_index < 0 || chunk_index >= batch.plan.total_chunks) {
    return invalid("batch " + batch.plan.batch_id + ": chunk index " + std::to_string(chunk_index) +
                   " is outside 0.." + std::to_string(batch.plan.total_chunks - 1));
  }
  return core::okStatus();
}

ChunkFigures figuresOf(const ChunkResult& result, int sign) {
  ChunkFigures figures;
  figures.dead_lettered_chunks = sign * (result.dead_lettered ? 1 : 0);
  figures.symbols_ok = sign * static_cast<std::int64_t>(result.ok_symbols.size());
  figures.symbols_empty = sign * static_cast<std::int64_t>(result.empty_symbols.size());
  figures.symbols_failed = sign * static_cast<std::int64_t>(result.failed.size());
  for (const auto& failure : result.failed) {
    if (isRetryableFailure(failure.outcome))
      figures.symbols_failed_transient += sign;
  }
  for (const auto& object : result.objects) {
    const bool bars = object.table.empty();  // objects_* are the bars'; bytes are both tables'
    if (object.written) {
      figures.objects_written += bars ? sign : 0;
      figures.bytes_written += sign * object.bytes;
    } else {
      figures.objects_skipped += bars ? sign : 0;
    }
  }
  figures.records = sign * result.records;
  return figures;
}

// Finds the batch inside the caller's transaction; kNotFound when it is not there.
core::Result<BatchRow> existingBatch(BatchTables& tables, const std::string& batch_id) {
  auto batch = tables.batch(batch_id);
  if (!batch) {
    return batch.error();
  }
  if (!*batch) {
    return unknownBatch(batch_id);
  }
  return std::move(**batch);
}

}  // namespace

core::Result<std::unique_ptr<SqliteBatchTracker>> SqliteBatchTracker::open(
    const SqliteBatchTrackerOptions& options) {
  if (options.db_path.empty()) {
    return invalid("sqlite tracker: db_path is empty");
  }
  auto db = db::openWithSchema({options.db_path, options.busy_timeout}, BatchTables::createSchema);
  if (!db) {
    return db.error();
  }
  return std::unique_ptr<SqliteBatchTracker>(new SqliteBatchTracker(std::move(db).value()));
}

SqliteBatchTracker::SqliteBatchTracker(std::unique_ptr<db::Database> db) : db_(std::move(db)) {}

SqliteBatchTracker::~SqliteBatchTracker() = default;

struct SqliteBatchTracker::OnBatch {
  std::unique_lock<std::mutex> lock;  // declared first: released after the transaction ends
  db::Transaction tx;
  BatchTables tables;
  BatchRow batch;
};

core::Result<SqliteBatchTracker::OnBatch> SqliteBatchTracker::beginOnBatch(
    const std::string& batch_id, Begin begin) {
  std::unique_lock lock(mutex_);
  auto tx = begin(*db_);
  if (!tx) {
    return tx.error();
  }
  BatchTables tables(*db_);
  auto batch = existingBatch(tables, batch_id);
  if (!batch) {
    return batch.error();
  }
  return OnBatch{std::move(lock), std::move(tx).value(), tables, std::move(batch).value()};
}

core::Result<RegisterOutcome> SqliteBatchTracker::registerBatch(const BatchPlan& plan,
                                                                core::SystemTime now) {
  if (plan.batch_id.empty()) {
    return invalid("registerBatch: batch_id is empty");
  }
  if (plan.total_chunks < 1) {
    return invalid("registerBatch: batch " + plan.batch_id + " has total_chunks " +
                   std::to_string(plan.total_chunks) + ", at least 1 expected");
  }
  std::lock_guard lock(mutex_);
  auto tx = db::Transaction::immediate(*db_);
  if (!tx) {
    return tx.error();
  }
  BatchTables tables(*db_);
  auto existing = tables.batch(plan.batch_id);
  if (!existing) {
    return existing.error();
  }
  if (*existing) {
    const auto& stored = (*existing)->plan;
    if (stored.fingerprint != plan.fingerprint || stored.total_chunks != plan.total_chunks) {
      return invalid("registerBatch: batch " + plan.batch_id +
                     " is already registered with another plan (fingerprint " + stored.fingerprint +
                     ", " + std::to_string(stored.total_chunks) + " chunks; now " +
                     plan.fingerprint + ", " + std::to_string(plan.total_chunks) + " chunks)");
    }
    return RegisterOutcome::kExisting;
  }
  if (auto inserted = tables.insertBatch(plan, db::toMillis(now)); !inserted) {
    return inserted.error();
  }
  if (auto committed = tx->commit(); !committed) {
    return committed.error();
  }
  return RegisterOutcome::kNew;
}

core::Status SqliteBatchTracker::markSent(const std::string& batch_id,
                                          std::span<const int> chunks) {
  auto work = beginOnBatch(batch_id, db::Transaction::immediate);
  if (!work) {
    return work.error();
  }
  for (int chunk : chunks) {  // all checked first: a bad index changes nothing
    if (auto checked = checkIndex(work->batch, chunk); !checked) {
      return checked;
    }
  }
  for (int chunk : chunks) {
    if (auto inserted = work->tables.insertSent(batch_id, chunk); !inserted) {
      return inserted;
    }
  }
  return work->tx.commit();
}

core::Result<std::vector<RecordOutcome>> SqliteBatchTracker::recordChunks(
    std::span<const ChunkRecord> records, core::SystemTime now) {
  std::lock_guard lock(mutex_);
  // One transaction (one durable commit) for a whole delivery's chunks.
  auto tx = db::Transaction::immediate(*db_);
  if (!tx) {
    return tx.error();
  }
  BatchTables tables(*db_);
  std::vector<RecordOutcome> outcomes;
  outcomes.reserve(records.size());
  for (const auto& record : records) {
    auto outcome = recordOne(tables, record.batch_id, record.result, db::toMillis(now));
    if (!outcome) {
      return outcome.error();
    }
    outcomes.push_back(*outcome);
  }
  if (auto committed = tx->commit(); !committed) {
    return committed.error();
  }
  return outcomes;
}

core::Result<RecordOutcome> SqliteBatchTracker::recordOne(BatchTables& tables,
                                                          const std::string& batch_id,
                                                          const ChunkResult& result,
                                                          std::int64_t now_ms) {
  auto batch = existingBatch(tables, batch_id);
  if (!batch) {
    return batch.error();
  }
  if (auto checked = checkIndex(*batch, result.chunk_index); !checked) {
    return checked.error();
  }
  auto recorded = tables.recordedDeadLettered(batch_id, result.chunk_index);
  if (!recorded) {
    return recorded.error();
  }
  RecordOutcome outcome;
  // A redriven chunk that now succeeded replaces its dead letter. The batch's event status may
  // change with it (partial to complete), and each status has its own row in batch_events.
  const bool replaces_dead_letter = *recorded && **recorded && !result.dead_lettered;
  if (replaces_dead_letter) {
    auto old = tables.recordedChunk(batch_id, result.chunk_index);
    if (!old) {
      return old.error();
    }
    if (*old) {
      if (auto removed = tables.addFigures(batch_id, figuresOf(**old, -1)); !removed) {
        return removed.error();
      }
    }
  }
  if (!*recorded || replaces_dead_letter) {
    if (auto put = tables.putChunk(batch_id, result, now_ms); !put) {
      return put.error();
    }
    if (auto added = tables.addFigures(batch_id, figuresOf(result, 1)); !added) {
      return added.error();
    }
    if (auto lake = tables.putLakeObjects(batch->plan.domain, result); !lake) {
      return lake.error();
    }
    outcome.counted = true;
  }
  if (!*recorded) {
    if (auto counted = tables.countNewChunk(batch_id); !counted) {
      return counted.error();
    }
  }
  if (auto removed = tables.removeProgress(batch_id, result.chunk_index); !removed) {
    return removed.error();
  }
  auto count = tables.recordedCount(batch_id);
  if (!count) {
    return count.error();
  }
  outcome.batch_complete = *count == batch->plan.total_chunks;
  if (outcome.batch_complete) {
    if (auto completed = tables.setCompletedOnce(batch_id, now_ms); !completed) {
      return completed.error();
    }
  }
  return outcome;
}

core::Status SqliteBatchTracker::saveChunkProgress(const std::string& batch_id,
                                                   const ChunkResult& progress,
                                                   core::SystemTime now) {
  // IMMEDIATE: a recordChunks of the same chunk in another process lands wholly before or after
  // this check, so recorded chunks never keep progress.
  auto work = beginOnBatch(batch_id, db::Transaction::immediate);
  if (!work) {
    return work.error();
  }
  if (auto checked = checkIndex(work->batch, progress.chunk_index); !checked) {
    return checked;
  }
  auto recorded = work->tables.recordedDeadLettered(batch_id, progress.chunk_index);
  if (!recorded) {
    return recorded.error();
  }
  if (*recorded) {
    return core::okStatus();
  }
  if (auto put = work->tables.putProgress(batch_id, progress, db::toMillis(now)); !put) {
    return put;
  }
  return work->tx.commit();
}

core::Result<std::optional<ChunkResult>> SqliteBatchTracker::chunkProgress(
    const std::string& batch_id, int chunk_index) {
  // DEFERRED: the batch and its progress from one snapshot.
  auto work = beginOnBatch(batch_id, db::Transaction::deferred);
  if (!work) {
    return work.error();
  }
  if (auto checked = checkIndex(work->batch, chunk_index); !checked) {
    return checked.error();
  }
  auto progress = work->tables.progress(batch_id, chunk_index);
  if (!progress) {
    return progress;
  }
  if (auto committed = work->tx.commit(); !committed) {
    return committed.error();
  }
  return progress;
}

core::Result<BatchSnapshot> SqliteBatchTracker::snapshot(const std::string& batch_id) {
  std::lock_guard lock(mutex_);
  auto tx = db::Transaction::deferred(*db_);  // batch, chunks and sends from one snapshot
  if (!tx) {
    return tx.error();
  }
  auto snapshot = readSnapshot(batch_id);
  if (!snapshot) {
    return snapshot;
  }
  if (auto committed = tx->commit(); !committed) {
    return committed.error();
  }
  return snapshot;
}

core::Result<BatchOutline> SqliteBatchTracker::readBatch(const std::string& batch_id,
                                                         const ChunkVisitor& visit) {
  // DEFERRED: the batch and its chunks from one snapshot.
  auto work = beginOnBatch(batch_id, db::Transaction::deferred);
  if (!work) {
    return work.error();
  }
  ChunkTally tally;
  auto read = work->tables.forEachChunk(batch_id, [&](ChunkResult& chunk) {
    tally.add(chunk);
    return visit(chunk);
  });
  if (!read) {
    return read.error();
  }
  return finishOutline(*work, tally);
}

core::Result<std::optional<BatchOutline>> SqliteBatchTracker::outlineOfRecorded(
    const std::string& batch_id, std::int64_t since, const ChunkTally& tally) {
  // DEFERRED: the revision checked and the outline read from one snapshot.
  auto work = beginOnBatch(batch_id, db::Transaction::deferred);
  if (!work) {
    return work.error();
  }
  if (tally.recorded != work->batch.plan.total_chunks ||
      work->batch.revision != since + tally.recorded) {
    return std::optional<BatchOutline>();
  }
  auto outline = finishOutline(*work, tally);
  if (!outline) {
    return outline.error();
  }
  return std::optional<BatchOutline>(std::move(outline).value());
}

core::Result<BatchOutline> SqliteBatchTracker::finishOutline(OnBatch& work,
                                                             const ChunkTally& tally) {
  auto events = work.tables.events(work.batch.plan.batch_id);
  if (!events) {
    return events.error();
  }
  if (auto committed = work.tx.commit(); !committed) {
    return committed.error();
  }
  const BatchRow& batch = work.batch;
  BatchOutline outline;
  outline.state = tally.state(batch.plan);
  outline.event_status = tally.eventStatus(batch.plan);
  outline.chunks_recorded = tally.recorded;
  if (batch.completed_at_ms) {
    outline.completed_at = db::fromMillis(*batch.completed_at_ms);
  }
  outline.registered_at = db::fromMillis(batch.registered_at_ms);
  outline.revision = batch.revision;
  if (outline.event_status) {
    outline.event_published = std::any_of(events->begin(), events->end(), [&](const EventRow& row) {
      return row.status == *outline.event_status && row.published;
    });
  }
  outline.plan = std::move(work.batch.plan);
  return outline;
}

core::Result<std::optional<std::int64_t>> SqliteBatchTracker::revision(
    const std::string& batch_id) {
  auto work = beginOnBatch(batch_id, db::Transaction::deferred);
  if (!work) {
    return work.error();
  }
  return std::optional<std::int64_t>(work->batch.revision);
}

core::Result<BatchSnapshot> SqliteBatchTracker::readSnapshot(const std::string& batch_id) {
  BatchTables tables(*db_);
  auto batch = existingBatch(tables, batch_id);
  if (!batch) {
    return batch.error();
  }
  auto chunks = tables.chunks(batch_id);
  if (!chunks) {
    return chunks.error();
  }
  auto sent = tables.sentChunks(batch_id);
  if (!sent) {
    return sent.error();
  }
  auto events = tables.events(batch_id);
  if (!events) {
    return events.error();
  }
  BatchSnapshot snapshot;
  snapshot.state = stateOf(batch->plan, *chunks);
  snapshot.plan = std::move(batch->plan);
  snapshot.chunks = std::move(chunks).value();
  snapshot.sent_chunks = std::move(sent).value();
  if (batch->completed_at_ms) {
    snapshot.completed_at = db::fromMillis(*batch->completed_at_ms);
  }
  if (const auto status = eventStatusOf(snapshot)) {
    snapshot.event_published =
        std::any_of(events->begin(), events->end(),
                    [&](const EventRow& row) { return row.status == *status && row.published; });
  }
  snapshot.registered_at = db::fromMillis(batch->registered_at_ms);
  return snapshot;
}

core::Result<std::vector<BatchSummary>> SqliteBatchTracker::recentSummaries(
    int limit, const std::string& domain) {
  if (limit < 1) {
    return invalid("recentSummaries: limit " + std::to_string(limit) + " must be at least 1");
  }
  std::lock_guard lock(mutex_);
  BatchTables tables(*db_);
  return tables.summaries(domain, limit);
}

core::Result<std::vector<PartitionStats>> SqliteBatchTracker::partitionStats(
    const std::string& domain, int limit_days) {
  if (limit_days < 1) {
    return invalid("partitionStats: limit " + std::to_string(limit_days) + " must be at least 1");
  }
  std::lock_guard lock(mutex_);
  BatchTables tables(*db_);
  return tables.partitionStats(domain, limit_days);
}

core::Result<EventClaim> SqliteBatchTracker::claimEvent(const std::string& batch_id,
                                                        EventStatus status, core::SystemTime now,
                                                        std::chrono::milliseconds lease) {
  // IMMEDIATE: the status, the ledger and the claim's write are one step for every process.
  auto work = beginOnBatch(batch_id, db::Transaction::immediate);
  if (!work) {
    return work.error();
  }
  BatchTables& tables = work->tables;
  auto current = tables.eventStatus(batch_id);
  if (!current) {
    return current.error();
  }
  auto rows = tables.events(batch_id);
  if (!rows) {
    return rows.error();
  }
  const std::int64_t now_ms = db::toMillis(now);
  EventLedger ledger;
  for (const auto& row : *rows) {
    if (!row.published) {
      ledger.claim_live = ledger.claim_live || row.claimed_until_ms > now_ms;
    } else if (row.status == EventStatus::kComplete) {
      ledger.complete_published = true;
    } else {
      ledger.partial_published = true;
    }
  }
  auto decided = decideEventClaim(batch_id, status, *current, ledger);
  if (!decided) {
    return decided.error();
  }
  if (*decided != ClaimOutcome::kGranted) {
    return EventClaim{*decided, 0};
  }
  auto taken = tables.takeClaim(batch_id, status, now_ms, now_ms + lease.count());
  if (!taken) {
    return taken.error();
  }
  if (!*taken) {  // the write carries the condition too: it never grants what the reads refuse
    return EventClaim{ClaimOutcome::kHeld, 0};
  }
  if (auto committed = work->tx.commit(); !committed) {
    return committed.error();
  }
  return EventClaim{ClaimOutcome::kGranted, **taken};
}

core::Status SqliteBatchTracker::releaseEventClaim(const std::string& batch_id, EventStatus status,
                                                   std::int64_t claim_id) {
  auto work = beginOnBatch(batch_id, db::Transaction::immediate);
  if (!work) {
    return work.error();
  }
  if (auto released = work->tables.releaseClaim(batch_id, status, claim_id); !released) {
    return released;
  }
  return work->tx.commit();
}

core::Status SqliteBatchTracker::markEventPublished(const std::string& batch_id,
                                                    EventStatus status) {
  auto work = beginOnBatch(batch_id, db::Transaction::immediate);
  if (!work) {
    return work.error();
  }
  const int total_chunks = work->batch.plan.total_chunks;
  auto count = work->tables.recordedCount(batch_id);
  if (!count) {
    return count.error();
  }
  if (*count < total_chunks) {
    return invalid("markEventPublished: batch " + batch_id + " is not complete (" +
                   std::to_string(*count) + " of " + std::to_string(total_chunks) +
                   " chunks recorded)");
  }
  if (auto marked = work->tables.markPublished(batch_id, status); !marked) {
    return marked;
  }
  return work->tx.commit();
}

core::Result<std::vector<BatchSnapshot>> SqliteBatchTracker::recentBatches(int limit) {
  if (limit < 1) {
    return invalid("recentBatches: limit " + std::to_string(limit) + " must be at least 1");
  }
  std::lock_guard lock(mutex_);
  auto tx = db::Transaction::deferred(*db_);
  if (!tx) {
    return tx.error();
  }
  BatchTables tables(*db_);
  auto ids = tables.recentIds(limit);
  if (!ids) {
    return ids.error();
  }
  std::vector<BatchSnapshot> snapshots;
  for (const auto& id : *ids) {
    auto snapshot = readSnapshot(id);
    if (!snapshot) {
      return snapshot.error();
    }
    snapshots.push_back(std::move(snapshot).value());
  }
  if (auto committed = tx->commit(); !committed) {
    return committed.error();
  }
  return snapshots;
}

}  // namespace rawfeed::tracker::sqlite
