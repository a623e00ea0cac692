#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>

#include "core/clock.h"
#include "schedule/fire_log.h"

namespace rawfeed::db {
class Database;
}

namespace rawfeed::schedule {

struct SqliteFireLogOptions {
  std::filesystem::path db_path;  // e.g. {state_dir}/schedule.db; parent folders are created
  std::chrono::milliseconds busy_timeout{5000};
};

// FireLog in one SQLite file (WAL, synchronous=FULL: a recorded fire survives power loss).
// recorded_at comes from the injected clock. Thread-safe: one connection behind a mutex.
class SqliteFireLog final : public FireLog {
 public:
  // kInvalidInput for an empty path, kInternal when the file or its schema cannot be made.
  static core::Result<std::unique_ptr<SqliteFireLog>> open(const SqliteFireLogOptions& options,
                                                           const core::Clock& clock);
  ~SqliteFireLog() override;

  core::Result<std::optional<core::SystemTime>> lastFire(std::string_view name) override;
  core::Status record(std::string_view name, core::SystemTime fire_time,
                      std::string_view batch_id) override;
  core::Result<std::vector<FireRecord>> recentFires(std::string_view name,
                                                    std::size_t limit) override;

 private:
  SqliteFireLog(std::unique_ptr<db::Database> db, const core::Clock& clock);

  const core::Clock& clock_;
  std::mutex mutex_;  // guards db_ (one connection and its statement cache)
  std::unique_ptr<db::Database> db_;
};

}  // namespace rawfeed::schedule
