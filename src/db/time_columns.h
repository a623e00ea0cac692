#pragma once

#include <chrono>
#include <cstdint>

#include "core/clock.h"

namespace rawfeed::db {

// Times are stored as integer milliseconds since the Unix epoch: exact, indexable, comparable.
inline std::int64_t toMillis(core::SystemTime time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

inline core::SystemTime fromMillis(std::int64_t millis) {
  return core::SystemTime(
      std::chrono::duration_cast<core::SystemTime::duration>(std::chrono::milliseconds(millis)));
}

}  // namespace rawfeed::db
