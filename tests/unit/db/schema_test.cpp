// Schemas and their versions: openWithSchema creates or migrates inside one IMMEDIATE
// transaction, so a failed migration leaves the file as it was and processes opening a new file
// at once agree on one schema. The version is SQLite's PRAGMA user_version, as the tracker keeps.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "db/transaction.h"
#include "unit/db/db_test_support.h"

namespace rawfeed::db::testing {
namespace {

core::Result<std::int64_t> userVersion(Database& db) {
  auto statement = db.query("PRAGMA user_version");
  if (!statement)
    return statement.error();
  if (auto row = statement->step(); !row)
    return row.error();
  return statement->int64(0);
}

// Version 1: notes(id, body). Version 2 adds notes.author, defaulted for old rows.
core::Status schemaV1(Database& db) {
  if (auto created =
          db.exec("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)");
      !created)
    return created;
  return db.exec("PRAGMA user_version = 1");
}

core::Status schemaV2(Database& db) {
  auto version = userVersion(db);
  if (!version)
    return version.error();
  if (*version < 1) {
    if (auto created = schemaV1(db); !created)
      return created;
  }
  if (*version < 2) {
    if (auto added = db.exec("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown'");
        !added)
      return added;
  }
  return db.exec("PRAGMA user_version = 2");
}

// A file at version 1 holding `rows` notes, closed again.
void createV1(const std::filesystem::path& path, int rows) {
  auto v1 = openWithSchema({path}, schemaV1);
  ASSERT_TRUE(v1.ok()) << v1.error().describe();
  for (int i = 0; i < rows; ++i)
    ASSERT_TRUE((*v1)->run("INSERT INTO notes (body) VALUES (?1)", std::string_view("old")).ok());
}

TEST(SchemaTest, ANewFileGetsTheSchemaAndItsVersion) {
  TempDir dir;
  auto db = openWithSchema({dir.path() / "state.db"}, schemaV2);
  ASSERT_TRUE(db.ok()) << db.error().describe();
  EXPECT_EQ(userVersion(**db).value(), 2);
  ASSERT_TRUE((*db)->run("INSERT INTO notes (body) VALUES (?1)", std::string_view("hi")).ok());
  auto author = (*db)->query("SELECT author FROM notes");
  ASSERT_TRUE(author.ok() && author->step().value());
  EXPECT_EQ(author->text(0), "unknown");
}

TEST(SchemaTest, ReopeningAtTheSameVersionChangesNothing) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  ASSERT_NO_FATAL_FAILURE(createV1(path, 1));
  auto again = openWithSchema({path}, schemaV1);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(userVersion(**again).value(), 1);
  EXPECT_EQ(scalar(**again, "SELECT COUNT(*) FROM notes"), 1);
}

TEST(SchemaTest, AnOlderFileIsMigratedKeepingItsRows) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  ASSERT_NO_FATAL_FAILURE(createV1(path, 2));
  auto v2 = openWithSchema({path}, schemaV2);
  ASSERT_TRUE(v2.ok()) << v2.error().describe();
  EXPECT_EQ(userVersion(**v2).value(), 2);
  EXPECT_EQ(scalar(**v2, "SELECT COUNT(*) FROM notes WHERE author = 'unknown'"), 2);
}

TEST(SchemaTest, AFailedMigrationLeavesTheFileAtItsOldVersionAndReturnsTheError) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  ASSERT_NO_FATAL_FAILURE(createV1(path, 1));
  // Half a migration: the first step works, the second does not.
  const auto broken = [](Database& db) -> core::Status {
    if (auto added = db.exec("ALTER TABLE notes ADD COLUMN author TEXT"); !added)
      return added;
    if (auto bumped = db.exec("PRAGMA user_version = 2"); !bumped)
      return bumped;
    return db.exec("ALTER TABLE missing ADD COLUMN x TEXT");
  };
  auto failed = openWithSchema({path}, broken);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, core::ErrorCode::kInternal);
  EXPECT_TRUE(mentions(failed.error().message, "ALTER TABLE missing ADD COLUMN x TEXT"));
  EXPECT_TRUE(mentions(failed.error().message, "no such table: missing"));
  EXPECT_TRUE(mentions(failed.error().message, path.string()));

  auto db = openOrFail(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(userVersion(*db).value(), 1) << "the version bump was rolled back with the rest";
  EXPECT_FALSE(db->prepare("SELECT author FROM notes").ok()) << "and so was the new column";
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM notes"), 1);
}

TEST(SchemaTest, ASchemaThatCannotBeCreatedFailsTheOpen) {
  TempDir dir;
  const auto refused = [](Database&) -> core::Status {
    return core::makeError(core::ErrorCode::kInvalidInput, "schema version 9 is newer than 2");
  };
  auto opened = openWithSchema({dir.path() / "state.db"}, refused);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(opened.error().message, "schema version 9 is newer than 2");
}

TEST(SchemaTest, ProcessesOpeningANewFileAtOnceAgreeOnOneSchema) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  constexpr int kOpeners = 4;
  std::vector<std::string> errors(kOpeners);
  std::vector<std::thread> openers;
  for (int i = 0; i < kOpeners; ++i) {
    openers.emplace_back([&, i] {
      // Each creates its own row too: a schema run twice without IF NOT EXISTS would fail.
      auto db = openWithSchema({path}, [](Database& fresh) -> core::Status {
        if (auto created = fresh.exec("CREATE TABLE IF NOT EXISTS opens (n INTEGER)"); !created)
          return created;
        return fresh.exec("INSERT INTO opens (n) VALUES (1); PRAGMA user_version = 1");
      });
      if (!db)
        errors[static_cast<std::size_t>(i)] = db.error().describe();
    });
  }
  for (auto& opener : openers)
    opener.join();
  for (const auto& error : errors)
    EXPECT_EQ(error, "");
  auto db = openOrFail(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM opens"), kOpeners) << "each ran alone, in turn";
  EXPECT_EQ(userVersion(*db).value(), 1);
}

}  // namespace
}  // namespace rawfeed::db::testing
