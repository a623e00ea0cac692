#pragma once

#include <functional>
#include <memory>

#include "core/result.h"
#include "db/database.h"

namespace rawfeed::db {

// A transaction that rolls back unless committed. immediate() takes the write lock up front
// (BEGIN IMMEDIATE), so a read-then-write never fails half-way with SQLITE_BUSY and two
// processes never both act on the same read; it retries when the lock stays busy past the busy
// timeout. deferred() gives a consistent snapshot for multi-query reads.
class Transaction {
 public:
  static core::Result<Transaction> immediate(Database& db);
  static core::Result<Transaction> deferred(Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  core::Status commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_ = nullptr;  // null once committed, rolled back or moved from
};

// Opens the database and runs `create_schema` (CREATE ... IF NOT EXISTS, migrations) in one
// IMMEDIATE transaction, so processes opening a new file at once do not race on the schema.
core::Result<std::unique_ptr<Database>> openWithSchema(
    const DatabaseOptions& options, const std::function<core::Status(Database&)>& create_schema);

}  // namespace rawfeed::db
