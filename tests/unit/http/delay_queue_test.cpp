#include "http/curl/delay_queue.h"

#include <gtest/gtest.h>

namespace rawfeed::http::curl {
namespace {

using std::chrono::milliseconds;
const core::SteadyTime kStart{std::chrono::seconds(100)};

TEST(DelayQueue, PopsOnlyDueItemsEarliestFirst) {
  DelayQueue<int> queue;
  queue.push(kStart + milliseconds(30), 3);
  queue.push(kStart + milliseconds(10), 1);
  queue.push(kStart + milliseconds(20), 2);
  EXPECT_EQ(queue.nextDue(), kStart + milliseconds(10));
  EXPECT_TRUE(queue.popDue(kStart).empty());
  EXPECT_EQ(queue.popDue(kStart + milliseconds(20)), (std::vector<int>{1, 2}));
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.popDue(kStart + milliseconds(30)), (std::vector<int>{3}));
  EXPECT_EQ(queue.nextDue(), std::nullopt);
}

TEST(DelayQueue, EqualDueTimesKeepInsertionOrder) {
  DelayQueue<int> queue;
  for (int i = 0; i < 50; ++i) {
    queue.push(kStart, i);
  }
  auto out = queue.popDue(kStart);
  ASSERT_EQ(out.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(out[static_cast<std::size_t>(i)], i);
  }
}

TEST(DelayQueue, DrainReturnsEverything) {
  DelayQueue<std::unique_ptr<int>> queue;
  queue.push(kStart + milliseconds(5), std::make_unique<int>(1));
  queue.push(kStart + milliseconds(1), std::make_unique<int>(2));
  EXPECT_EQ(queue.drain().size(), 2u);
  EXPECT_TRUE(queue.empty());
}

}  // namespace
}  // namespace rawfeed::http::curl
