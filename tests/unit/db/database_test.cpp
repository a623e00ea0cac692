// Database::open on real files: the pragmas every connection gets, the folders it creates, and
// the errors that name what failed, the SQLite reason and the file.
#include "db/database.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>

#include "db/time_columns.h"
#include "unit/db/db_test_support.h"

namespace rawfeed::db::testing {
namespace {

TEST(DatabaseTest, OpensInWalModeWithFullSyncAndForeignKeysCreatingParentFolders) {
  TempDir dir;
  const auto path = dir.path() / "a" / "b" / "state.db";
  auto db = openOrFail(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->path(), path);
  EXPECT_TRUE(std::filesystem::exists(path));

  auto mode = db->query("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(mode->step().value());
  EXPECT_EQ(mode->text(0), "wal");
  EXPECT_EQ(scalar(*db, "PRAGMA synchronous"), 2) << "FULL";
  EXPECT_EQ(scalar(*db, "PRAGMA foreign_keys"), 1);
}

TEST(DatabaseTest, WhatOneConnectionCommitsAnotherReadsAndAReopenKeeps) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  auto writer = openOrFail(path);
  auto reader = openOrFail(path);
  ASSERT_TRUE(writer && reader);
  ASSERT_TRUE(writer->exec("CREATE TABLE t (v INTEGER)").ok());
  ASSERT_TRUE(writer->run("INSERT INTO t (v) VALUES (?1)", std::int64_t{7}).ok());
  EXPECT_EQ(scalar(*reader, "SELECT SUM(v) FROM t"), 7);
  writer.reset();
  reader.reset();
  auto reopened = openOrFail(path);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(scalar(*reopened, "SELECT SUM(v) FROM t"), 7);
}

TEST(DatabaseTest, WhatCannotBeOpenedIsAnInternalErrorNamingTheFileOrFolder) {
  struct Arranged {
    std::filesystem::path open;   // the path given to open()
    std::string says;             // a part the message must have
    std::filesystem::path named;  // the file or folder the message must name
  };
  struct Case {
    const char* name;
    std::function<Arranged(const std::filesystem::path& dir)> arrange;
  };
  const Case cases[] = {
      {"a folder where the file should be",
       [](const std::filesystem::path& dir) {
         std::filesystem::create_directories(dir / "taken");
         return Arranged{dir / "taken", "sqlite: ", dir / "taken"};
       }},
      {"a parent that is a file",
       [](const std::filesystem::path& dir) {
         std::ofstream(dir / "plain") << "not a folder";
         return Arranged{dir / "plain" / "state.db", "sqlite: cannot create folder ",
                         dir / "plain"};
       }},
      {"a file that is not a database",
       [](const std::filesystem::path& dir) {
         std::ofstream(dir / "state.db") << std::string(4096, 'x');
         return Arranged{dir / "state.db", "file is not a database", dir / "state.db"};
       }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    const Arranged arranged = c.arrange(dir.path());
    auto opened = Database::open({arranged.open});
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, core::ErrorCode::kInternal);
    EXPECT_TRUE(mentions(opened.error().message, arranged.says));
    EXPECT_TRUE(mentions(opened.error().message, arranged.named.string()));
  }
}

TEST(DatabaseTest, ExecErrorsQuoteTheSqlTheReasonTheCodeAndTheFile) {
  TempDir dir;
  auto db = openOrFail(dir.path() / "state.db");
  ASSERT_NE(db, nullptr);
  const auto bad = db->exec("CREAT TABLE t (v INTEGER)");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInternal);
  const std::string& message = bad.error().message;
  EXPECT_TRUE(mentions(message, "sqlite: CREAT TABLE t (v INTEGER): "));
  EXPECT_TRUE(mentions(message, "syntax error"));
  EXPECT_TRUE(mentions(message, "(code 1)"));
  EXPECT_TRUE(mentions(message, "in " + (dir.path() / "state.db").string()));
}

TEST(DatabaseTest, PrepareErrorsNameTheStatement) {
  TempDir dir;
  auto db = openOrFail(dir.path() / "state.db");
  ASSERT_NE(db, nullptr);
  auto missing = db->prepare("SELECT v FROM nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kInternal);
  EXPECT_TRUE(mentions(missing.error().message, "prepare SELECT v FROM nowhere"));
  EXPECT_TRUE(mentions(missing.error().message, "no such table: nowhere"));
}

TEST(DatabaseTest, AWriteLockHeldByAnotherConnectionIsTransientAfterTheBusyTimeout) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  auto holder = openOrFail(path);
  // A zero busy timeout: the busy handler gives up at once, so the test never waits.
  auto waiter = openOrFail(path, std::chrono::milliseconds(0));
  ASSERT_TRUE(holder && waiter);
  ASSERT_TRUE(holder->exec("CREATE TABLE t (v INTEGER)").ok());
  ASSERT_TRUE(holder->exec("BEGIN IMMEDIATE").ok());
  const auto blocked = waiter->exec("BEGIN IMMEDIATE");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, core::ErrorCode::kTransient);
  EXPECT_TRUE(mentions(blocked.error().message, "database is locked"));
  EXPECT_TRUE(mentions(blocked.error().message, path.string()));
  // Readers are never blocked by the writer in WAL mode.
  EXPECT_EQ(scalar(*waiter, "SELECT COUNT(*) FROM t"), 0);
  ASSERT_TRUE(holder->exec("COMMIT").ok());
  EXPECT_TRUE(waiter->exec("BEGIN IMMEDIATE; COMMIT").ok());
}

TEST(DatabaseTest, ChangesCountsTheRowsOfTheLastWrite) {
  TempDir dir;
  auto db = openOrFail(dir.path() / "state.db");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
  EXPECT_EQ(db->changes(), 3);
  ASSERT_TRUE(db->run("UPDATE t SET v = v + 1 WHERE v >= ?1", std::int64_t{2}).ok());
  EXPECT_EQ(db->changes(), 2);
  ASSERT_TRUE(db->run("DELETE FROM t WHERE v > ?1", std::int64_t{100}).ok());
  EXPECT_EQ(db->changes(), 0);
}

TEST(TimeColumnsTest, MillisecondsSinceTheEpochRoundTripAndTruncate) {
  const core::SystemTime exact{std::chrono::milliseconds(1'700'000'000'123)};
  EXPECT_EQ(toMillis(exact), 1'700'000'000'123);
  EXPECT_EQ(fromMillis(toMillis(exact)), exact);
  EXPECT_EQ(toMillis(exact + std::chrono::microseconds(999)), 1'700'000'000'123);
  EXPECT_EQ(toMillis(core::SystemTime{}), 0);
  EXPECT_EQ(fromMillis(-1), core::SystemTime{} - std::chrono::milliseconds(1));
}

}  // namespace
}  // namespace rawfeed::db::testing
