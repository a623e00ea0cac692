#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "contract/temp_dir.h"
#include "db/database.h"

namespace rawfeed::db::testing {

using contract::TempDir;

// Opens `path`, failing the test (and answering null) when it cannot.
inline std::unique_ptr<Database> openOrFail(
    const std::filesystem::path& path,
    std::chrono::milliseconds busy_timeout = std::chrono::milliseconds(5000)) {
  auto opened = Database::open({path, busy_timeout});
  if (!opened) {
    ADD_FAILURE() << opened.error().describe();
    return nullptr;
  }
  return std::move(opened).value();
}

// The first column of the first row of a query that has one (a count, a PRAGMA), or -1.
inline std::int64_t scalar(Database& db, std::string_view sql) {
  auto statement = db.query(sql);
  if (!statement) {
    ADD_FAILURE() << statement.error().describe();
    return -1;
  }
  auto row = statement->step();
  if (!row || !*row) {
    ADD_FAILURE() << sql << ": no row";
    return -1;
  }
  return statement->int64(0);
}

// True when `text` contains `part`; gtest prints both when it does not.
inline ::testing::AssertionResult mentions(const std::string& text, std::string_view part) {
  if (text.find(part) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not mention '" << part << "'";
}

}  // namespace rawfeed::db::testing
