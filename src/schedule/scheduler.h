#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "schedule/fire.h"
#include "schedule/fire_log.h"
#include "schedule/schedule.h"

namespace rawfeed::schedule {

struct ScheduledJob {
  std::string name;  // the domain; unique among the jobs; the FireLog's key
  Schedule schedule;
  // How late a fire may still run. Later than this it is a misfire: skipped and counted.
  std::chrono::seconds misfire_grace{3600};
};

// Since the scheduler was created.
struct SchedulerCounters {
  std::uint64_t fires = 0;       // on_fire started a batch
  std::uint64_t misfires = 0;    // due fires found later than their grace, skipped
  std::uint64_t failures = 0;    // on_fire attempts that returned an error
  std::uint64_t log_errors = 0;  // FireLog reads or writes that failed
};

struct SchedulerEvent {
  enum class Kind { kFired, kMisfired, kFailed, kLogError };
  Kind kind = Kind::kFired;
  Fire fire;  // for a failed FireLog read only `name` is set
  std::optional<core::Error> error;
};

struct SchedulerOptions {
  // A fire whose on_fire failed is tried again this much later, for as long as it stays within
  // its grace; the batch id is the same each time.
  std::chrono::seconds retry_delay{30};
  // A fire run this long after its scheduled instant is marked late.
  std::chrono::seconds late_after{60};
  // The thread looks at the clock at least this often, so a wall-clock step is noticed.
  std::chrono::seconds max_sleep{60};
  // Told of every fire, misfire, failure and FireLog error, on the ticking thread. May be empty.
  std::function<void(const SchedulerEvent&)> on_event;
};

// Starts a batch for a fire; returns the batch id it started (the fire's own batch_id).
using FireHandler = std::function<core::Result<std::string>(const Fire&)>;

// Fires jobs on time. Each tick, for each job, the due fire is the latest scheduled instant at
// or before now and after the job's watermark: its last recorded fire, or, for a job that never
// fired, the scheduler's creation minus the grace. The due fire runs once if it is within the
// grace (older missed fires are folded into it: never twice), else it is a misfire. A fire whose
// on_fire fails is not recorded and is tried again every retry_delay until its grace runs out.
// Misfires are counted and reported, not recorded: after a restart the same missed fire is
// reported again. Thread-safe; tick() is the unit of work, called by the thread and by tests.
class Scheduler {
 public:
  // kInvalidInput for an empty or repeated job name, a negative grace, a non-positive retry
  // delay or an empty handler. The clock and log must outlive the scheduler.
  static core::Result<std::unique_ptr<Scheduler>> create(const core::Clock& clock, FireLog& log,
                                                         std::vector<ScheduledJob> jobs,
                                                         FireHandler on_fire,
                                                         SchedulerOptions options = {});
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Fires everything due at clock.now().
  void tick();
  // Runs tick() on a thread that sleeps until the next due instant. Both idempotent; stop()
  // wakes the thread at once and joins it.
  void start();
  void stop();

  // The next instant `name` will fire (a pending retry, or the schedule's next fire after now
  // and after its last fire); nullopt for an unknown job or a schedule that ends.
  std::optional<core::SystemTime> nextFire(std::string_view name) const;
  SchedulerCounters counters() const;

 private:
  struct JobState {
    ScheduledJob job;
    bool loaded = false;                       // watermark read from the FireLog
    core::SystemTime watermark;                // every fire at or before it has been handled
    std::optional<core::SystemTime> retry_at;  // a failed fire or read waits until then
  };

  Scheduler(const core::Clock& clock, FireLog& log, std::vector<ScheduledJob> jobs,
            FireHandler on_fire, SchedulerOptions options);
  // One job's part of a tick; returns its new state. Called with tick_mutex_ held only.
  JobState tickJob(JobState state, core::SystemTime now);
  Fire makeFire(const ScheduledJob& job, core::SystemTime scheduled, core::SystemTime now) const;
  void notify(SchedulerEvent::Kind kind, Fire fire, std::optional<core::Error> error = {});
  // The earliest instant a tick could have work; with state_mutex_ held.
  std::optional<core::SystemTime> wakeTimeLocked() const;
  void run();

  const core::Clock& clock_;
  FireLog& log_;
  const FireHandler on_fire_;
  const SchedulerOptions options_;
  const core::SystemTime created_;

  std::mutex tick_mutex_;           // serialises ticks, so no two can fire the same job
  mutable std::mutex state_mutex_;  // guards jobs_, counters_, stopping_
  std::condition_variable wake_;    // signalled by stop()
  std::vector<JobState> jobs_;
  SchedulerCounters counters_;
  bool stopping_ = false;
  std::thread thread_;          // started and joined by start()/stop() under lifecycle_mutex_
  std::mutex lifecycle_mutex_;  // guards thread_
};

}  // namespace rawfeed::schedule
