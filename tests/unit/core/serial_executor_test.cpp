#include "core/serial_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace rawfeed::core {
namespace {

using namespace std::chrono_literals;

TEST(SerialExecutorTest, RunsTasksInTheOrderPostedOnOneThreadOfItsOwn) {
  std::vector<int> order;
  std::set<std::thread::id> threads;
  std::promise<void> last;
  {
    SerialExecutor executor;
    for (int i = 0; i < 100; ++i) {
      executor.post([&, i] {
        order.push_back(i);  // one task at a time: no lock needed
        threads.insert(std::this_thread::get_id());
        if (i == 99)
          last.set_value();
      });
    }
    ASSERT_EQ(last.get_future().wait_for(10s), std::future_status::ready);
  }
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(order[i], i);
  ASSERT_EQ(threads.size(), 1u);
  EXPECT_NE(*threads.begin(), std::this_thread::get_id());
}

// Nothing posted is dropped: the destructor runs what is queued — and what those tasks post —
// before it returns.
TEST(SerialExecutorTest, TheDestructorRunsEveryTaskPostedBeforeIt) {
  std::atomic<int> ran{0};
  {
    SerialExecutor executor;
    executor.post([&] {
      std::this_thread::sleep_for(50ms);  // the rest queue up behind it
      ++ran;
    });
    for (int i = 0; i < 10; ++i) {
      executor.post([&] {
        ++ran;
        executor.post([&] { ++ran; });
      });
    }
  }
  EXPECT_EQ(ran.load(), 21);
}

TEST(SerialExecutorTest, TasksPostedFromManyThreadsEachRunOnce) {
  constexpr int kThreads = 8;
  constexpr int kEach = 500;
  std::mutex mutex;
  std::multiset<int> seen;
  {
    SerialExecutor executor;
    std::vector<std::thread> posters;
    for (int t = 0; t < kThreads; ++t) {
      posters.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          executor.post([&, value = t * kEach + i] {
            std::lock_guard lock(mutex);
            seen.insert(value);
          });
        }
      });
    }
    for (auto& poster : posters)
      poster.join();
  }
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kEach));
  for (int value = 0; value < kThreads * kEach; ++value)
    EXPECT_EQ(seen.count(value), 1u) << value;
}

}  // namespace
}  // namespace rawfeed::core
