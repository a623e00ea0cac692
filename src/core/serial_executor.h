#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace rawfeed::core {

// Runs posted tasks one at a time, in the order posted, on a thread of its own: how a callback
// that must return quickly (an HTTP client's, run on its event loop) hands on the work it
// cannot do there. The destructor runs every task already posted, then joins; a post() after
// it began runs on the caller's thread. Thread-safe.
class SerialExecutor {
 public:
  using Task = std::function<void()>;

  SerialExecutor();
  ~SerialExecutor();
  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  void post(Task task);

 private:
  void run();

  std::mutex mutex_;  // guards tasks_ and stopping_
  std::condition_variable posted_;
  std::deque<Task> tasks_;
  bool stopping_ = false;
  bool idle_ = false;  // the thread waits for a task: a post must wake it
  std::thread thread_;
};

}  // namespace rawfeed::core
