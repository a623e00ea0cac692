#include "server/request_workers.h"

namespace rawfeed::server {

RequestWorkers::RequestWorkers(std::size_t general, std::size_t reserved) {
  for (std::size_t i = 0; i < general + reserved; ++i) {
    threads_.emplace_back([this, reserved_thread = i >= general] { run(reserved_thread); });
  }
}

RequestWorkers::~RequestWorkers() {
  stop();
}

void RequestWorkers::submit(std::function<void()> job, bool priority) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    (priority ? priority_ : general_).push_back(std::move(job));
  }
  general_work_.notify_one();
  if (priority) {
    reserved_work_.notify_one();
  }
}

void RequestWorkers::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  general_work_.notify_all();
  reserved_work_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

void RequestWorkers::run(bool reserved) {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      (reserved ? reserved_work_ : general_work_).wait(lock, [&] {
        return stopping_ || !priority_.empty() || (!reserved && !general_.empty());
      });
      if (!priority_.empty()) {
        job = std::move(priority_.front());
        priority_.pop_front();
      } else if (!reserved && !general_.empty()) {
        job = std::move(general_.front());
        general_.pop_front();
      } else {
        return;  // stopping, and nothing left this thread may take
      }
    }
    job();
  }
}

}  // namespace rawfeed::server
