#include "core/serial_executor.h"

#include <utility>

namespace rawfeed::core {

SerialExecutor::SerialExecutor() : thread_([this] { run(); }) {}

SerialExecutor::~SerialExecutor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  posted_.notify_one();
  thread_.join();
}

void SerialExecutor::post(Task task) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      tasks_.push_back(std::move(task));
      // A thread busy with earlier tasks takes this one before it waits again: the wakeup (a
      // system call) is saved.
      wake = std::exchange(idle_, false);
      task = nullptr;
    }
  }
  if (wake)
    posted_.notify_one();
  if (task)
    task();  // stopping: nothing would run it
}

void SerialExecutor::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (tasks_.empty()) {
      if (stopping_)
        return;
      idle_ = true;
      posted_.wait(lock, [this] { return !tasks_.empty() || stopping_; });
      idle_ = false;
      continue;
    }
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace rawfeed::core
