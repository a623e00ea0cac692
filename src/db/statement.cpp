#include "db/statement.h"

#include <sqlite3.h>

#include <utility>

#include "db/sqlite_error.h"

namespace rawfeed::db {
namespace {

sqlite3_stmt* raw(void* statement) {
  return static_cast<sqlite3_stmt*>(statement);
}

}  // namespace

Statement::Statement(void* statement, void* connection, bool* in_use)
    : statement_(statement), connection_(connection), in_use_(in_use) {
  *in_use_ = true;
}

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      connection_(other.connection_),
      in_use_(std::exchange(other.in_use_, nullptr)),
      bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    statement_ = std::exchange(other.statement_, nullptr);
    connection_ = other.connection_;
    in_use_ = std::exchange(other.in_use_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement::~Statement() {
  release();
}

void Statement::release() {
  if (statement_ == nullptr) {
    return;
  }
  sqlite3_reset(raw(statement_));
  sqlite3_clear_bindings(raw(statement_));
  *in_use_ = false;
  statement_ = nullptr;
  in_use_ = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(raw(statement_), index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) {
    bind_error_ = rc;
  }
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so callers may bind temporaries.
  const int rc = sqlite3_bind_text64(raw(statement_), index, value.data(), value.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) {
    bind_error_ = rc;
  }
  return *this;
}

Statement& Statement::bindNull(int index) {
  const int rc = sqlite3_bind_null(raw(statement_), index);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) {
    bind_error_ = rc;
  }
  return *this;
}

core::Result<bool> Statement::step() {
  if (bind_error_ != SQLITE_OK) {
    return sqliteError(connection_, bind_error_, "bind parameters");
  }
  const int rc = sqlite3_step(raw(statement_));
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return sqliteError(connection_, rc, sqlite3_sql(raw(statement_)));
}

core::Status Statement::run() {
  auto stepped = step();
  if (!stepped) {
    return stepped.error();
  }
  while (*stepped) {  // drain RETURNING rows nobody asked for
    stepped = step();
    if (!stepped) {
      return stepped.error();
    }
  }
  return core::okStatus();
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(raw(statement_), column);
}

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(raw(statement_), column));
  const int size = sqlite3_column_bytes(raw(statement_), column);
  return data == nullptr ? std::string() : std::string(data, static_cast<std::size_t>(size));
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(raw(statement_), column) == SQLITE_NULL;
}

}  // namespace rawfeed::db
