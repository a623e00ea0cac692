#include "tracker/sqlite/batch_tables.h"

#include "db/time_columns.h"
#include "tracker/chunk_result_json.h"

namespace rawfeed::tracker::sqlite {
namespace {

// dead_lettered is a column of its own because recordChunk decides on it without parsing JSON.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS batches (
  batch_id TEXT PRIMARY KEY,
  batch_ds TEXT NOT NULL,
  domain TEXT NOT NULL,
  table_name TEXT NOT NULL,
  data_source TEXT NOT NULL,
  bar_interval TEXT NOT NULL,
  file_format TEXT NOT NULL,
  trigger_type TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  total_chunks INTEGER NOT NULL CHECK (total_chunks > 0),
  fingerprint TEXT NOT NULL,
  registered_at_ms INTEGER NOT NULL,
  completed_at_ms INTEGER,
  -- Schema version 0's one flag for "the event went out", reset when a dead letter was replaced:
  -- neither read nor written since batch_events (version 1), except by the migration.
  event_published INTEGER NOT NULL DEFAULT 0,
  -- Kept in step with chunk_results so that "is the batch complete?" is one row read, not a
  -- scan of a batch's (large) results on every recorded chunk.
  recorded_chunks INTEGER NOT NULL DEFAULT 0,
  -- The batch's figures, kept in step with chunk_results for summaries that read no JSON.
  dead_lettered_chunks INTEGER NOT NULL DEFAULT 0,
  symbols_ok INTEGER NOT NULL DEFAULT 0,
  symbols_empty INTEGER NOT NULL DEFAULT 0,
  symbols_failed INTEGER NOT NULL DEFAULT 0,
  symbols_failed_transient INTEGER NOT NULL DEFAULT 0,
  objects_written INTEGER NOT NULL DEFAULT 0,
  objects_skipped INTEGER NOT NULL DEFAULT 0,
  bytes_written INTEGER NOT NULL DEFAULT 0,
  records INTEGER NOT NULL DEFAULT 0,
  revision INTEGER NOT NULL DEFAULT 0,
  -- Symbols an incremental plan did not ask for, and the corporate-actions table (version 2).
  symbols_up_to_date INTEGER NOT NULL DEFAULT 0,
  corporate_actions_table TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS batches_domain_recent ON batches (domain, registered_at_ms);
-- Every object some batch recorded (written or found in place), each key once: the lake's
-- statistics per partition day without listing the lake.
CREATE TABLE IF NOT EXISTS lake_objects (
  object_key TEXT PRIMARY KEY,
  domain TEXT NOT NULL,
  day TEXT NOT NULL,
  bytes INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lake_objects_day ON lake_objects (domain, day);
CREATE INDEX IF NOT EXISTS batches_recent ON batches (registered_at_ms);
CREATE TABLE IF NOT EXISTS sent_chunks (
  batch_id TEXT NOT NULL REFERENCES batches (batch_id) ON DELETE CASCADE,
  chunk_index INTEGER NOT NULL,
  PRIMARY KEY (batch_id, chunk_index)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunk_results (
  batch_id TEXT NOT NULL REFERENCES batches (batch_id) ON DELETE CASCADE,
  chunk_index INTEGER NOT NULL,
  dead_lettered INTEGER NOT NULL,
  result_json TEXT NOT NULL,
  recorded_at_ms INTEGER NOT NULL,
  PRIMARY KEY (batch_id, chunk_index)
) WITHOUT ROWID;
-- What deliveries of a chunk finished before the chunk could be recorded; deleted when it is.
-- IF NOT EXISTS also adds it to databases created before it existed.
CREATE TABLE IF NOT EXISTS chunk_progress (
  batch_id TEXT NOT NULL REFERENCES batches (batch_id) ON DELETE CASCADE,
  chunk_index INTEGER NOT NULL,
  result_json TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (batch_id, chunk_index)
) WITHOUT ROWID;
-- Each status a batch announced or is announcing (contracts §7): a claim on publishing it (the
-- claims-th, exclusive until claimed_until_ms; 0 once released) and whether it went out.
CREATE TABLE IF NOT EXISTS batch_events (
  batch_id TEXT NOT NULL REFERENCES batches (batch_id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('partial', 'complete')),
  claims INTEGER NOT NULL DEFAULT 0,
  claimed_until_ms INTEGER NOT NULL DEFAULT 0,
  published INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (batch_id, status)
) WITHOUT ROWID;
)sql";

// The event status of a batches row, from its figures: the same rule as eventStatusOf over the
// chunk results (complete: every chunk recorded, no dead letter, no failed symbol).
constexpr std::string_view kEventStatusSql =
    "CASE WHEN recorded_chunks < total_chunks THEN NULL "
    "WHEN dead_lettered_chunks = 0 AND symbols_failed = 0 THEN 'complete' ELSE 'partial' END";

// `before`, the event status expression, then `after`.
std::string withEventStatus(std::string_view before, std::string_view after) {
  std::string sql(before);
  sql += kEventStatusSql;
  sql += after;
  return sql;
}

// A stored row: the shared chunk document, or a row written before the trackers shared it.
core::Result<ChunkResult> readChunk(std::string_view text) {
  auto document = parseChunkDocument(text, ChunkDocumentForms::kWithSchemaless);
  if (!document)
    return document.error();
  return std::move(document->result);
}

std::optional<EventStatus> parseStatus(std::string_view text) {
  if (text == "complete")
    return EventStatus::kComplete;
  if (text == "partial")
    return EventStatus::kPartial;
  return std::nullopt;
}

core::Result<std::int64_t> userVersion(db::Database& db) {
  auto statement = db.query("PRAGMA user_version");
  if (!statement) {
    return statement.error();
  }
  if (auto row = statement->step(); !row) {
    return row.error();
  }
  return statement->int64(0);
}

core::Result<bool> hasBatchesColumn(db::Database& db, std::string_view column) {
  auto statement =
      db.query("SELECT COUNT(*) FROM pragma_table_info('batches') WHERE name = ?1", column);
  if (!statement) {
    return statement.error();
  }
  if (auto row = statement->step(); !row) {
    return row.error();
  }
  return statement->int64(0) > 0;
}

}  // namespace

core::Status BatchTables::createSchema(db::Database& db) {
  if (auto created = db.exec(kSchema); !created) {
    return created;
  }
  auto version = userVersion(db);
  if (!version) {
    return version.error();
  }
  if (*version >= kSchemaVersion) {
    return core::okStatus();
  }
  // Version 0 kept one event_published flag per batch, for the status the batch had then: it
  // becomes that status's published row, so an upgrade announces nothing twice.
  const std::string to_version_1 = withEventStatus(
      "INSERT OR IGNORE INTO batch_events (batch_id, status, published) SELECT batch_id, ",
      ", 1 FROM batches WHERE event_published = 1 AND recorded_chunks >= total_chunks");
  if (*version < 1) {
    if (auto migrated = db.exec(to_version_1); !migrated) {
      return migrated;
    }
  }
  // Version 2 adds two columns to batches; a database created by this schema has them already.
  for (const auto& [column, definition] :
       {std::pair{"symbols_up_to_date", "INTEGER NOT NULL DEFAULT 0"},
        std::pair{"corporate_actions_table", "TEXT NOT NULL DEFAULT ''"}}) {
    auto has_column = hasBatchesColumn(db, column);
    if (!has_column) {
      return has_column.error();
    }
    if (!*has_column) {
      if (auto added =
              db.exec(std::string("ALTER TABLE batches ADD COLUMN ") + column + " " + definition);
          !added) {
        return added;
      }
    }
  }
  return db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
}

core::Result<std::optional<BatchRow>> BatchTables::batch(std::string_view batch_id) {
  auto statement = db_.query(
      "SELECT batch_id, batch_ds, domain, table_name, data_source, bar_interval, file_format, "
      "trigger_type, correlation_id, total_chunks, fingerprint, registered_at_ms, "
      "completed_at_ms, symbols_up_to_date, corporate_actions_table, revision FROM batches "
      "WHERE batch_id = ?1",
      batch_id);
  if (!statement) {
    return statement.error();
  }
  auto row = statement->step();
  if (!row) {
    return row.error();
  }
  if (!*row) {
    return std::optional<BatchRow>();
  }
  BatchRow batch;
  auto& plan = batch.plan;
  plan.batch_id = statement->text(0);
  plan.batch_ds = statement->text(1);
  plan.domain = statement->text(2);
  plan.table_name = statement->text(3);
  plan.data_source = statement->text(4);
  plan.interval = statement->text(5);
  plan.file_format = statement->text(6);
  plan.trigger_type = statement->text(7);
  plan.correlation_id = statement->text(8);
  plan.total_chunks = static_cast<int>(statement->int64(9));
  plan.fingerprint = statement->text(10);
  batch.registered_at_ms = statement->int64(11);
  if (!statement->isNull(12)) {
    batch.completed_at_ms = statement->int64(12);
  }
  plan.symbols_up_to_date = statement->int64(13);
  plan.corporate_actions_table = statement->text(14);
  batch.revision = statement->int64(15);
  return std::optional<BatchRow>(std::move(batch));
}

core::Status BatchTables::insertBatch(const BatchPlan& plan, std::int64_t registered_at) {
  return db_.run(
      "INSERT INTO batches (batch_id, batch_ds, domain, table_name, data_source, bar_interval, "
      "file_format, trigger_type, correlation_id, total_chunks, fingerprint, registered_at_ms, "
      "symbols_up_to_date, corporate_actions_table) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
      plan.batch_id, plan.batch_ds, plan.domain, plan.table_name, plan.data_source, plan.interval,
      plan.file_format, plan.trigger_type, plan.correlation_id, std::int64_t{plan.total_chunks},
      plan.fingerprint, registered_at, plan.symbols_up_to_date,
      std::string_view(plan.corporate_actions_table));
}

core::Status BatchTables::insertSent(std::string_view batch_id, int chunk_index) {
  return db_.run("INSERT OR IGNORE INTO sent_chunks (batch_id, chunk_index) VALUES (?1, ?2)",
                 batch_id, std::int64_t{chunk_index});
}

core::Result<std::vector<int>> BatchTables::sentChunks(std::string_view batch_id) {
  auto statement = db_.query(
      "SELECT chunk_index FROM sent_chunks WHERE batch_id = ?1 ORDER BY chunk_index", batch_id);
  if (!statement) {
    return statement.error();
  }
  return statement->collect<int>([](db::Statement& row) { return static_cast<int>(row.int64(0)); });
}

core::Result<std::optional<bool>> BatchTables::recordedDeadLettered(std::string_view batch_id,
                                                                    int chunk_index) {
  auto statement =
      db_.query("SELECT dead_lettered FROM chunk_results WHERE batch_id = ?1 AND chunk_index = ?2",
                batch_id, std::int64_t{chunk_index});
  if (!statement) {
    return statement.error();
  }
  auto row = statement->step();
  if (!row) {
    return row.error();
  }
  return *row ? std::optional<bool>(statement->int64(0) != 0) : std::optional<bool>();
}

core::Status BatchTables::putChunk(std::string_view batch_id, const ChunkResult& result,
                                   std::int64_t now) {
  return db_.run(
      "INSERT OR REPLACE INTO chunk_results (batch_id, chunk_index, dead_lettered, result_json, "
      "recorded_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
      batch_id, std::int64_t{result.chunk_index}, std::int64_t{result.dead_lettered ? 1 : 0},
      chunkDocumentJson({result, now}), now);
}

core::Result<std::optional<std::string>> BatchTables::chunkText(std::string_view sql,
                                                                std::string_view batch_id,
                                                                int chunk_index) {
  auto statement = db_.query(sql, batch_id, std::int64_t{chunk_index});
  if (!statement) {
    return statement.error();
  }
  auto row = statement->step();
  if (!row) {
    return row.error();
  }
  if (!*row) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(statement->text(0));
}

core::Result<std::optional<ChunkResult>> BatchTables::recordedChunk(std::string_view batch_id,
                                                                    int chunk_index) {
  auto text =
      chunkText("SELECT result_json FROM chunk_results WHERE batch_id = ?1 AND chunk_index = ?2",
                batch_id, chunk_index);
  if (!text) {
    return text.error();
  }
  if (!*text) {
    return std::optional<ChunkResult>();
  }
  auto chunk = readChunk(**text);
  if (!chunk) {
    return chunk.error();
  }
  return std::optional<ChunkResult>(std::move(chunk).value());
}

core::Status BatchTables::putProgress(std::string_view batch_id, const ChunkResult& progress,
                                      std::int64_t now) {
  return db_.run(
      "INSERT OR REPLACE INTO chunk_progress (batch_id, chunk_index, result_json, updated_at_ms) "
      "VALUES (?1, ?2, ?3, ?4)",
      batch_id, std::int64_t{progress.chunk_index}, chunkDocumentJson({progress, now}), now);
}

core::Result<std::optional<ChunkResult>> BatchTables::progress(std::string_view batch_id,
                                                               int chunk_index) {
  auto text =
      chunkText("SELECT result_json FROM chunk_progress WHERE batch_id = ?1 AND chunk_index = ?2",
                batch_id, chunk_index);
  if (!text) {
    return text.error();
  }
  if (!*text) {
    return std::optional<ChunkResult>();
  }
  auto document = parseChunkDocument(**text);
  if (!document) {
    return core::makeError(document.error().code,
                           "batch " + std::string(batch_id) + " progress of chunk " +
                               std::to_string(chunk_index) + ": " + document.error().message);
  }
  return std::optional<ChunkResult>(std::move(document->result));
}

core::Status BatchTables::removeProgress(std::string_view batch_id, int chunk_index) {
  return db_.run("DELETE FROM chunk_progress WHERE batch_id = ?1 AND chunk_index = ?2", batch_id,
                 std::int64_t{chunk_index});
}

core::Status BatchTables::addFigures(std::string_view batch_id, const ChunkFigures& delta) {
  return db_.run(
      "UPDATE batches SET dead_lettered_chunks = dead_lettered_chunks + ?2, "
      "symbols_ok = symbols_ok + ?3, symbols_empty = symbols_empty + ?4, "
      "symbols_failed = symbols_failed + ?5, symbols_failed_transient = "
      "symbols_failed_transient + ?6, objects_written = objects_written + ?7, "
      "objects_skipped = objects_skipped + ?8, bytes_written = bytes_written + ?9, "
      "records = records + ?10, revision = revision + 1 WHERE batch_id = ?1",
      batch_id, delta.dead_lettered_chunks, delta.symbols_ok, delta.symbols_empty,
      delta.symbols_failed, delta.symbols_failed_transient, delta.objects_written,
      delta.objects_skipped, delta.bytes_written, delta.records);
}

core::Status BatchTables::putLakeObjects(std::string_view domain, const ChunkResult& result) {
  for (const auto& object : result.objects) {
    if (!object.table.empty())
      continue;  // the partition statistics are the bars' table's
    if (auto put = db_.run("INSERT OR REPLACE INTO lake_objects (object_key, domain, day, bytes) "
                           "VALUES (?1, ?2, ?3, ?4)",
                           std::string_view(object.key), domain, std::string_view(object.day),
                           object.bytes);
        !put) {
      return put;
    }
  }
  return core::okStatus();
}

core::Result<std::vector<PartitionStats>> BatchTables::partitionStats(std::string_view domain,
                                                                      int limit_days) {
  auto statement = db_.query(
      "SELECT day, COUNT(*), SUM(bytes) FROM lake_objects WHERE domain = ?1 GROUP BY day "
      "ORDER BY day DESC LIMIT ?2",
      domain, std::int64_t{limit_days});
  if (!statement) {
    return statement.error();
  }
  return statement->collect<PartitionStats>([](db::Statement& row) {
    return PartitionStats{row.text(0), row.int64(1), row.int64(2)};
  });
}

core::Result<std::vector<BatchSummary>> BatchTables::summaries(std::string_view domain, int limit) {
  // event_published: the event of the batch's current status went out.
  static const std::string sql = withEventStatus(
      "SELECT batch_id, batch_ds, domain, table_name, data_source, bar_interval, file_format, "
      "trigger_type, correlation_id, total_chunks, fingerprint, registered_at_ms, "
      "completed_at_ms, EXISTS (SELECT 1 FROM batch_events e WHERE e.batch_id = "
      "batches.batch_id AND e.published = 1 AND e.status = ",
      "), recorded_chunks, dead_lettered_chunks, symbols_ok, symbols_empty, symbols_failed, "
      "symbols_failed_transient, objects_written, objects_skipped, bytes_written, records, "
      "revision FROM batches "
      "WHERE (?1 = '' OR domain = ?1) ORDER BY registered_at_ms DESC, rowid DESC LIMIT ?2");
  auto statement = db_.query(sql, domain, std::int64_t{limit});
  if (!statement) {
    return statement.error();
  }
  std::vector<BatchSummary> summaries;
  for (;;) {
    auto row = statement->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return summaries;
    }
    BatchSummary summary;
    auto& plan = summary.plan;
    plan.batch_id = statement->text(0);
    plan.batch_ds = statement->text(1);
    plan.domain = statement->text(2);
    plan.table_name = statement->text(3);
    plan.data_source = statement->text(4);
    plan.interval = statement->text(5);
    plan.file_format = statement->text(6);
    plan.trigger_type = statement->text(7);
    plan.correlation_id = statement->text(8);
    plan.total_chunks = static_cast<int>(statement->int64(9));
    plan.fingerprint = statement->text(10);
    summary.registered_at = db::fromMillis(statement->int64(11));
    if (!statement->isNull(12)) {
      summary.completed_at = db::fromMillis(statement->int64(12));
    }
    summary.event_published = statement->int64(13) != 0;
    summary.chunks_recorded = static_cast<int>(statement->int64(14));
    summary.dead_lettered_chunks = static_cast<int>(statement->int64(15));
    summary.symbols_ok = statement->int64(16);
    summary.symbols_empty = statement->int64(17);
    summary.symbols_failed = statement->int64(18);
    summary.symbols_failed_transient = statement->int64(19);
    summary.objects_written = statement->int64(20);
    summary.objects_skipped = statement->int64(21);
    summary.bytes_written = statement->int64(22);
    summary.records = statement->int64(23);
    summary.revision = statement->int64(24);
    if (summary.chunks_recorded < plan.total_chunks) {
      summary.state = BatchState::kOpen;
    } else if (summary.dead_lettered_chunks > 0 || summary.symbols_failed_transient > 0) {
      summary.state = BatchState::kPartial;
    } else {
      summary.state = BatchState::kComplete;
    }
    summaries.push_back(std::move(summary));
  }
}

core::Status BatchTables::countNewChunk(std::string_view batch_id) {
  return db_.run("UPDATE batches SET recorded_chunks = recorded_chunks + 1 WHERE batch_id = ?1",
                 batch_id);
}

core::Result<std::int64_t> BatchTables::recordedCount(std::string_view batch_id) {
  auto statement = db_.query("SELECT recorded_chunks FROM batches WHERE batch_id = ?1", batch_id);
  if (!statement) {
    return statement.error();
  }
  if (auto row = statement->step(); !row) {
    return row.error();
  }
  return statement->int64(0);
}

core::Status BatchTables::forEachChunk(std::string_view batch_id, const ChunkVisitor& visit) {
  auto statement = db_.query(
      "SELECT chunk_index, result_json FROM chunk_results WHERE batch_id = ?1 "
      "ORDER BY chunk_index",
      batch_id);
  if (!statement) {
    return statement.error();
  }
  for (;;) {
    auto row = statement->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return core::okStatus();
    }
    auto chunk = readChunk(statement->text(1));
    if (!chunk) {
      return core::makeError(chunk.error().code, "batch " + std::string(batch_id) + " chunk " +
                                                     std::to_string(statement->int64(0)) + ": " +
                                                     chunk.error().message);
    }
    if (auto visited = visit(*chunk); !visited) {
      return visited;
    }
  }
}

core::Result<std::vector<ChunkResult>> BatchTables::chunks(std::string_view batch_id) {
  std::vector<ChunkResult> chunks;
  auto read = forEachChunk(batch_id, [&chunks](ChunkResult& chunk) {
    chunks.push_back(std::move(chunk));
    return core::okStatus();
  });
  if (!read) {
    return read.error();
  }
  return chunks;
}

core::Status BatchTables::setCompletedOnce(std::string_view batch_id, std::int64_t now) {
  return db_.run(
      "UPDATE batches SET completed_at_ms = ?2 WHERE batch_id = ?1 AND completed_at_ms IS NULL",
      batch_id, now);
}

core::Result<std::optional<EventStatus>> BatchTables::eventStatus(std::string_view batch_id) {
  static const std::string sql = withEventStatus("SELECT ", " FROM batches WHERE batch_id = ?1");
  auto statement = db_.query(sql, batch_id);
  if (!statement) {
    return statement.error();
  }
  auto row = statement->step();
  if (!row) {
    return row.error();
  }
  if (!*row || statement->isNull(0)) {
    return std::optional<EventStatus>();
  }
  return parseStatus(statement->text(0));
}

core::Result<std::vector<EventRow>> BatchTables::events(std::string_view batch_id) {
  auto statement = db_.query(
      "SELECT status, claims, claimed_until_ms, published FROM batch_events WHERE batch_id = ?1",
      batch_id);
  if (!statement) {
    return statement.error();
  }
  std::vector<EventRow> rows;
  for (;;) {
    auto row = statement->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return rows;
    }
    const auto status = parseStatus(statement->text(0));
    if (!status) {  // the CHECK constraint keeps others out
      continue;
    }
    rows.push_back({*status, statement->int64(1), statement->int64(2), statement->int64(3) != 0});
  }
}

core::Result<std::optional<std::int64_t>> BatchTables::takeClaim(std::string_view batch_id,
                                                                 EventStatus status,
                                                                 std::int64_t now,
                                                                 std::int64_t until) {
  auto taken = db_.run(
      "INSERT INTO batch_events (batch_id, status, claims, claimed_until_ms) "
      "VALUES (?1, ?2, 1, ?4) ON CONFLICT (batch_id, status) DO UPDATE SET "
      "claims = claims + 1, claimed_until_ms = excluded.claimed_until_ms "
      "WHERE published = 0 AND claimed_until_ms <= ?3",
      batch_id, std::string_view(eventStatusName(status)), now, until);
  if (!taken) {
    return taken.error();
  }
  if (db_.changes() != 1) {
    return std::optional<std::int64_t>();
  }
  auto statement = db_.query("SELECT claims FROM batch_events WHERE batch_id = ?1 AND status = ?2",
                             batch_id, std::string_view(eventStatusName(status)));
  if (!statement) {
    return statement.error();
  }
  if (auto row = statement->step(); !row) {
    return row.error();
  }
  return std::optional<std::int64_t>(statement->int64(0));
}

core::Status BatchTables::releaseClaim(std::string_view batch_id, EventStatus status,
                                       std::int64_t claim_id) {
  return db_.run(
      "UPDATE batch_events SET claimed_until_ms = 0 WHERE batch_id = ?1 AND status = ?2 AND "
      "claims = ?3 AND published = 0",
      batch_id, std::string_view(eventStatusName(status)), claim_id);
}

core::Status BatchTables::markPublished(std::string_view batch_id, EventStatus status) {
  return db_.run(
      "INSERT INTO batch_events (batch_id, status, published) VALUES (?1, ?2, 1) "
      "ON CONFLICT (batch_id, status) DO UPDATE SET published = 1",
      batch_id, std::string_view(eventStatusName(status)));
}

core::Result<std::vector<std::string>> BatchTables::recentIds(int limit) {
  auto statement =
      db_.query("SELECT batch_id FROM batches ORDER BY registered_at_ms DESC, rowid DESC LIMIT ?1",
                std::int64_t{limit});
  if (!statement) {
    return statement.error();
  }
  return statement->collect<std::string>([](db::Statement& row) { return row.text(0); });
}

}  // namespace rawfeed::tracker::sqlite
