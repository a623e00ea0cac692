#include "db/transaction.h"

#include <thread>
#include <utility>

namespace rawfeed::db {
namespace {

// The busy timeout already waits inside each attempt; these retries cover the cases where
// SQLite reports SQLITE_BUSY without calling the busy handler (WAL recovery, a snapshot that
// went stale) and a lock held by a long writer for more than one timeout.
constexpr int kMaxAttempts = 5;
constexpr std::chrono::milliseconds kRetryPause{20};

core::Status runWithRetry(Database& db, std::string_view sql) {
  core::Status status;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    status = db.exec(sql);
    if (status || status.error().code != core::ErrorCode::kTransient) {
      return status;
    }
    std::this_thread::sleep_for(kRetryPause * attempt);
  }
  return status;
}

}  // namespace

core::Result<Transaction> Transaction::immediate(Database& db) {
  if (auto begun = runWithRetry(db, "BEGIN IMMEDIATE"); !begun) {
    return begun.error();
  }
  return Transaction(&db);
}

core::Result<Transaction> Transaction::deferred(Database& db) {
  if (auto begun = db.exec("BEGIN DEFERRED"); !begun) {
    return begun.error();
  }
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_ != nullptr) {
    (void)db_->exec("ROLLBACK");  // nothing to report to: the caller already has its error
  }
}

core::Status Transaction::commit() {
  if (db_ == nullptr) {
    return core::makeError(core::ErrorCode::kInternal, "sqlite: commit without a transaction");
  }
  // A busy COMMIT leaves the transaction open, so it can simply be tried again.
  auto committed = runWithRetry(*db_, "COMMIT");
  if (committed) {
    db_ = nullptr;
  }
  return committed;
}

core::Result<std::unique_ptr<Database>> openWithSchema(
    const DatabaseOptions& options, const std::function<core::Status(Database&)>& create_schema) {
  auto db = Database::open(options);
  if (!db) {
    return db.error();
  }
  auto tx = Transaction::immediate(**db);
  if (!tx) {
    return tx.error();
  }
  if (auto schema = create_schema(**db); !schema) {
    return schema.error();
  }
  if (auto committed = tx->commit(); !committed) {
    return committed.error();
  }
  return db;
}

}  // namespace rawfeed::db
