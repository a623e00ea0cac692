#include "tracker/sqlite/sqlite_batch_tracker.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <fstream>
#include <thread>

#include "contract/temp_dir.h"
#include "db/database.h"

namespace rawfeed::tracker::sqlite {
namespace {

using contract::TempDir;
using namespace std::chrono_literals;
using tracker::ClaimOutcome;
using tracker::EventStatus;

const core::SystemTime kT0{std::chrono::seconds(1'700'000'000)};

BatchPlan plan(const std::string& id, int chunks) {
  BatchPlan plan;
  plan.batch_id = id;
  plan.batch_ds = "2024-01-02";
  plan.domain = "equities";
  plan.table_name = "prices";
  plan.interval = "1d";
  plan.total_chunks = chunks;
  plan.fingerprint = "f";
  return plan;
}

ChunkResult chunk(int index) {
  ChunkResult result;
  result.chunk_index = index;
  result.ok_symbols = {fmt::format("S{}", index)};
  return result;
}

std::unique_ptr<SqliteBatchTracker> openOk(const std::filesystem::path& path) {
  auto opened = SqliteBatchTracker::open({path});
  EXPECT_TRUE(opened.ok()) << opened.error().describe();
  return opened.ok() ? std::move(opened).value() : nullptr;
}

TEST(SqliteBatchTracker, OpenRejectsAnEmptyPath) {
  auto opened = SqliteBatchTracker::open({});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(opened.error().message.find("db_path"), std::string::npos);
}

TEST(SqliteBatchTracker, StateSurvivesReopeningTheFile) {
  TempDir dir;
  const auto path = dir.path() / "state" / "tracker.db";
  {
    auto tracker = openOk(path);
    ASSERT_TRUE(tracker->registerBatch(plan("b1", 2), kT0).ok());
    ASSERT_TRUE(tracker->markSent("b1", std::vector<int>{0, 1}).ok());
    ASSERT_TRUE(tracker->recordChunk("b1", chunk(0), kT0 + 1s).ok());
    ASSERT_TRUE(tracker->recordChunk("b1", chunk(1), kT0 + 2s).ok());
  }
  auto tracker = openOk(path);
  auto snapshot = tracker->snapshot("b1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->state, BatchState::kComplete);
  EXPECT_EQ(snapshot->sent_chunks, (std::vector<int>{0, 1}));
  EXPECT_EQ(snapshot->completed_at, kT0 + 2s);
  EXPECT_EQ(snapshot->registered_at, kT0);
  auto again = tracker->registerBatch(plan("b1", 2), kT0 + 1h);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, RegisterOutcome::kExisting);
}

// A database from before chunk progress existed gains its table when opened.
TEST(SqliteBatchTracker, AnOlderDatabaseGainsChunkProgressOnOpen) {
  TempDir dir;
  const auto path = dir.path() / "tracker.db";
  ASSERT_TRUE(openOk(path)->registerBatch(plan("b1", 2), kT0).ok());
  {
    auto db = db::Database::open({path});
    ASSERT_TRUE(db.ok()) << db.error().describe();
    ASSERT_TRUE((*db)->exec("DROP TABLE chunk_progress").ok());
  }
  auto tracker = openOk(path);
  ASSERT_TRUE(tracker->saveChunkProgress("b1", chunk(1), kT0).ok());
  auto progress = tracker->chunkProgress("b1", 1);
  ASSERT_TRUE(progress.ok()) << progress.error().describe();
  ASSERT_TRUE(progress->has_value());
  EXPECT_EQ((*progress)->ok_symbols, chunk(1).ok_symbols);
  EXPECT_EQ(tracker->snapshot("b1").value().registered_at, kT0) << "the batch is still there";
}

// Schema version 0 had one event_published flag per batch; version 1 a row per announced status.
TEST(SqliteBatchTracker, AVersion0DatabaseKeepsWhatItAnnounced) {
  TempDir dir;
  const auto path = dir.path() / "tracker.db";
  {
    auto tracker = openOk(path);
    ASSERT_TRUE(tracker->registerBatch(plan("complete", 1), kT0).ok());
    ASSERT_TRUE(tracker->recordChunk("complete", chunk(0), kT0).ok());
    ASSERT_TRUE(tracker->registerBatch(plan("partial", 2), kT0).ok());
    ASSERT_TRUE(tracker->recordChunk("partial", chunk(0), kT0).ok());
    auto dead = chunk(1);
    dead.dead_lettered = true;
    ASSERT_TRUE(tracker->recordChunk("partial", dead, kT0).ok());
    ASSERT_TRUE(tracker->registerBatch(plan("unannounced", 1), kT0).ok());
    ASSERT_TRUE(tracker->recordChunk("unannounced", chunk(0), kT0).ok());
  }
  {
    auto db = db::Database::open({path});
    ASSERT_TRUE(db.ok()) << db.error().describe();
    ASSERT_TRUE((*db)
                    ->exec("DROP TABLE batch_events; PRAGMA user_version = 0; "
                           "UPDATE batches SET event_published = 1 "
                           "WHERE batch_id IN ('complete', 'partial')")
                    .ok());
  }
  auto tracker = openOk(path);
  const auto claim = [&](const std::string& id, EventStatus status) {
    return tracker->claimEvent(id, status, kT0 + 1h, 60s).value().outcome;
  };
  EXPECT_TRUE(tracker->snapshot("complete").value().event_published);
  EXPECT_EQ(claim("complete", EventStatus::kComplete), ClaimOutcome::kPublished);
  EXPECT_TRUE(tracker->snapshot("partial").value().event_published);
  EXPECT_EQ(claim("partial", EventStatus::kPartial), ClaimOutcome::kPublished);
  ASSERT_TRUE(tracker->recordChunk("partial", chunk(1), kT0 + 2h).ok());  // the redrive
  EXPECT_FALSE(tracker->snapshot("partial").value().event_published);
  EXPECT_EQ(claim("partial", EventStatus::kComplete), ClaimOutcome::kGranted);
  EXPECT_FALSE(tracker->snapshot("unannounced").value().event_published);
  EXPECT_EQ(claim("unannounced", EventStatus::kComplete), ClaimOutcome::kGranted);
  tracker.reset();
  auto db = db::Database::open({path});
  ASSERT_TRUE(db.ok());
  auto version = (*db)->query("PRAGMA user_version");
  ASSERT_TRUE(version.ok());
  ASSERT_TRUE(version->step().value());
  EXPECT_EQ(version->int64(0), 2);
}

// Each connection is what one worker process would hold: the IMMEDIATE transaction, not the
// per-object mutex, is what keeps the count exact here.
TEST(SqliteBatchTracker, SeparateConnectionsCountEachChunkOnce) {
  TempDir dir;
  const auto path = dir.path() / "tracker.db";
  constexpr int kChunks = 40;
  ASSERT_TRUE(openOk(path)->registerBatch(plan("b1", kChunks), kT0).ok());
  std::atomic<int> counted{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto tracker = openOk(path);
      for (int i = 0; i < kChunks; ++i) {
        auto outcome = tracker->recordChunk("b1", chunk((i + t * 11) % kChunks), kT0);
        errors += outcome.ok() ? 0 : 1;
        counted += outcome.ok() && outcome->counted ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(counted.load(), kChunks);
}

TEST(SqliteBatchTracker, ConcurrentProcessesCountEachChunkOnce) {
  TempDir dir;
  const auto path = dir.path() / "tracker.db";
  constexpr int kChunks = 30;
  constexpr int kProcesses = 3;
  {
    auto tracker = openOk(path);
    ASSERT_TRUE(tracker->registerBatch(plan("b1", kChunks), kT0).ok());
  }  // closed before fork: a SQLite connection must not cross fork()
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto opened = SqliteBatchTracker::open({path});
      if (!opened.ok()) {
        _exit(2);
      }
      int counted = 0;
      for (int i = 0; i < kChunks; ++i) {
        auto outcome = (*opened)->recordChunk("b1", chunk((i + p * 7) % kChunks), kT0);
        if (!outcome.ok()) {
          _exit(3);
        }
        counted += outcome->counted ? 1 : 0;
      }
      std::ofstream(dir.path() / fmt::format("counted{}", p)) << counted;
      _exit(0);
    }
    children.push_back(pid);
  }
  int total = 0;
  for (int p = 0; p < kProcesses; ++p) {
    int status = 0;
    ASSERT_EQ(waitpid(children[p], &status, 0), children[p]);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    int counted = 0;
    std::ifstream(dir.path() / fmt::format("counted{}", p)) >> counted;
    total += counted;
  }
  EXPECT_EQ(total, kChunks);
  auto snapshot = openOk(path)->snapshot("b1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->state, BatchState::kComplete);
}

}  // namespace
}  // namespace rawfeed::tracker::sqlite
