#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace rawfeed::app {

// A pass run on a thread of its own at once and then every `interval` until stopped. The thread
// belongs to this object: requestStop() wakes it (a pass in progress finishes), join() waits for
// it; start(), requestStop() and join() are idempotent and the destructor does the last two.
// Thread-safe.
class PeriodicActivity {
 public:
  PeriodicActivity(std::chrono::milliseconds interval, std::function<void()> pass);
  ~PeriodicActivity();
  PeriodicActivity(const PeriodicActivity&) = delete;
  PeriodicActivity& operator=(const PeriodicActivity&) = delete;

  void start();
  void requestStop();
  void join();

 private:
  void loop();

  const std::chrono::milliseconds interval_;
  const std::function<void()> pass_;
  std::mutex mutex_;  // guards started_, stopping_ and thread_
  std::condition_variable stop_requested_;
  bool started_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rawfeed::app
