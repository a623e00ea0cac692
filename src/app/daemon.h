#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "alarms/alarm_evaluator.h"
#include "alarms/command_action.h"
#include "app/domain_runtime.h"
#include "app/gap_watch.h"
#include "app/periodic_activity.h"
#include "app/serve_service.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/result.h"
#include "observe/logger.h"
#include "observe/metrics_registry.h"
#include "observe/sampler.h"
#include "pipeline/worker_pool.h"
#include "schedule/scheduler.h"
#include "schedule/sqlite_fire_log.h"
#include "server/api_server.h"

namespace rawfeed::app {

// `rawfeed serve` as one object (Envoy's Server::InstanceImpl): every domain's runtime and
// worker pool, the metrics with their sampling, the alarms, the scheduler, the HTTP API and the
// redelivery of pending completion events. It owns every thread it runs. start() and stop() are
// idempotent; stop() is the one place the drain happens, and the destructor calls it.
// requestStop(), cancelSourceRequests() and waitForStopRequest() may be called from any thread;
// start() and stop() from one.
class Daemon {
 public:
  // Opens every domain and wires the rest; starts nothing. Errors: a domain's backends (as
  // DomainRuntime::open), an alarm or schedule that does not parse (kInvalidInput), the schedule's
  // fire log.
  static core::Result<std::unique_ptr<Daemon>> open(config::Config config, observe::Logger& logger,
                                                    const core::Clock& clock);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Listens, then starts the pools, the scheduler, the sampling and the event redelivery. On an
  // error (the address cannot be bound) nothing was started.
  core::Status start();
  // The first stop signal: wakes waitForStopRequest().
  void requestStop();
  void waitForStopRequest();
  // The second stop signal: fails every request in flight to a source at once.
  void cancelSourceRequests();
  // Drains: no new runs or deliveries; what is in flight finishes (or is released by
  // cancelSourceRequests() and comes back after its visibility timeout).
  void stop();

  std::string baseUrl() const { return api_->baseUrl(); }
  std::size_t domainCount() const { return runtimes_.size(); }

 private:
  Daemon(config::Config config, observe::Logger& logger, const core::Clock& clock);

  core::Status openDomains();
  void collectDomainFigures();
  core::Status wireAlarms();
  core::Status createScheduler();
  void createApi();
  void createPools();
  void createActivities();
  void createGapWatch();
  void samplePass();
  void redeliveryPass(bool first);

  const config::Config config_;
  observe::Logger& logger_;
  const core::Clock& clock_;
  // Declared before what uses them, so destroyed after.
  observe::MetricsRegistry registry_;
  std::vector<std::unique_ptr<DomainRuntime>> runtimes_;
  std::map<std::string, DomainRuntime*> by_name_;
  observe::Sampler sampler_;
  alarms::AlarmEvaluator evaluator_;
  std::vector<std::shared_ptr<alarms::CommandAction>> command_actions_;
  std::unique_ptr<ServeService> service_;
  std::unique_ptr<schedule::SqliteFireLog> fire_log_;
  std::unique_ptr<schedule::Scheduler> scheduler_;  // null when no domain has a schedule
  std::unique_ptr<server::ApiServer> api_;
  std::vector<std::unique_ptr<pipeline::WorkerPool>> pools_;
  std::unique_ptr<PeriodicActivity> sampling_;
  std::unique_ptr<PeriodicActivity> event_redelivery_;
  std::unique_ptr<GapWatch> gaps_;  // the dashboard's lake audit, on demand

  std::mutex mutex_;  // guards started_, stopped_ and stop_requested_
  std::condition_variable stop_requested_changed_;
  bool started_ = false;
  bool stopped_ = false;
  bool stop_requested_ = false;
};

}  // namespace rawfeed::app
