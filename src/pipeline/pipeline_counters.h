#pragma once

#include <atomic>
#include <cstdint>

namespace rawfeed::pipeline {

// Live figures of one process's worker side, for progress lines and metrics. Counters only
// grow; readers take a consistent-enough view without locks.
struct PipelineCounters {
  std::atomic<std::int64_t> symbols_ok{0};
  std::atomic<std::int64_t> symbols_empty{0};
  std::atomic<std::int64_t> symbols_failed_permanent{0};
  std::atomic<std::int64_t> symbols_failed_transient{0};  // per attempt, may succeed later
  std::atomic<std::int64_t> symbols_throttled{0};
  std::atomic<std::int64_t> objects_written{0};
  std::atomic<std::int64_t> objects_skipped{0};
  std::atomic<std::int64_t> records{0};
  std::atomic<std::int64_t> bytes_written{0};
  std::atomic<std::int64_t> deliveries{0};
  std::atomic<std::int64_t> messages_ok{0};
  std::atomic<std::int64_t> messages_failed{0};
  std::atomic<std::int64_t> messages_dead_lettered{0};
  std::atomic<std::int64_t> poison_messages{0};
  std::atomic<std::int64_t> batches_finalized{0};

  std::int64_t symbolsDone() const {
    return symbols_ok + symbols_empty + symbols_failed_permanent;
  }
};

}  // namespace rawfeed::pipeline
