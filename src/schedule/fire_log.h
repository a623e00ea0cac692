#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace rawfeed::schedule {

struct FireRecord {
  std::string name;
  core::SystemTime fire_time;  // the scheduled instant
  std::string batch_id;        // the batch the fire started
  core::SystemTime recorded_at;
};

// Which scheduled fires have run, per job name. It is what keeps a restarted scheduler from
// firing the same fire again, and the dashboard's schedule history. Recording the same
// (name, fire_time) twice keeps the first record and succeeds. Implementations are thread-safe;
// storage failures are kInternal or kTransient.
class FireLog {
 public:
  virtual ~FireLog() = default;

  // The latest recorded fire_time of `name`; nullopt when it never fired.
  virtual core::Result<std::optional<core::SystemTime>> lastFire(std::string_view name) = 0;
  virtual core::Status record(std::string_view name, core::SystemTime fire_time,
                              std::string_view batch_id) = 0;
  // Newest fire_time first, at most `limit`.
  virtual core::Result<std::vector<FireRecord>> recentFires(std::string_view name,
                                                            std::size_t limit) = 0;
};

}  // namespace rawfeed::schedule
