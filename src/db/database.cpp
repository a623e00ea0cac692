#include "db/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <system_error>
#include <thread>

#include "db/sqlite_error.h"

namespace rawfeed::db {

namespace {

// SQLite's own busy handler backs off to 100 ms sleeps, so a process that commits in a tight
// loop starves the others (they wake only to find the lock taken again). Short, even sleeps
// give waiters a fair chance at the lock between two transactions of the holder.
struct BusyWait {
  std::chrono::milliseconds timeout{0};
  std::chrono::steady_clock::time_point started;
};

int busyHandler(void* context, int attempt) {
  auto* wait = static_cast<BusyWait*>(context);
  const auto now = std::chrono::steady_clock::now();
  if (attempt == 0) {
    wait->started = now;
  }
  if (now - wait->started >= wait->timeout) {
    return 0;  // give up: the caller gets SQLITE_BUSY
  }
  std::this_thread::sleep_for(std::chrono::microseconds(attempt < 10 ? 200 : 1000));
  return 1;
}

}  // namespace

struct Database::Impl {
  struct Cached {
    sqlite3_stmt* statement = nullptr;
    bool in_use = false;
  };

  ~Impl() {
    for (auto& [sql, cached] : statements) {
      sqlite3_finalize(cached.statement);
    }
    sqlite3_close_v2(connection);
  }

  sqlite3* connection = nullptr;
  std::filesystem::path path;
  BusyWait busy_wait;  // the busy handler's state; one connection, so one waiter at a time
  // Node-based, so the in_use flags handed to Statements stay put as the cache grows.
  std::map<std::string, Cached, std::less<>> statements;
};

namespace {

core::Status createParent(const std::filesystem::path& path) {
  if (!path.has_parent_path()) {
    return core::okStatus();
  }
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) {
    return core::makeError(
        core::ErrorCode::kInternal,
        "sqlite: cannot create folder " + path.parent_path().string() + ": " + error.message());
  }
  return core::okStatus();
}

}  // namespace

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Database::~Database() = default;

core::Result<std::unique_ptr<Database>> Database::open(const DatabaseOptions& options) {
  if (auto created = createParent(options.path); !created) {
    return created.error();
  }
  auto impl = std::make_unique<Impl>();
  impl->path = options.path;
  // NOMUTEX: the owner already serialises access, SQLite's own mutex would be a second lock.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(options.path.c_str(), &impl->connection, flags, nullptr);
  if (rc != SQLITE_OK) {
    auto error = sqliteError(impl->connection, rc, "open " + options.path.string());
    return error;
  }
  sqlite3_extended_result_codes(impl->connection, 1);
  impl->busy_wait.timeout = options.busy_timeout;
  sqlite3_busy_handler(impl->connection, busyHandler, &impl->busy_wait);
  std::unique_ptr<Database> db(new Database(std::move(impl)));
  // WAL first: synchronous=FULL then means every commit fsyncs the WAL before it returns.
  // Switching a new file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY without
  // calling the busy handler when processes open the same new file at once: retried here, with
  // short growing pauses, until the busy timeout.
  const auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
  for (int attempt = 0;; ++attempt) {
    auto wal = db->enableWal();
    if (wal) {
      break;
    }
    if (wal.error().code != core::ErrorCode::kTransient ||
        std::chrono::steady_clock::now() >= deadline) {
      return wal.error();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 << std::min(attempt, 6), 50)));
  }
  if (auto pragmas = db->exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"); !pragmas) {
    return pragmas.error();
  }
  return db;
}

core::Status Database::enableWal() {
  auto mode = prepare("PRAGMA journal_mode=WAL");
  if (!mode) {
    return mode.error();
  }
  auto row = mode->step();
  if (!row) {
    return row.error();
  }
  if (!*row || mode->text(0) != "wal") {
    return core::makeError(core::ErrorCode::kInternal,
                           "sqlite: " + impl_->path.string() + " cannot use WAL journal mode");
  }
  return core::okStatus();
}

core::Status Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(impl_->connection, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // sqlite3_errmsg still holds it for sqliteError
  if (rc != SQLITE_OK) {
    return sqliteError(impl_->connection, rc, text);
  }
  return core::okStatus();
}

core::Result<Statement> Database::prepare(std::string_view sql) {
  auto found = impl_->statements.find(sql);
  if (found == impl_->statements.end()) {
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(impl_->connection, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) {
      return sqliteError(impl_->connection, rc, "prepare " + std::string(sql));
    }
    found = impl_->statements.emplace(std::string(sql), Impl::Cached{statement, false}).first;
  }
  if (found->second.in_use) {
    return core::makeError(core::ErrorCode::kInternal,
                           "sqlite: statement already in use: " + std::string(sql));
  }
  return Statement(found->second.statement, impl_->connection, &found->second.in_use);
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(impl_->connection);
}

const std::filesystem::path& Database::path() const {
  return impl_->path;
}

}  // namespace rawfeed::db
