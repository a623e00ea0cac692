#include "schedule/sqlite_fire_log.h"

#include "db/database.h"
#include "db/time_columns.h"

namespace rawfeed::schedule {
namespace {

// One row per fire that ran. The key makes a second record of the same fire a no-op, and
// serves both lastFire (MAX over a name) and recentFires (a backwards range scan).
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS schedule_fires (
  name TEXT NOT NULL,
  fire_time_ms INTEGER NOT NULL,
  batch_id TEXT NOT NULL,
  recorded_at_ms INTEGER NOT NULL,
  PRIMARY KEY (name, fire_time_ms)
) WITHOUT ROWID;
)sql";

}  // namespace

core::Result<std::unique_ptr<SqliteFireLog>> SqliteFireLog::open(
    const SqliteFireLogOptions& options, const core::Clock& clock) {
  if (options.db_path.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput, "sqlite fire log: db_path is empty");
  }
  auto db = db::Database::open({options.db_path, options.busy_timeout});
  if (!db) {
    return db.error();
  }
  if (auto schema = (*db)->exec(kSchema); !schema) {
    return schema.error();
  }
  return std::unique_ptr<SqliteFireLog>(new SqliteFireLog(std::move(db).value(), clock));
}

SqliteFireLog::SqliteFireLog(std::unique_ptr<db::Database> db, const core::Clock& clock)
    : clock_(clock), db_(std::move(db)) {}

SqliteFireLog::~SqliteFireLog() = default;

core::Result<std::optional<core::SystemTime>> SqliteFireLog::lastFire(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto query = db_->query("SELECT MAX(fire_time_ms) FROM schedule_fires WHERE name = ?1", name);
  if (!query) {
    return query.error();
  }
  auto row = query->step();
  if (!row) {
    return row.error();
  }
  if (!*row || query->isNull(0)) {
    return std::optional<core::SystemTime>();
  }
  return std::optional(db::fromMillis(query->int64(0)));
}

core::Status SqliteFireLog::record(std::string_view name, core::SystemTime fire_time,
                                   std::string_view batch_id) {
  std::lock_guard lock(mutex_);
  return db_->run(
      "INSERT OR IGNORE INTO schedule_fires (name, fire_time_ms, batch_id, recorded_at_ms) "
      "VALUES (?1, ?2, ?3, ?4)",
      name, db::toMillis(fire_time), batch_id, db::toMillis(clock_.now()));
}

core::Result<std::vector<FireRecord>> SqliteFireLog::recentFires(std::string_view name,
                                                                 std::size_t limit) {
  std::lock_guard lock(mutex_);
  auto query = db_->query(
      "SELECT fire_time_ms, batch_id, recorded_at_ms FROM schedule_fires WHERE name = ?1 "
      "ORDER BY fire_time_ms DESC LIMIT ?2",
      name, static_cast<std::int64_t>(limit));
  if (!query) {
    return query.error();
  }
  std::vector<FireRecord> fires;
  while (true) {
    auto row = query->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return fires;
    }
    fires.push_back({std::string(name), db::fromMillis(query->int64(0)), query->text(1),
                     db::fromMillis(query->int64(2))});
  }
}

}  // namespace rawfeed::schedule
