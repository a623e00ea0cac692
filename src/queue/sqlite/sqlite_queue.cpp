#include "queue/sqlite/sqlite_queue.h"

#include <algorithm>
#include <set>

#include "db/database.h"
#include "db/time_columns.h"
#include "db/transaction.h"
#include "queue/request_checks.h"
#include "queue/sqlite/message_table.h"
#include "queue/sqlite/receipt_handle.h"
#include "queue/sqlite/send_signal.h"

namespace rawfeed::queue::sqlite {
namespace {

// synchronous=FULL for the life of one send (every commit fsyncs the WAL), NORMAL again after.
class SendDurability {
 public:
  explicit SendDurability(db::Database& db)
      : db_(db), status_(db.exec("PRAGMA synchronous=FULL")) {}
  ~SendDurability() { (void)db_.exec("PRAGMA synchronous=NORMAL"); }
  bool ok() const { return status_.ok(); }
  const core::Error& error() const { return status_.error(); }

 private:
  db::Database& db_;
  core::Status status_;
};

constexpr std::chrono::seconds kMinRetention{60};
constexpr std::chrono::seconds kMaxRetention{std::chrono::hours(24 * 14)};

core::Status checkOptions(const SqliteQueueOptions& options) {
  if (options.db_path.empty()) {
    return core::invalidInput("sqlite queue: db_path is empty");
  }
  if (options.queue_name.empty()) {
    return core::invalidInput("sqlite queue: queue_name is empty");
  }
  if (auto visibility = checkVisibility(options.visibility_timeout); !visibility) {
    return core::invalidInput("sqlite queue: " + visibility.error().message);
  }
  if (options.max_receives < 1 || options.max_receives > 1000) {
    return core::invalidInput("sqlite queue: max_receives " + std::to_string(options.max_receives) +
                              " is outside 1..1000");
  }
  for (auto [name, value] : {std::pair{"retention", options.retention},
                             std::pair{"dlq_retention", options.dlq_retention}}) {
    if (value < kMinRetention || value > kMaxRetention) {
      return core::invalidInput(std::string("sqlite queue: ") + name + " " +
                                std::to_string(value.count()) + " s is outside 60 s..14 days");
    }
  }
  if (options.poll_interval <= std::chrono::milliseconds(0)) {
    return core::invalidInput("sqlite queue: poll_interval must be positive");
  }
  return core::okStatus();
}

std::int64_t millisOf(std::chrono::seconds duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
}

// Ids that name a dead letter no more than once, in the caller's order.
std::vector<std::string> distinct(std::span<const std::string> ids) {
  std::vector<std::string> result;
  std::set<std::string_view> seen;
  for (const auto& id : ids) {
    if (seen.insert(id).second) {
      result.push_back(id);
    }
  }
  return result;
}

}  // namespace

core::Result<std::unique_ptr<SqliteQueue>> SqliteQueue::open(const SqliteQueueOptions& options,
                                                             const core::Clock& clock) {
  if (auto checked = checkOptions(options); !checked) {
    return checked.error();
  }
  auto db = db::openWithSchema({options.db_path, options.busy_timeout}, MessageTable::createSchema);
  if (!db) {
    return db.error();
  }
  // Only a send must survive power loss before it returns: the orchestrator then reports the
  // chunk published. A lost receive, visibility change or delete only brings a message back,
  // which the worker handles (skip-existing, idempotent tracker), and the tracker's record of a
  // chunk is made durable (in its own file) before its delete. So the queue's other commits
  // skip the fsync; sends switch it back on (SendDurability below).
  if (auto relaxed = (*db)->exec("PRAGMA synchronous=NORMAL"); !relaxed) {
    return relaxed.error();
  }
  auto signal = SendSignal::forQueue(options.db_path, options.queue_name);
  return std::unique_ptr<SqliteQueue>(
      new SqliteQueue(options, clock, std::move(db).value(), std::move(signal)));
}

SqliteQueue::SqliteQueue(SqliteQueueOptions options, const core::Clock& clock,
                         std::unique_ptr<db::Database> db, std::shared_ptr<SendSignal> signal)
    : options_(std::move(options)), clock_(clock), signal_(std::move(signal)), db_(std::move(db)) {}

SqliteQueue::~SqliteQueue() = default;

core::Result<SendBatchResult> SqliteQueue::sendBatch(std::span<const OutgoingMessage> messages) {
  if (auto checked = checkSendBatch(messages); !checked) {
    return checked.error();
  }
  return insertAll(messages);
}

core::Result<SendBatchResult> SqliteQueue::sendMany(std::span<const OutgoingMessage> messages,
                                                    int /*batch_size*/) {
  // One transaction (one durable commit) for the whole fan-out: the per-request limit is an
  // SQS constraint this backend does not have. Ids are checked ten at a time as SQS would.
  for (std::size_t offset = 0; offset < messages.size(); offset += kMaxBatchEntries) {
    const auto batch =
        messages.subspan(offset, std::min<std::size_t>(kMaxBatchEntries, messages.size() - offset));
    if (auto checked = checkSendBatch(batch); !checked) {
      return checked.error();
    }
  }
  if (messages.empty()) {
    return SendBatchResult{};
  }
  return insertAll(messages);
}

core::Result<SendBatchResult> SqliteQueue::insertAll(std::span<const OutgoingMessage> messages) {
  SendBatchResult result;
  {
    std::lock_guard lock(mutex_);
    SendDurability durable(*db_);
    if (!durable.ok()) {
      return durable.error();
    }
    const std::int64_t now = db::toMillis(clock_.now());
    auto tx = db::Transaction::immediate(*db_);
    if (!tx) {
      return tx.error();
    }
    MessageTable table(*db_, options_.queue_name);
    for (const auto& message : messages) {
      if (auto problem = checkEntry(message)) {
        result.failed.push_back({message.id, std::move(*problem)});
        continue;
      }
      const auto id = core::newUuid(random_);
      if (auto inserted = table.insert(id, message.body, now, now + millisOf(message.delay));
          !inserted) {
        return inserted.error();
      }
      result.sent_ids.push_back(message.id);
    }
    if (auto committed = tx->commit(); !committed) {
      return committed.error();
    }
  }
  if (!result.sent_ids.empty()) {
    signal_->notify();
  }
  return result;
}

core::Result<std::vector<ReceivedMessage>> SqliteQueue::receive(const ReceiveOptions& options) {
  if (auto checked = checkReceive(options); !checked) {
    return checked.error();
  }
  const auto visibility = options.visibility.value_or(options_.visibility_timeout);
  // Real time: a long poll blocks this thread, whatever clock stamps the messages.
  const auto deadline = std::chrono::steady_clock::now() + options.wait;
  const std::uint64_t interrupts = interrupts_.load();
  for (;;) {
    const auto seen = signal_->generation();
    auto received = receiveOnce(options.max_messages, visibility);
    if (!received || !received->empty()) {
      return received;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0) || interrupts_.load() != interrupts) {
      return received;
    }
    signal_->waitFor(seen, std::min(left, options_.poll_interval));
  }
}

void SqliteQueue::interruptReceives() {
  interrupts_.fetch_add(1);
  // Wakes every poll on this file and queue in the process; those of other SqliteQueue objects
  // look once more and wait again.
  signal_->notify();
}

core::Result<std::vector<ReceivedMessage>> SqliteQueue::receiveOnce(
    int max_messages, std::chrono::seconds visibility) {
  std::lock_guard lock(mutex_);
  const std::int64_t now = db::toMillis(clock_.now());
  MessageTable table(*db_, options_.queue_name);
  // An idle poll stays a read, so waiting workers do not queue up for the write lock.
  auto any = table.anyVisible(now);
  if (!any || !*any) {
    return any ? core::Result<std::vector<ReceivedMessage>>(std::vector<ReceivedMessage>{})
               : core::Result<std::vector<ReceivedMessage>>(any.error());
  }
  auto tx = db::Transaction::immediate(*db_);
  if (!tx) {
    return tx.error();
  }
  if (auto dropped = table.dropExpired(now - millisOf(options_.retention),
                                       now - millisOf(options_.dlq_retention));
      !dropped) {
    return dropped.error();
  }
  std::vector<ReceivedMessage> received;
  // Rounds only repeat after dead-lettering; with visibility 0 received rows stay visible, so
  // one round is all (SQS returns "up to" max_messages too).
  for (bool more = true; more && static_cast<int>(received.size()) < max_messages;) {
    auto ready = table.visible(now, max_messages - static_cast<int>(received.size()));
    if (!ready) {
      return ready.error();
    }
    more = false;
    for (auto& message : *ready) {
      if (message.receive_count >= options_.max_receives) {
        if (auto moved = table.deadLetter(message.seq, now); !moved) {
          return moved.error();
        }
        more = visibility.count() > 0;
        continue;
      }
      const auto receipt = formatReceipt({message.seq, random_.next64()});
      if (auto marked = table.markReceived(message.seq, receipt, now + millisOf(visibility));
          !marked) {
        return marked.error();
      }
      received.push_back(ReceivedMessage{std::move(message.message_id), receipt,
                                         std::move(message.body), message.receive_count + 1,
                                         db::fromMillis(message.sent_at_ms)});
    }
  }
  if (auto committed = tx->commit(); !committed) {
    return committed.error();
  }
  return received;
}

core::Result<std::vector<EntryFailure>> SqliteQueue::deleteBatch(
    std::span<const std::string> receipt_handles) {
  if (auto checked = checkDeleteBatch(receipt_handles); !checked) {
    return checked.error();
  }
  std::lock_guard lock(mutex_);
  auto tx = db::Transaction::immediate(*db_);
  if (!tx) {
    return tx.error();
  }
  MessageTable table(*db_, options_.queue_name);
  std::vector<EntryFailure> failed;
  for (const auto& handle : receipt_handles) {
    const auto parsed = parseReceipt(handle);
    if (!parsed) {
      failed.push_back(
          {handle, core::invalidInput("receipt handle is malformed: '" + handle + "'")});
      continue;
    }
    auto row = table.receiptRow(parsed->seq);
    if (!row) {
      return row.error();
    }
    if (!*row) {
      continue;  // already deleted (or expired): deleting again is not an error, as in SQS
    }
    if ((*row)->dead_lettered || (*row)->receipt != handle) {
      failed.push_back(
          {handle, core::invalidInput("receipt handle is stale: '" + handle +
                                      "' (the message was received again or dead-lettered)")});
      continue;
    }
    if (auto removed = table.remove(parsed->seq); !removed) {
      return removed.error();
    }
  }
  if (auto committed = tx->commit(); !committed) {
    return committed.error();
  }
  return failed;
}

core::Status SqliteQueue::changeVisibility(const std::string& receipt_handle,
                                           std::chrono::seconds timeout) {
  if (auto checked = checkVisibility(timeout); !checked) {
    return checked;
  }
  const auto parsed = parseReceipt(receipt_handle);
  if (!parsed) {
    return core::invalidInput("receipt handle is malformed: '" + receipt_handle + "'");
  }
  {
    std::lock_guard lock(mutex_);
    const std::int64_t now = db::toMillis(clock_.now());
    auto tx = db::Transaction::immediate(*db_);
    if (!tx) {
      return tx.error();
    }
    MessageTable table(*db_, options_.queue_name);
    auto row = table.receiptRow(parsed->seq);
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return core::invalidInput("receipt handle '" + receipt_handle +
                                "' names no message in queue " + options_.queue_name +
                                " (deleted or expired)");
    }
    if ((*row)->dead_lettered || (*row)->receipt != receipt_handle) {
      return core::invalidInput("receipt handle is stale: '" + receipt_handle +
                                "' (the message was received again or dead-lettered)");
    }
    if (auto set = table.setVisibleAt(parsed->seq, now + millisOf(timeout)); !set) {
      return set;
    }
    if (auto committed = tx->commit(); !committed) {
      return committed;
    }
  }
  if (timeout.count() == 0) {
    signal_->notify();  // released, e.g. on shutdown: another worker may take it now
  }
  return core::okStatus();
}

core::Result<QueueStats> SqliteQueue::stats() {
  std::lock_guard lock(mutex_);
  const std::int64_t now = db::toMillis(clock_.now());
  auto tx = db::Transaction::deferred(*db_);  // one snapshot for both counts
  if (!tx) {
    return tx.error();
  }
  MessageTable table(*db_, options_.queue_name);
  auto stats =
      table.stats(now, now - millisOf(options_.retention), now - millisOf(options_.dlq_retention));
  if (!stats) {
    return stats;
  }
  if (auto committed = tx->commit(); !committed) {
    return committed.error();
  }
  return stats;
}

core::Result<std::vector<DeadLetter>> SqliteQueue::listDeadLetters(int limit) {
  if (auto checked = checkLimit(limit); !checked) {
    return checked.error();
  }
  std::lock_guard lock(mutex_);
  const std::int64_t now = db::toMillis(clock_.now());
  MessageTable table(*db_, options_.queue_name);
  return table.deadLetters(limit, now - millisOf(options_.dlq_retention));
}

core::Result<int> SqliteQueue::redrive(std::span<const std::string> message_ids) {
  auto moved = moveDeadLetters(message_ids, true);
  if (moved && *moved > 0) {
    signal_->notify();
  }
  return moved;
}

core::Result<int> SqliteQueue::purgeDeadLetters(std::span<const std::string> message_ids) {
  return moveDeadLetters(message_ids, false);
}

core::Result<int> SqliteQueue::moveDeadLetters(std::span<const std::string> message_ids,
                                               bool redrive) {
  std::lock_guard lock(mutex_);
  const std::int64_t now = db::toMillis(clock_.now());
  const std::int64_t dead_cutoff = now - millisOf(options_.dlq_retention);
  auto tx = db::Transaction::immediate(*db_);
  if (!tx) {
    return tx.error();
  }
  MessageTable table(*db_, options_.queue_name);
  // Expired dead letters must not come back to life through a redrive.
  if (auto dropped = table.dropExpired(now - millisOf(options_.retention), dead_cutoff); !dropped) {
    return dropped.error();
  }
  auto apply = [&](std::optional<std::string_view> id) {
    return redrive ? table.redrive(id, now) : table.purgeDeadLetters(id);
  };
  if (message_ids.empty()) {
    auto all = apply(std::nullopt);
    if (!all) {
      return all;
    }
    if (auto committed = tx->commit(); !committed) {
      return committed.error();
    }
    return all;
  }
  const auto ids = distinct(message_ids);
  std::string missing;
  for (const auto& id : ids) {
    auto found = table.isDeadLetter(id, dead_cutoff);
    if (!found) {
      return found.error();
    }
    if (!*found) {
      missing += (missing.empty() ? "" : ", ") + id;
    }
  }
  if (!missing.empty()) {  // all or nothing, so a typo does not half-apply
    return core::makeError(core::ErrorCode::kNotFound, "not in the dead-letter queue of " +
                                                           options_.queue_name + ": " + missing);
  }
  int count = 0;
  for (const auto& id : ids) {
    auto one = apply(id);
    if (!one) {
      return one;
    }
    count += *one;
  }
  if (auto committed = tx->commit(); !committed) {
    return committed.error();
  }
  return count;
}

}  // namespace rawfeed::queue::sqlite
