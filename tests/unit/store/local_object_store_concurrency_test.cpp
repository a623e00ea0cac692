#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/local/local_object_store.h"
#include "unit/store/temp_dir.h"

namespace rawfeed::store::local {
namespace {

using testing::diskEntries;
using testing::TempDir;

// The skip-existing contract under a race: whatever the interleaving, one writer wins, the
// others are told the key is taken, the object is the winner's whole content, and no temp
// file is left behind.
TEST(LocalObjectStoreConcurrencyTest, RacingCreateOnlyPutsHaveExactlyOneWinner) {
  for (int round = 0; round < 20; ++round) {
    TempDir dir;
    LocalObjectStore store(dir.path());
    constexpr int kThreads = 12;
    std::atomic<int> written{0};
    std::atomic<int> taken{0};
    std::atomic<int> failed{0};
    std::atomic<int> winner{-1};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        while (!go.load())
          std::this_thread::yield();
        const std::string content(1000 + static_cast<std::size_t>(i), static_cast<char>('a' + i));
        const auto outcome =
            store.put("d/t/day=07/AAPL.json", content, PutOptions{PutMode::kCreateOnly, "", ""});
        if (!outcome.ok()) {
          ++failed;
        } else if (*outcome == PutOutcome::kWritten) {
          ++written;
          winner = i;
        } else {
          ++taken;
        }
      });
    }
    go = true;
    for (auto& thread : threads)
      thread.join();
    ASSERT_EQ(failed.load(), 0);
    ASSERT_EQ(written.load(), 1);
    ASSERT_EQ(taken.load(), kThreads - 1);
    const int w = winner.load();
    EXPECT_EQ(store.get("d/t/day=07/AAPL.json").value(),
              std::string(1000 + static_cast<std::size_t>(w), static_cast<char>('a' + w)));
    EXPECT_EQ(diskEntries(dir.path()),
              (std::vector<std::string>{"d", "d/t", "d/t/day=07", "d/t/day=07/AAPL.json"}));
  }
}

TEST(LocalObjectStoreConcurrencyTest, ManyThreadsWritingManyKeysIntoNewDirectories) {
  TempDir dir;
  LocalObjectStore store(dir.path() / "lake");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kPerThread; ++n) {
        // Threads share the day directories, so they race to create them too.
        const std::string key = "d/day=" + std::to_string(n % 5) + "/S" + std::to_string(t) + "-" +
                                std::to_string(n) + ".json";
        const auto outcome = store.put(key, key, PutOptions{PutMode::kCreateOnly, "", ""});
        if (!outcome.ok() || *outcome != PutOutcome::kWritten)
          ++errors;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(errors.load(), 0);
  const auto listed = store.list("d/");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (const auto& object : *listed)
    EXPECT_EQ(store.get(object.key).value(), object.key);
}

}  // namespace
}  // namespace rawfeed::store::local
