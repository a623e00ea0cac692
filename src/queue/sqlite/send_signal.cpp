#include "queue/sqlite/send_signal.h"

#include <map>
#include <system_error>

namespace rawfeed::queue::sqlite {

std::shared_ptr<SendSignal> SendSignal::forQueue(const std::filesystem::path& db_path,
                                                 const std::string& queue_name) {
  static std::mutex registry_mutex;  // guards registry
  static std::map<std::string, std::weak_ptr<SendSignal>> registry;
  std::error_code error;
  auto canonical = std::filesystem::weakly_canonical(db_path, error);
  const std::string key = (error ? db_path : canonical).string() + '\n' + queue_name;
  std::lock_guard lock(registry_mutex);
  if (auto existing = registry[key].lock()) {
    return existing;
  }
  auto created = std::make_shared<SendSignal>();
  registry[key] = created;
  return created;
}

std::uint64_t SendSignal::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void SendSignal::notify() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
}

void SendSignal::waitFor(std::uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return generation_ != seen; });
}

}  // namespace rawfeed::queue::sqlite
