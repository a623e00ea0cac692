#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "db/database.h"
#include "queue/queue.h"

namespace rawfeed::queue::sqlite {

// A live message as receive sees it.
struct ReadyMessage {
  std::int64_t seq = 0;
  std::string message_id;
  std::string body;
  int receive_count = 0;
  std::int64_t sent_at_ms = 0;
};

// Where a receipt handle's row is now.
struct ReceiptRow {
  std::string receipt;  // the current handle; empty before the first receive
  bool dead_lettered = false;
};

// The SQL of one queue's rows in a shared table; live messages and dead letters are the same
// rows (dead_lettered_at_ms set), so moving to and from the DLQ is one UPDATE. Every method runs
// inside the caller's transaction; times are milliseconds since the epoch.
class MessageTable {
 public:
  MessageTable(db::Database& db, std::string queue) : db_(db), queue_(std::move(queue)) {}

  static core::Status createSchema(db::Database& db);

  core::Status insert(std::string_view message_id, std::string_view body, std::int64_t sent_at,
                      std::int64_t visible_at);
  // Drops live messages sent at or before live_cutoff and dead letters at or before dead_cutoff.
  core::Status dropExpired(std::int64_t live_cutoff, std::int64_t dead_cutoff);
  // A read that needs no write lock: is any live message visible?
  core::Result<bool> anyVisible(std::int64_t now);
  // Visible live messages, by visible_at then seq.
  core::Result<std::vector<ReadyMessage>> visible(std::int64_t now, int limit);
  core::Status markReceived(std::int64_t seq, std::string_view receipt, std::int64_t visible_at);
  core::Status deadLetter(std::int64_t seq, std::int64_t now);
  core::Result<std::optional<ReceiptRow>> receiptRow(std::int64_t seq);
  core::Status remove(std::int64_t seq);
  core::Status setVisibleAt(std::int64_t seq, std::int64_t visible_at);
  core::Result<QueueStats> stats(std::int64_t now, std::int64_t live_cutoff,
                                 std::int64_t dead_cutoff);
  core::Result<std::vector<DeadLetter>> deadLetters(int limit, std::int64_t dead_cutoff);
  core::Result<bool> isDeadLetter(std::string_view message_id, std::int64_t dead_cutoff);
  // Moves dead letters back to the queue as fresh messages; nullopt: all of them.
  core::Result<int> redrive(std::optional<std::string_view> message_id, std::int64_t now);
  core::Result<int> purgeDeadLetters(std::optional<std::string_view> message_id);

 private:
  db::Database& db_;
  const std::string queue_;
};

}  // namespace rawfeed::queue::sqlite
