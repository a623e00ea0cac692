#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace rawfeed::queue::sqlite {

// Wakes long polls when something in this process makes messages visible in one queue. Shared
// by every SqliteQueue of the process on the same file and queue name, so an orchestrator's
// send wakes a worker's poll at once; other processes are seen by polling.
class SendSignal {
 public:
  static std::shared_ptr<SendSignal> forQueue(const std::filesystem::path& db_path,
                                              const std::string& queue_name);

  std::uint64_t generation() const;
  void notify();
  // Returns early when notify() was called after `seen` was read.
  void waitFor(std::uint64_t seen, std::chrono::milliseconds timeout);

 private:
  mutable std::mutex mutex_;         // guards generation_
  std::condition_variable changed_;  // signalled on each notify()
  std::uint64_t generation_ = 0;
};

}  // namespace rawfeed::queue::sqlite
