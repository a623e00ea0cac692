#include "schedule/scheduler.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "schedule/fire_window.h"

namespace rawfeed::schedule {
namespace {

core::Status checkJobs(const std::vector<ScheduledJob>& jobs) {
  std::set<std::string_view> names;
  for (const ScheduledJob& job : jobs) {
    if (job.name.empty()) {
      return core::invalidInput("scheduler: a job has an empty name");
    }
    if (!names.insert(job.name).second) {
      return core::invalidInput(fmt::format("scheduler: job '{}' is listed twice", job.name));
    }
    if (job.misfire_grace.count() < 0) {
      return core::invalidInput(
          fmt::format("scheduler: job '{}' has a negative misfire_grace", job.name));
    }
  }
  return core::okStatus();
}

}  // namespace

core::Result<std::unique_ptr<Scheduler>> Scheduler::create(const core::Clock& clock, FireLog& log,
                                                           std::vector<ScheduledJob> jobs,
                                                           FireHandler on_fire,
                                                           SchedulerOptions options) {
  if (auto checked = checkJobs(jobs); !checked) {
    return checked.error();
  }
  if (!on_fire) {
    return core::invalidInput("scheduler: on_fire is empty");
  }
  if (options.retry_delay.count() <= 0 || options.max_sleep.count() <= 0) {
    return core::invalidInput("scheduler: retry_delay and max_sleep must be positive");
  }
  return std::unique_ptr<Scheduler>(
      new Scheduler(clock, log, std::move(jobs), std::move(on_fire), std::move(options)));
}

Scheduler::Scheduler(const core::Clock& clock, FireLog& log, std::vector<ScheduledJob> jobs,
                     FireHandler on_fire, SchedulerOptions options)
    : clock_(clock),
      log_(log),
      on_fire_(std::move(on_fire)),
      options_(std::move(options)),
      created_(clock.now()) {
  for (ScheduledJob& job : jobs) {
    jobs_.push_back(JobState{std::move(job), false, {}, std::nullopt});
  }
}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::tick() {
  std::lock_guard tick_lock(tick_mutex_);
  const core::SystemTime now = clock_.now();
  // jobs_ never changes size after construction, so its size needs no lock.
  for (std::size_t i = 0; i < jobs_.size(); ++i) {
    // Only ticks change a job's state and they are serialised, so the copy cannot go stale.
    JobState state = [&] {
      std::lock_guard lock(state_mutex_);
      return jobs_[i];
    }();
    JobState next = tickJob(std::move(state), now);
    std::lock_guard lock(state_mutex_);
    jobs_[i] = std::move(next);
  }
}

Scheduler::JobState Scheduler::tickJob(JobState state, core::SystemTime now) {
  const ScheduledJob& job = state.job;
  if (state.retry_at && now < *state.retry_at) {
    return state;
  }
  state.retry_at.reset();
  if (!state.loaded) {
    auto last = log_.lastFire(job.name);
    if (!last) {
      notify(SchedulerEvent::Kind::kLogError, Fire{job.name, {}, {}, {}, false}, last.error());
      state.retry_at = now + options_.retry_delay;
      return state;
    }
    // A job that never fired may still catch the fire it missed just before we started.
    state.watermark = last->value_or(created_ - job.misfire_grace);
    state.loaded = true;
  }
  const auto due = latestFireIn(job.schedule, state.watermark, now);
  if (!due) {
    return state;
  }
  Fire fire = makeFire(job, *due, now);
  if (now - *due > job.misfire_grace) {
    notify(SchedulerEvent::Kind::kMisfired, std::move(fire));
    state.watermark = *due;
    return state;
  }
  auto started = on_fire_(fire);
  if (!started) {
    // Not recorded, so the next tick after retry_delay tries the same fire (same batch id)
    // again, until it falls outside the grace and becomes a misfire.
    notify(SchedulerEvent::Kind::kFailed, std::move(fire), started.error());
    state.retry_at = now + options_.retry_delay;
    return state;
  }
  // Recorded after on_fire, not before. Recording first would lose the fire if we crashed
  // before on_fire enqueued it; recording after means a crash in between fires it again after
  // the restart, which is harmless: the batch id is deterministic and the orchestrator treats
  // a known batch id as a re-run. A failed record is reported but the fire still counts, and
  // the watermark moves on so this process does not fire it twice.
  if (auto recorded = log_.record(job.name, *due, *started); !recorded) {
    notify(SchedulerEvent::Kind::kLogError, fire, recorded.error());
  }
  fire.batch_id = std::move(started).value();
  notify(SchedulerEvent::Kind::kFired, std::move(fire));
  state.watermark = *due;
  return state;
}

Fire Scheduler::makeFire(const ScheduledJob& job, core::SystemTime scheduled,
                         core::SystemTime now) const {
  return Fire{job.name, scheduled, job.schedule.logicalDate(scheduled),
              fireBatchId(job.name, scheduled), now - scheduled >= options_.late_after};
}

void Scheduler::notify(SchedulerEvent::Kind kind, Fire fire, std::optional<core::Error> error) {
  {
    std::lock_guard lock(state_mutex_);
    switch (kind) {
      case SchedulerEvent::Kind::kFired:
        ++counters_.fires;
        break;
      case SchedulerEvent::Kind::kMisfired:
        ++counters_.misfires;
        break;
      case SchedulerEvent::Kind::kFailed:
        ++counters_.failures;
        break;
      case SchedulerEvent::Kind::kLogError:
        ++counters_.log_errors;
        break;
    }
  }
  if (options_.on_event) {
    options_.on_event(SchedulerEvent{kind, std::move(fire), std::move(error)});
  }
}

std::optional<core::SystemTime> Scheduler::nextFire(std::string_view name) const {
  const core::SystemTime now = clock_.now();
  std::lock_guard lock(state_mutex_);
  const auto it = std::find_if(jobs_.begin(), jobs_.end(),
                               [&](const JobState& state) { return state.job.name == name; });
  if (it == jobs_.end()) {
    return std::nullopt;
  }
  if (it->retry_at) {
    return it->retry_at;
  }
  return it->job.schedule.nextAfter(it->loaded ? std::max(it->watermark, now) : now);
}

SchedulerCounters Scheduler::counters() const {
  std::lock_guard lock(state_mutex_);
  return counters_;
}

std::optional<core::SystemTime> Scheduler::wakeTimeLocked() const {
  std::optional<core::SystemTime> wake;
  for (const JobState& state : jobs_) {
    std::optional<core::SystemTime> next;
    if (state.retry_at) {
      next = state.retry_at;
    } else if (state.loaded) {
      next = state.job.schedule.nextAfter(state.watermark);
    } else {
      next = created_;  // its first tick has not read the log yet
    }
    if (next && (!wake || *next < *wake)) {
      wake = next;
    }
  }
  return wake;
}

void Scheduler::start() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  if (thread_.joinable()) {
    return;
  }
  {
    std::lock_guard lock(state_mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void Scheduler::stop() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  {
    std::lock_guard lock(state_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void Scheduler::run() {
  while (true) {
    tick();
    std::unique_lock lock(state_mutex_);
    if (stopping_) {
      return;
    }
    // Sleep on the steady clock for the time the injected clock says is left, but never past
    // max_sleep, so a step of the wall clock is noticed.
    auto sleep =
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(options_.max_sleep);
    if (const auto wake = wakeTimeLocked()) {
      sleep = std::clamp(
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(*wake - clock_.now()),
          std::chrono::steady_clock::duration::zero(), sleep);
    }
    if (wake_.wait_for(lock, sleep, [this] { return stopping_; })) {
      return;
    }
  }
}

}  // namespace rawfeed::schedule
