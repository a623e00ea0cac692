#include "queue/sqlite/message_table.h"

#include "db/time_columns.h"

namespace rawfeed::queue::sqlite {
namespace {

// AUTOINCREMENT: a seq is never reused, so a handle of a deleted message cannot name a new one.
// The partial indexes keep receive an index seek however many dead letters pile up.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS queue_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  sent_at_ms INTEGER NOT NULL,
  visible_at_ms INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  receipt TEXT,
  dead_lettered_at_ms INTEGER
);
CREATE INDEX IF NOT EXISTS queue_messages_ready
  ON queue_messages (queue, visible_at_ms, seq) WHERE dead_lettered_at_ms IS NULL;
CREATE INDEX IF NOT EXISTS queue_messages_dead
  ON queue_messages (queue, dead_lettered_at_ms, seq) WHERE dead_lettered_at_ms IS NOT NULL;
CREATE INDEX IF NOT EXISTS queue_messages_sent ON queue_messages (queue, sent_at_ms);
)sql";

}  // namespace

core::Status MessageTable::createSchema(db::Database& db) {
  return db.exec(kSchema);
}

core::Status MessageTable::insert(std::string_view message_id, std::string_view body,
                                  std::int64_t sent_at, std::int64_t visible_at) {
  return db_.run(
      "INSERT INTO queue_messages (queue, message_id, body, sent_at_ms, "
      "visible_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
      std::string_view(queue_), message_id, body, sent_at, visible_at);
}

core::Status MessageTable::dropExpired(std::int64_t live_cutoff, std::int64_t dead_cutoff) {
  // Two range seeks on (queue, sent_at_ms) rather than one OR that would scan the queue.
  auto live = db_.run(
      "DELETE FROM queue_messages WHERE queue = ?1 AND sent_at_ms <= ?2 "
      "AND dead_lettered_at_ms IS NULL",
      std::string_view(queue_), live_cutoff);
  if (!live) {
    return live;
  }
  return db_.run(
      "DELETE FROM queue_messages WHERE queue = ?1 AND sent_at_ms <= ?2 "
      "AND dead_lettered_at_ms IS NOT NULL",
      std::string_view(queue_), dead_cutoff);
}

core::Result<bool> MessageTable::anyVisible(std::int64_t now) {
  auto statement = db_.query(
      "SELECT 1 FROM queue_messages WHERE queue = ?1 AND "
      "dead_lettered_at_ms IS NULL AND visible_at_ms <= ?2 LIMIT 1",
      std::string_view(queue_), now);
  if (!statement) {
    return statement.error();
  }
  return statement->step();
}

core::Result<std::vector<ReadyMessage>> MessageTable::visible(std::int64_t now, int limit) {
  auto statement = db_.query(
      "SELECT seq, message_id, body, receive_count, sent_at_ms "
      "FROM queue_messages WHERE queue = ?1 AND dead_lettered_at_ms IS NULL "
      "AND visible_at_ms <= ?2 ORDER BY visible_at_ms, seq LIMIT ?3",
      std::string_view(queue_), now, std::int64_t{limit});
  if (!statement) {
    return statement.error();
  }
  return statement->collect<ReadyMessage>([](db::Statement& row) {
    return ReadyMessage{row.int64(0), row.text(1), row.text(2), static_cast<int>(row.int64(3)),
                        row.int64(4)};
  });
}

core::Status MessageTable::markReceived(std::int64_t seq, std::string_view receipt,
                                        std::int64_t visible_at) {
  return db_.run(
      "UPDATE queue_messages SET receive_count = receive_count + 1, receipt = ?2, "
      "visible_at_ms = ?3 WHERE seq = ?1",
      seq, receipt, visible_at);
}

core::Status MessageTable::deadLetter(std::int64_t seq, std::int64_t now) {
  return db_.run(
      "UPDATE queue_messages SET dead_lettered_at_ms = ?2, receipt = NULL "
      "WHERE seq = ?1",
      seq, now);
}

core::Result<std::optional<ReceiptRow>> MessageTable::receiptRow(std::int64_t seq) {
  auto statement = db_.query(
      "SELECT receipt, dead_lettered_at_ms IS NOT NULL FROM queue_messages "
      "WHERE seq = ?1 AND queue = ?2",
      seq, std::string_view(queue_));
  if (!statement) {
    return statement.error();
  }
  auto row = statement->step();
  if (!row) {
    return row.error();
  }
  if (!*row) {
    return std::optional<ReceiptRow>();
  }
  return std::optional<ReceiptRow>(ReceiptRow{statement->text(0), statement->int64(1) != 0});
}

core::Status MessageTable::remove(std::int64_t seq) {
  return db_.run("DELETE FROM queue_messages WHERE seq = ?1", seq);
}

core::Status MessageTable::setVisibleAt(std::int64_t seq, std::int64_t visible_at) {
  return db_.run("UPDATE queue_messages SET visible_at_ms = ?2 WHERE seq = ?1", seq, visible_at);
}

core::Result<QueueStats> MessageTable::stats(std::int64_t now, std::int64_t live_cutoff,
                                             std::int64_t dead_cutoff) {
  auto live = db_.query(
      "SELECT COUNT(*), "
      "COALESCE(SUM(visible_at_ms <= ?2), 0), "
      "COALESCE(SUM(visible_at_ms > ?2 AND receive_count > 0), 0), "
      "COALESCE(SUM(visible_at_ms > ?2 AND receive_count = 0), 0), "
      "MIN(sent_at_ms) FROM queue_messages WHERE queue = ?1 AND "
      "dead_lettered_at_ms IS NULL AND sent_at_ms > ?3",
      std::string_view(queue_), now, live_cutoff);
  if (!live) {
    return live.error();
  }
  if (auto row = live->step(); !row) {
    return row.error();
  }
  QueueStats stats;
  stats.visible = live->int64(1);
  stats.in_flight = live->int64(2);
  stats.delayed = live->int64(3);
  // An empty queue has no backlog: age 0, as SQS's ApproximateAgeOfOldestMessage reports.
  stats.oldest_age_seconds =
      live->isNull(4) ? 0.0 : static_cast<double>(now - live->int64(4)) / 1000.0;
  auto dead = db_.query(
      "SELECT COUNT(*) FROM queue_messages WHERE queue = ?1 AND "
      "dead_lettered_at_ms IS NOT NULL AND sent_at_ms > ?2",
      std::string_view(queue_), dead_cutoff);
  if (!dead) {
    return dead.error();
  }
  if (auto row = dead->step(); !row) {
    return row.error();
  }
  stats.dead_letters = dead->int64(0);
  return stats;
}

core::Result<std::vector<DeadLetter>> MessageTable::deadLetters(int limit,
                                                                std::int64_t dead_cutoff) {
  auto statement = db_.query(
      "SELECT message_id, body, receive_count, sent_at_ms, "
      "dead_lettered_at_ms FROM queue_messages WHERE queue = ?1 AND "
      "dead_lettered_at_ms IS NOT NULL AND sent_at_ms > ?2 "
      "ORDER BY dead_lettered_at_ms, seq LIMIT ?3",
      std::string_view(queue_), dead_cutoff, std::int64_t{limit});
  if (!statement) {
    return statement.error();
  }
  return statement->collect<DeadLetter>([](db::Statement& row) {
    return DeadLetter{row.text(0), row.text(1), static_cast<int>(row.int64(2)),
                      db::fromMillis(row.int64(3)), db::fromMillis(row.int64(4))};
  });
}

core::Result<bool> MessageTable::isDeadLetter(std::string_view message_id,
                                              std::int64_t dead_cutoff) {
  auto statement = db_.query(
      "SELECT 1 FROM queue_messages WHERE queue = ?1 AND message_id = ?2 "
      "AND dead_lettered_at_ms IS NOT NULL AND sent_at_ms > ?3",
      std::string_view(queue_), message_id, dead_cutoff);
  if (!statement) {
    return statement.error();
  }
  return statement->step();
}

core::Result<int> MessageTable::redrive(std::optional<std::string_view> message_id,
                                        std::int64_t now) {
  auto done = message_id ? db_.run(
                               "UPDATE queue_messages SET dead_lettered_at_ms = NULL, "
                               "receive_count = 0, receipt = NULL, sent_at_ms = ?2, "
                               "visible_at_ms = ?2 WHERE queue = ?1 AND message_id = ?3 AND "
                               "dead_lettered_at_ms IS NOT NULL",
                               std::string_view(queue_), now, *message_id)
                         : db_.run(
                               "UPDATE queue_messages SET dead_lettered_at_ms = NULL, "
                               "receive_count = 0, receipt = NULL, sent_at_ms = ?2, "
                               "visible_at_ms = ?2 WHERE queue = ?1 AND "
                               "dead_lettered_at_ms IS NOT NULL",
                               std::string_view(queue_), now);
  if (!done) {
    return done.error();
  }
  return static_cast<int>(db_.changes());
}

core::Result<int> MessageTable::purgeDeadLetters(std::optional<std::string_view> message_id) {
  auto done = message_id ? db_.run(
                               "DELETE FROM queue_messages WHERE queue = ?1 AND "
                               "message_id = ?2 AND dead_lettered_at_ms IS NOT NULL",
                               std::string_view(queue_), *message_id)
                         : db_.run(
                               "DELETE FROM queue_messages WHERE queue = ?1 AND "
                               "dead_lettered_at_ms IS NOT NULL",
                               std::string_view(queue_));
  if (!done) {
    return done.error();
  }
  return static_cast<int>(db_.changes());
}

}  // namespace rawfeed::queue::sqlite
