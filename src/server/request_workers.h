#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rawfeed::server {

// The threads that run complete requests. Priority jobs (/healthz, /metrics) have a lane of
// their own: `general` threads take any job, priority ones first, and `reserved` threads take
// only priority jobs, so a health check is answered even while every general thread is inside a
// slow handler. Thread-safe.
class RequestWorkers {
 public:
  RequestWorkers(std::size_t general, std::size_t reserved);
  ~RequestWorkers();  // stop()
  RequestWorkers(const RequestWorkers&) = delete;
  RequestWorkers& operator=(const RequestWorkers&) = delete;

  void submit(std::function<void()> job, bool priority);
  // Runs every job already submitted, then joins the threads. Idempotent.
  void stop();

 private:
  void run(bool reserved);

  std::mutex mutex_;                       // guards the queues and stopping_
  std::condition_variable general_work_;   // general threads wait here
  std::condition_variable reserved_work_;  // reserved threads wait here
  std::deque<std::function<void()>> priority_;
  std::deque<std::function<void()>> general_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace rawfeed::server
