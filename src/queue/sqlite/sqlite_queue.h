#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "queue/queue.h"

namespace rawfeed::db {
class Database;
}

namespace rawfeed::queue::sqlite {

class SendSignal;

struct SqliteQueueOptions {
  std::filesystem::path db_path;  // one file per domain, e.g. {state_dir}/queues/{domain}.db
  std::string queue_name;         // several queues may share a file
  std::chrono::seconds visibility_timeout{30};
  int max_receives = 5;  // the next receive after this many moves the message to the DLQ
  std::chrono::seconds retention{std::chrono::hours(24 * 4)};
  std::chrono::seconds dlq_retention{std::chrono::hours(24 * 14)};
  std::chrono::milliseconds busy_timeout{5000};
  // How often a long poll looks at the file for messages sent by other processes; sends from
  // this process wake it at once.
  std::chrono::milliseconds poll_interval{100};
};

// Queue with SQS semantics in one SQLite file (WAL, synchronous=FULL: an acknowledged send
// survives power loss). Every call is one IMMEDIATE transaction, so processes sharing the file
// never receive the same message while it is invisible. Retention, like SQS, counts from the
// message's sent_at, for the DLQ too; a redrive sends the message afresh (new sent_at). All
// times come from the clock; only the long-poll wait is real time. Thread-safe: one connection
// guarded by a mutex; a long poll waits without holding it.
class SqliteQueue final : public Queue {
 public:
  // kInvalidInput for options that break a rule (named), kInternal when the file cannot be
  // opened or its schema created.
  static core::Result<std::unique_ptr<SqliteQueue>> open(const SqliteQueueOptions& options,
                                                         const core::Clock& clock);
  ~SqliteQueue() override;

  core::Result<SendBatchResult> sendBatch(std::span<const OutgoingMessage> messages) override;
  core::Result<SendBatchResult> sendMany(std::span<const OutgoingMessage> messages,
                                         int batch_size) override;
  core::Result<std::vector<ReceivedMessage>> receive(const ReceiveOptions& options) override;
  void interruptReceives() override;
  core::Result<std::vector<EntryFailure>> deleteBatch(
      std::span<const std::string> receipt_handles) override;
  core::Status changeVisibility(const std::string& receipt_handle,
                                std::chrono::seconds timeout) override;
  core::Result<QueueStats> stats() override;
  core::Result<std::vector<DeadLetter>> listDeadLetters(int limit) override;
  core::Result<int> redrive(std::span<const std::string> message_ids) override;
  core::Result<int> purgeDeadLetters(std::span<const std::string> message_ids) override;

 private:
  SqliteQueue(SqliteQueueOptions options, const core::Clock& clock,
              std::unique_ptr<db::Database> db, std::shared_ptr<SendSignal> signal);
  // Inserts checked messages in one transaction; entries failing checkEntry are reported.
  core::Result<SendBatchResult> insertAll(std::span<const OutgoingMessage> messages);
  // One non-waiting receive: a single transaction.
  core::Result<std::vector<ReceivedMessage>> receiveOnce(int max_messages,
                                                         std::chrono::seconds visibility);
  core::Result<int> moveDeadLetters(std::span<const std::string> message_ids, bool redrive);

  const SqliteQueueOptions options_;
  const core::Clock& clock_;
  core::SystemRandom random_;           // message ids and receipt nonces
  std::shared_ptr<SendSignal> signal_;  // wakes long polls in this process on a send
  // Raised by interruptReceives(): a poll that sees it move since it began returns.
  std::atomic<std::uint64_t> interrupts_{0};
  std::mutex mutex_;  // guards db_ (one connection, statement cache)
  std::unique_ptr<db::Database> db_;
};

}  // namespace rawfeed::queue::sqlite
