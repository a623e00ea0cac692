#pragma once

#include <string_view>

#include "core/result.h"

namespace rawfeed::db {

// Private to the db module. Classifies a SQLite result code: a lock held too long by another
// connection is kTransient (retrying later helps), anything else kInternal.
// connection is the sqlite3* (may be null), for sqlite3_errmsg.
core::Error sqliteError(void* connection, int code, std::string_view what);

}  // namespace rawfeed::db
