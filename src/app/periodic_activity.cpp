#include "app/periodic_activity.h"

#include <utility>

namespace rawfeed::app {

PeriodicActivity::PeriodicActivity(std::chrono::milliseconds interval, std::function<void()> pass)
    : interval_(interval), pass_(std::move(pass)) {}

PeriodicActivity::~PeriodicActivity() {
  requestStop();
  join();
}

void PeriodicActivity::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_)
    return;
  started_ = true;
  thread_ = std::thread([this] { loop(); });
}

void PeriodicActivity::requestStop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  stop_requested_.notify_all();
}

void PeriodicActivity::join() {
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    thread = std::move(thread_);
  }
  if (thread.joinable())
    thread.join();
}

void PeriodicActivity::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    pass_();
    lock.lock();
    stop_requested_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace rawfeed::app
