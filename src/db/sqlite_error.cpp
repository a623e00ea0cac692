#include "db/sqlite_error.h"

#include <sqlite3.h>

#include <string>

namespace rawfeed::db {

core::Error sqliteError(void* connection, int code, std::string_view what) {
  auto* db = static_cast<sqlite3*>(connection);
  const int primary = code & 0xff;
  const bool busy = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
  std::string message = "sqlite: ";
  message.append(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  message += " (code " + std::to_string(code) + ")";
  if (db != nullptr) {
    if (const char* file = sqlite3_db_filename(db, "main"); file != nullptr && *file != '\0') {
      message += " in ";
      message += file;
    }
  }
  return core::makeError(busy ? core::ErrorCode::kTransient : core::ErrorCode::kInternal,
                         std::move(message));
}

}  // namespace rawfeed::db
