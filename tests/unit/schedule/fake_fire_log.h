#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "schedule/fire_log.h"

namespace rawfeed::schedule::test {

// An in-memory FireLog whose reads and writes can be made to fail, for the scheduler's error
// paths. Thread-safe.
class FakeFireLog final : public FireLog {
 public:
  core::Result<std::optional<core::SystemTime>> lastFire(std::string_view name) override {
    std::lock_guard lock(mutex_);
    if (fail_reads) {
      return core::makeError(core::ErrorCode::kInternal, "disk on fire");
    }
    std::optional<core::SystemTime> last;
    for (const auto& [key, record] : records_) {
      if (key.first == name) {
        last = record.fire_time;
      }
    }
    return last;
  }

  core::Status record(std::string_view name, core::SystemTime fire_time,
                      std::string_view batch_id) override {
    std::lock_guard lock(mutex_);
    if (fail_writes) {
      return core::makeError(core::ErrorCode::kInternal, "disk full");
    }
    records_.try_emplace({std::string(name), fire_time},
                         FireRecord{std::string(name), fire_time, std::string(batch_id), {}});
    return core::okStatus();
  }

  core::Result<std::vector<FireRecord>> recentFires(std::string_view name,
                                                    std::size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<FireRecord> fires;
    for (auto it = records_.rbegin(); it != records_.rend() && fires.size() < limit; ++it) {
      if (it->first.first == name) {
        fires.push_back(it->second);
      }
    }
    return fires;
  }

  bool fail_reads = false;  // set before the scheduler ticks; read under no other thread
  bool fail_writes = false;

 private:
  std::mutex mutex_;  // guards records_
  std::map<std::pair<std::string, core::SystemTime>, FireRecord> records_;
};

}  // namespace rawfeed::schedule::test
