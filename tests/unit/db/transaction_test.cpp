// Transactions: commit keeps, anything else rolls back; IMMEDIATE takes the write lock up front,
// DEFERRED reads one snapshot; misuse is an error that says what happened.
#include "db/transaction.h"

#include <gtest/gtest.h>

#include <utility>

#include "unit/db/db_test_support.h"

namespace rawfeed::db::testing {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = openOrFail(dir_.path() / "state.db");
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->exec("CREATE TABLE t (v INTEGER)").ok());
  }
  core::Status insert(Database& db, std::int64_t v) {
    return db.run("INSERT INTO t (v) VALUES (?1)", v);
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(TransactionTest, ACommittedTransactionKeepsItsWrites) {
  auto tx = Transaction::immediate(*db_);
  ASSERT_TRUE(tx.ok()) << tx.error().describe();
  ASSERT_TRUE(insert(*db_, 1).ok());
  ASSERT_TRUE(insert(*db_, 2).ok());
  ASSERT_TRUE(tx->commit().ok());
  auto other = openOrFail(dir_.path() / "state.db");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(scalar(*other, "SELECT COUNT(*) FROM t"), 2);
}

TEST_F(TransactionTest, ATransactionLeftUncommittedRollsBack) {
  {
    auto tx = Transaction::immediate(*db_);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(insert(*db_, 1).ok());
    EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) FROM t"), 1) << "visible inside";
  }  // an early return, an error: the destructor rolls back
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) FROM t"), 0);
  EXPECT_TRUE(Transaction::immediate(*db_).ok()) << "and the connection is free again";
}

TEST_F(TransactionTest, AMovedTransactionCommitsOnceAndTheMovedFromHasNone) {
  auto begun = Transaction::immediate(*db_);
  ASSERT_TRUE(begun.ok());
  Transaction tx = std::move(begun).value();
  ASSERT_TRUE(insert(*db_, 1).ok());
  ASSERT_TRUE(tx.commit().ok());
  const auto again = tx.commit();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kInternal);
  EXPECT_EQ(again.error().message, "sqlite: commit without a transaction");
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) FROM t"), 1);
}

TEST_F(TransactionTest, ATransactionInsideAnotherIsRefusedWithSqlitesReason) {
  auto outer = Transaction::immediate(*db_);
  ASSERT_TRUE(outer.ok());
  auto inner = Transaction::deferred(*db_);
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().code, core::ErrorCode::kInternal);
  EXPECT_TRUE(mentions(inner.error().message, "BEGIN DEFERRED"));
  EXPECT_TRUE(mentions(inner.error().message, "within a transaction"));
  EXPECT_TRUE(outer->commit().ok()) << "the outer one is untouched";
}

TEST_F(TransactionTest, DeferredReadsOneSnapshotWhileAnotherConnectionCommits) {
  auto writer = openOrFail(dir_.path() / "state.db");
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(insert(*writer, 1).ok());
  auto tx = Transaction::deferred(*db_);
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) FROM t"), 1);  // the snapshot starts at this read
  ASSERT_TRUE(insert(*writer, 2).ok()) << "WAL: a reader never blocks the writer";
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) FROM t"), 1) << "still the same snapshot";
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) FROM t"), 2);
}

TEST_F(TransactionTest, ImmediateHoldsTheWriteLockFromTheStart) {
  // Zero busy timeout on the second connection: it is refused at once rather than waiting.
  auto other = openOrFail(dir_.path() / "state.db", std::chrono::milliseconds(0));
  ASSERT_NE(other, nullptr);
  auto tx = Transaction::immediate(*db_);
  ASSERT_TRUE(tx.ok());
  // Nothing written yet, but the lock is taken: another writer cannot slip in between a read and
  // a write of this transaction.
  const auto blocked = insert(*other, 1);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, core::ErrorCode::kTransient);
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_TRUE(insert(*other, 1).ok());
}

}  // namespace
}  // namespace rawfeed::db::testing
