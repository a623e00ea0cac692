#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rawfeed::pipeline {

// Threads that land objects in the lake for every worker of the process. A durable put waits on
// the disk (fsync) far longer than it computes, so the writes of a delivery run side by side
// here while its worker keeps taking fetch results — the lake sees as many writes in flight as
// there are writers, not only as many as there are deliveries. stop() is idempotent and runs
// what was submitted before it.
class WriterPool {
 public:
  explicit WriterPool(int threads);
  ~WriterPool();
  WriterPool(const WriterPool&) = delete;
  WriterPool& operator=(const WriterPool&) = delete;

  void submit(std::function<void()> task);
  void stop();

 private:
  void run();

  std::mutex mutex_;  // guards tasks_ and stopping_
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace rawfeed::pipeline
