#include "store/local/directory_syncer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <thread>
#include <vector>

#include "unit/store/temp_dir.h"

namespace rawfeed::store::local {
namespace {

TEST(DirectorySyncerTest, EveryCallerGetsTheResultOfASyncThatCoversIt) {
  testing::TempDir dir;
  DirectorySyncer syncer;
  EXPECT_EQ(syncer.sync(dir.path().string()), 0);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int n = 0; n < 50; ++n) {
        if (syncer.sync(dir.path().string()) != 0)
          ++failures;
        if (syncer.sync((dir.path() / "missing").string()) != ENOENT)
          ++failures;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace rawfeed::store::local
