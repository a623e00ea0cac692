#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::db {

// A handle on one of a Database's cached prepared statements. Binding errors are kept and
// reported by the next step(), so call sites can chain binds. The destructor resets the
// statement, so a finished read never pins an old WAL snapshot.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQL's ?1, ?2.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bindNull(int index);
  // Binds ?1, ?2, ... in order.
  template <class... Values>
  Statement& bindAll(const Values&... values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  // true: a row is ready to read; false: the statement is done.
  core::Result<bool> step();

  // Every remaining row, each made into a T by `read(*this)` (which reads the columns).
  template <class T, class Read>
  core::Result<std::vector<T>> collect(Read&& read) {
    std::vector<T> rows;
    for (;;) {
      auto row = step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return rows;
      }
      rows.push_back(read(*this));
    }
  }
  // Steps a statement that returns no rows (INSERT, UPDATE, DELETE) to completion.
  core::Status run();

  // Columns are 0-based, as in SQLite's C API.
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  bool isNull(int column) const;

 private:
  friend class Database;
  Statement(void* statement, void* connection, bool* in_use);
  void release();

  void* statement_ = nullptr;   // sqlite3_stmt*, owned by the Database's cache
  void* connection_ = nullptr;  // sqlite3*, for error messages
  bool* in_use_ = nullptr;      // the cache's flag that this handle is out
  int bind_error_ = 0;          // first failed bind, reported by step()
};

}  // namespace rawfeed::db
