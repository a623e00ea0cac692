#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "core/result.h"
#include "db/statement.h"

namespace rawfeed::db {

struct DatabaseOptions {
  std::filesystem::path path;  // parent folders are created
  // How long one statement waits for another connection's write lock before giving up.
  std::chrono::milliseconds busy_timeout{5000};
};

// One SQLite connection opened for durable, multi-process use: WAL (readers never block the
// writer), synchronous=FULL (a committed transaction survives power loss), a busy timeout and
// foreign keys. Prepared statements are cached per connection. Not thread-safe: the owner
// guards it with a mutex. Errors: kTransient when another connection held the lock too long
// (SQLITE_BUSY/LOCKED), kInternal otherwise; messages name the database file.
class Database {
 public:
  static core::Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without parameters (schema, BEGIN, COMMIT).
  core::Status exec(std::string_view sql);
  // A cached statement, reset with its bindings cleared. Only one handle per SQL text may be
  // alive at a time (a second one is kInternal): the cache owns a single sqlite3_stmt per text.
  core::Result<Statement> prepare(std::string_view sql);
  // prepare + bindAll + run, for statements that return no rows.
  template <class... Values>
  core::Status run(std::string_view sql, const Values&... values) {
    auto statement = prepare(sql);
    if (!statement) {
      return statement.error();
    }
    return statement->bindAll(values...).run();
  }
  // prepare + bindAll, for queries.
  template <class... Values>
  core::Result<Statement> query(std::string_view sql, const Values&... values) {
    auto statement = prepare(sql);
    if (statement) {
      statement->bindAll(values...);
    }
    return statement;
  }
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  std::int64_t changes() const;
  const std::filesystem::path& path() const;

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  core::Status enableWal();
  std::unique_ptr<Impl> impl_;
};

}  // namespace rawfeed::db
