#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"

namespace rawfeed::schedule {

// One scheduled run of a job, as handed to the scheduler's on_fire.
struct Fire {
  std::string name;            // the job (a domain)
  core::SystemTime scheduled;  // the instant the schedule named, not when it ran
  std::string logical_date;    // YYYY-MM-DD of `scheduled` in the schedule's zone: batch_ds
  std::string batch_id;        // fireBatchId(name, scheduled)
  bool late = false;           // run noticeably after `scheduled` (catch-up after a restart)
};

// "sched-<name>-<YYYYMMDDTHHMMZ>" of the scheduled instant in UTC. The same fire always gets the
// same id, so a fire repeated after a crash restarts the same batch, which the orchestrator
// treats as an idempotent re-run. Schedules fire on whole minutes, so minutes are enough.
std::string fireBatchId(std::string_view name, core::SystemTime scheduled);

}  // namespace rawfeed::schedule
