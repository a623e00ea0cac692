// Statements from a Database's cache: binding in order, reading rows, one live handle per SQL
// text, and bind or constraint errors reported with the SQL and the reason.
#include "db/statement.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "unit/db/db_test_support.h"

namespace rawfeed::db::testing {
namespace {

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = openOrFail(dir_.path() / "state.db");
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(
        db_->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT)").ok());
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
};

struct Row {
  std::int64_t id = 0;
  std::string name;
  bool note_is_null = false;
};

TEST_F(StatementTest, BindsInOrderAndCollectsEveryRow) {
  const std::string with_nul("a\0b", 3);
  ASSERT_TRUE(db_->run("INSERT INTO t (id, name, note) VALUES (?1, ?2, ?3)", std::int64_t{1},
                       std::string_view("one"), std::string_view("n"))
                  .ok());
  auto insert = db_->prepare("INSERT INTO t (id, name, note) VALUES (?1, ?2, ?3)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->bind(1, std::int64_t{2}).bind(2, with_nul).bindNull(3).run().ok());

  auto rows =
      db_->query("SELECT id, name, note FROM t WHERE id >= ?1 ORDER BY id", std::int64_t{1});
  ASSERT_TRUE(rows.ok());
  auto read = rows->collect<Row>([](const Statement& s) {
    return Row{s.int64(0), s.text(1), s.isNull(2)};
  });
  ASSERT_TRUE(read.ok()) << read.error().describe();
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].id, 1);
  EXPECT_EQ((*read)[0].name, "one");
  EXPECT_FALSE((*read)[0].note_is_null);
  EXPECT_EQ((*read)[1].name, with_nul) << "text keeps embedded NULs";
  EXPECT_TRUE((*read)[1].note_is_null);
}

TEST_F(StatementTest, OneLiveHandlePerSqlTextAndTheCacheReusesItOnceReleased) {
  auto first = db_->prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(first.ok());
  auto second = db_->prepare("SELECT COUNT(*) FROM t");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, core::ErrorCode::kInternal);
  EXPECT_TRUE(mentions(second.error().message, "statement already in use: SELECT COUNT(*) FROM t"));

  Statement moved = std::move(first).value();  // the handle moves; the statement stays taken
  EXPECT_FALSE(db_->prepare("SELECT COUNT(*) FROM t").ok());
  { Statement released = std::move(moved); }
  EXPECT_TRUE(db_->prepare("SELECT COUNT(*) FROM t").ok());
}

TEST_F(StatementTest, AReleasedHandleIsResetWithItsBindingsCleared) {
  ASSERT_TRUE(db_->exec("INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b')").ok());
  {
    auto half_read = db_->query("SELECT name FROM t WHERE id >= ?1 ORDER BY id", std::int64_t{2});
    ASSERT_TRUE(half_read.ok());
    ASSERT_TRUE(half_read->step().value());
  }
  auto again = db_->prepare("SELECT name FROM t WHERE id >= ?1 ORDER BY id");
  ASSERT_TRUE(again.ok());
  // Unbound ?1 is NULL: no row is >= NULL. A kept binding would have answered 'b'.
  EXPECT_FALSE(again->step().value());
}

TEST_F(StatementTest, ABindErrorIsReportedByTheNextStep) {
  auto statement = db_->prepare("SELECT name FROM t WHERE id = ?1");
  ASSERT_TRUE(statement.ok());
  statement->bind(1, std::int64_t{1}).bind(7, std::string_view("no such parameter"));
  const auto stepped = statement->step();
  ASSERT_FALSE(stepped.ok());
  EXPECT_EQ(stepped.error().code, core::ErrorCode::kInternal);
  EXPECT_TRUE(mentions(stepped.error().message, "sqlite: bind parameters: "));
  EXPECT_TRUE(mentions(stepped.error().message, "column index out of range"));
}

TEST_F(StatementTest, ConstraintFailuresQuoteTheSqlAndTheExtendedCode) {
  ASSERT_TRUE(db_->run("INSERT INTO t (id, name) VALUES (?1, ?2)", std::int64_t{1},
                       std::string_view("same"))
                  .ok());
  const auto duplicate = db_->run("INSERT INTO t (id, name) VALUES (?1, ?2)", std::int64_t{2},
                                  std::string_view("same"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, core::ErrorCode::kInternal);
  const std::string& message = duplicate.error().message;
  EXPECT_TRUE(mentions(message, "INSERT INTO t (id, name) VALUES (?1, ?2)"));
  EXPECT_TRUE(mentions(message, "UNIQUE constraint failed: t.name"));
  EXPECT_TRUE(mentions(message, "(code 2067)")) << "SQLITE_CONSTRAINT_UNIQUE: extended codes on";
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) FROM t"), 1);
}

TEST_F(StatementTest, ForeignKeysAreEnforced) {
  ASSERT_TRUE(db_->exec("CREATE TABLE child (parent INTEGER NOT NULL REFERENCES t (id))").ok());
  const auto orphan = db_->run("INSERT INTO child (parent) VALUES (?1)", std::int64_t{42});
  ASSERT_FALSE(orphan.ok());
  EXPECT_TRUE(mentions(orphan.error().message, "FOREIGN KEY constraint failed"));
}

TEST_F(StatementTest, RunDrainsReturningRows) {
  auto insert = db_->prepare("INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b') RETURNING id");
  ASSERT_TRUE(insert.ok());
  const auto inserted = insert->run();
  ASSERT_TRUE(inserted.ok()) << inserted.error().describe();
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) FROM t"), 2);
}

}  // namespace
}  // namespace rawfeed::db::testing
