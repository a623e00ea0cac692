#include "app/daemon.h"

#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>

#include "alarms/domain_metric_reader.h"
#include "alarms/webhook_action.h"
#include "app/domain_gaps.h"
#include "app/worker_pool_options.h"
#include "events/event_outbox.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::app {

namespace {

// Pending completion events are looked for this often while any are pending.
constexpr std::chrono::seconds kEventRedeliveryInterval{30};
// A domain's lake is audited for gaps at most this often, and only while its status is asked for.
constexpr std::chrono::seconds kGapCheckMaxAge{300};

// The bearer token for mutating endpoints: from the configured variable, else the file.
std::string readToken(const config::ServerConfig& server) {
  if (!server.token_env.empty()) {
    if (const char* value = std::getenv(server.token_env.c_str()); value != nullptr && *value) {
      return value;
    }
  }
  if (!server.token_file.empty()) {
    std::ifstream in(server.token_file);
    std::string line;
    if (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
      return line;
    }
  }
  return "";
}

alarms::AlarmDefinition applySettings(alarms::AlarmDefinition alarm,
                                      const config::AlarmSettings& settings) {
  alarm.threshold = settings.threshold;
  alarm.period = std::chrono::seconds(settings.period_seconds);
  alarm.evaluation_periods = settings.evaluation_periods;
  if (settings.datapoints_to_alarm)
    alarm.datapoints_to_alarm = settings.datapoints_to_alarm;
  if (settings.treat_missing_data) {
    if (auto treat = alarms::parseTreatMissingData(*settings.treat_missing_data)) {
      alarm.treat_missing_data = *treat;
    }
  }
  return alarm;
}

// The configured settings of an alarm; null for one that has none (always on, as defined).
const config::AlarmSettings* settingsFor(const alarms::AlarmDefinition& alarm,
                                         const config::AlarmsConfig& config) {
  switch (alarm.metric) {
    case alarms::AlarmMetric::kQueueDepth:
      return &config.queue_depth;
    case alarms::AlarmMetric::kOldestMessageAgeSeconds:
      return &config.oldest_message_age;
    case alarms::AlarmMetric::kWorkerErrors:
      return &config.worker_errors;
    case alarms::AlarmMetric::kSourcePausedSeconds:
      return &config.source_paused;
    default:
      return nullptr;
  }
}

std::vector<alarms::AlarmDefinition> alarmsFor(const config::AlarmsConfig& config) {
  std::vector<alarms::AlarmDefinition> result;
  auto definitions = alarms::defaultAlarms();
  definitions.push_back(alarms::sourcePausedAlarm());
  for (const auto& alarm : definitions) {
    const config::AlarmSettings* settings = settingsFor(alarm, config);
    if (settings == nullptr) {
      result.push_back(alarm);
    } else if (settings->enabled) {
      result.push_back(applySettings(alarm, *settings));
    }
  }
  return result;
}

// Counts of the domain's (last 200) batches by state, for rawfeed_batches{state}. A tracker
// that cannot be read makes them unknown (NaN) rather than stale, and is logged when it starts
// failing; `failing` carries that between collections (which the registry serialises).
void collectBatchStates(DomainRuntime& runtime, observe::Logger& logger, bool& failing) {
  static constexpr const char* kStates[] = {"open", "complete", "partial"};
  auto batches = runtime.tracker().recentSummaries(200, runtime.domain().name);
  if (!batches.ok()) {
    for (const char* state : kStates)
      runtime.metrics().batches(state).set(std::numeric_limits<double>::quiet_NaN());
    if (!failing) {
      logger.warn("batch_states_unreadable",
                  {{"domain", runtime.domain().name}, {"error", batches.error().describe()}});
    }
    failing = true;
    return;
  }
  failing = false;
  std::map<std::string, double> counts;
  for (const char* state : kStates)
    counts[state] = 0;
  for (const auto& batch : *batches)
    counts[tracker::batchStateName(batch.state)] += 1;
  for (const auto& [state, count] : counts)
    runtime.metrics().batches(state).set(count);
}

}  // namespace

Daemon::Daemon(config::Config config, observe::Logger& logger, const core::Clock& clock)
    : config_(std::move(config)),
      logger_(logger),
      clock_(clock),
      sampler_(registry_, clock, std::chrono::seconds(config_.server.sample_interval_seconds)),
      evaluator_(clock, logger) {}

core::Result<std::unique_ptr<Daemon>> Daemon::open(config::Config config, observe::Logger& logger,
                                                   const core::Clock& clock) {
  std::unique_ptr<Daemon> daemon(new Daemon(std::move(config), logger, clock));
  if (auto opened = daemon->openDomains(); !opened.ok())
    return opened.error();
  daemon->collectDomainFigures();
  if (auto wired = daemon->wireAlarms(); !wired.ok())
    return wired.error();
  daemon->service_ = std::make_unique<ServeService>(daemon->by_name_, daemon->registry_,
                                                    daemon->sampler_, daemon->evaluator_, logger);
  if (auto scheduled = daemon->createScheduler(); !scheduled.ok())
    return scheduled.error();
  daemon->createApi();
  daemon->createPools();
  daemon->createActivities();
  daemon->createGapWatch();
  return daemon;
}

Daemon::~Daemon() {
  stop();
}

core::Status Daemon::openDomains() {
  for (const auto& [name, domain] : config_.domains) {
    auto runtime = DomainRuntime::open(config_, domain, logger_, registry_);
    if (!runtime.ok())
      return core::makeError(runtime.error().code, name + ": " + runtime.error().message);
    by_name_[name] = runtime->get();
    runtimes_.push_back(std::move(runtime).value());
  }
  return core::okStatus();
}

// Fresh queue, batch, throttle and source figures before every read of the metrics.
void Daemon::collectDomainFigures() {
  for (auto& [name, rt] : by_name_) {
    registry_.addCollector([rt = rt, &logger = logger_, batches_failing = false]() mutable {
      auto stats = rt->queue().stats();
      if (!stats.ok())
        return rt->metrics().markQueueUnknown();
      rt->metrics().setQueueFigures({stats->visible, stats->in_flight, stats->delayed,
                                     stats->dead_letters, stats->oldest_age_seconds});
      collectBatchStates(*rt, logger, batches_failing);
      rt->collectThrottles();
      rt->collectSourceFigures();
    });
  }
}

core::Status Daemon::wireAlarms() {
  for (auto& [name, rt] : by_name_) {
    sampler_.addDomain(rt->metrics());
    std::vector<std::shared_ptr<alarms::AlarmAction>> actions;
    const auto& alarm_config = rt->domain().alarms;
    if (!alarm_config.webhook_url.empty()) {
      alarms::WebhookOptions webhook;
      webhook.url = alarm_config.webhook_url;
      actions.push_back(
          std::make_shared<alarms::WebhookAction>(rt->http(), clock_, logger_, webhook));
    }
    if (!alarm_config.command.empty()) {
      auto command = std::make_shared<alarms::CommandAction>(
          clock_, logger_, alarms::CommandOptions{alarm_config.command});
      command_actions_.push_back(command);
      actions.push_back(command);
    }
    if (auto added = evaluator_.addDomain(name, alarmsFor(alarm_config),
                                          alarms::domainMetricReader(rt->metrics()), actions);
        !added.ok()) {
      return core::makeError(added.error().code, name + ": alarms: " + added.error().message);
    }
  }
  return core::okStatus();
}

// The scheduled pattern: one job per domain with a schedule, its fire log in the first domain's
// state directory.
core::Status Daemon::createScheduler() {
  std::vector<schedule::ScheduledJob> jobs;
  for (auto& [name, rt] : by_name_) {
    const auto& domain = rt->domain();
    if (domain.schedule.empty())
      continue;
    auto parsed = schedule::Schedule::parse(domain.schedule, domain.schedule_timezone);
    if (!parsed.ok())
      return core::makeError(parsed.error().code, name + ": schedule: " + parsed.error().message);
    jobs.push_back({name, *parsed, domain.misfire_grace});
  }
  if (jobs.empty())
    return core::okStatus();
  const auto& first = config_.domains.begin()->second;
  auto log = schedule::SqliteFireLog::open({first.state_dir / "schedule.db"}, clock_);
  if (!log.ok())
    return log.error();
  fire_log_ = std::move(log).value();
  schedule::SchedulerOptions options;
  options.on_event = [this](const schedule::SchedulerEvent& event) {
    const auto found = by_name_.find(event.fire.name);
    using Kind = schedule::SchedulerEvent::Kind;
    if (found != by_name_.end() && event.kind == Kind::kFired)
      found->second->metrics().schedule_fires.inc();
    if (found != by_name_.end() && event.kind == Kind::kMisfired)
      found->second->metrics().schedule_misfires.inc();
    const char* kinds[] = {"schedule_fired", "schedule_misfired", "schedule_fire_failed",
                           "schedule_log_error"};
    logger_.log(event.kind == Kind::kFired ? observe::Level::kInfo : observe::Level::kWarn,
                kinds[static_cast<int>(event.kind)],
                {{"domain", event.fire.name},
                 {"batch_id", event.fire.batch_id},
                 {"batch_ds", event.fire.logical_date},
                 {"late", event.fire.late},
                 {"error", event.error ? event.error->describe() : std::string()}});
  };
  auto created = schedule::Scheduler::create(
      clock_, *fire_log_, jobs,
      [this](const schedule::Fire& fire) -> core::Result<std::string> {
        pipeline::TriggerEvent trigger;
        trigger.trigger_type = "schedule";
        trigger.batch_id = fire.batch_id;
        trigger.batch_ds = fire.logical_date;
        auto started = service_->startDomainBatch(fire.name, trigger, /*dry_run=*/false);
        if (!started.ok())
          return started.error();
        return fire.batch_id;
      },
      options);
  if (!created.ok())
    return created.error();
  scheduler_ = std::move(created).value();
  service_->setScheduler(scheduler_.get());
  return core::okStatus();
}

void Daemon::createApi() {
  const auto& server = config_.server;
  server::ApiServerOptions options;
  options.bind = server.bind;
  options.port = server.port;
  options.max_body_bytes = server.max_body_bytes;
  options.request_head_timeout = server.request_head_timeout;
  options.request_body_timeout = server.request_body_timeout;
  options.max_connections = static_cast<std::size_t>(server.max_connections);
  options.max_connections_per_client = static_cast<std::size_t>(server.max_connections_per_client);
  options.bearer_token = readToken(server);
  if (options.bearer_token.empty()) {
    logger_.warn("no_api_token", {{"hint", "set " + server.token_env +
                                               " or server.token_file; POST endpoints refuse "
                                               "every request until then"}});
  }
  api_ = std::make_unique<server::ApiServer>(*service_, logger_, clock_, options);
}

void Daemon::createPools() {
  for (auto& [name, rt] : by_name_) {
    pools_.push_back(std::make_unique<pipeline::WorkerPool>(
        rt->queue(), rt->worker(), clock_, logger_,
        workerPoolOptions(rt->domain(), PoolLifetime::kForever)));
  }
}

void Daemon::createActivities() {
  sampling_ = std::make_unique<PeriodicActivity>(sampler_.interval(), [this] { samplePass(); });
  event_redelivery_ =
      std::make_unique<PeriodicActivity>(kEventRedeliveryInterval, [this, first = true]() mutable {
        redeliveryPass(first);
        first = false;
      });
}

// Each domain's bars table audited as `rawfeed gaps` audits it, over the domain's universe.
void Daemon::createGapWatch() {
  gaps_ = std::make_unique<GapWatch>(clock_, kGapCheckMaxAge, logger_);
  for (auto& [name, rt] : by_name_) {
    gaps_->addDomain(name, [rt = rt]() -> core::Result<audit::GapReport> {
      auto scope = gapScopeFor(rt->domain(), {});
      if (!scope.ok())
        return scope.error();
      return audit::auditLake(rt->lake(), scope->scope);
    });
  }
  service_->setGapWatch(gaps_.get());
}

// The figures sampled for the dashboard, and the alarms judged on them.
void Daemon::samplePass() {
  sampler_.sample();
  evaluator_.tick();
}

// Events a sink could not take stay in each domain's outbox: delivered at start (they may be a
// previous process's) and then while any are pending, off the sampling thread, since a sink
// that is down holds a pass for its retries.
void Daemon::redeliveryPass(bool first) {
  for (auto& rt : runtimes_) {
    auto* outbox = rt->eventOutbox();
    // A lake outbox also holds other hosts' events: look every time (one LIST).
    if (outbox != nullptr &&
        (first || outbox->sharedAcrossHosts() || outbox->lastReport().pending > 0)) {
      outbox->deliverPending();
    }
  }
}

core::Status Daemon::start() {
  {
    std::lock_guard lock(mutex_);
    if (started_ || stopped_)
      return core::okStatus();
  }
  if (auto listening = api_->start(); !listening.ok()) {
    return core::makeError(listening.error().code, "cannot serve on " + config_.server.bind + ":" +
                                                       std::to_string(config_.server.port) + ": " +
                                                       listening.error().message);
  }
  for (auto& pool : pools_)
    pool->start();
  if (scheduler_)
    scheduler_->start();
  {
    std::lock_guard lock(mutex_);
    started_ = true;
  }
  logger_.info("serve_started",
               {{"url", api_->baseUrl()}, {"domains", static_cast<std::int64_t>(by_name_.size())}});
  event_redelivery_->start();
  sampling_->start();
  gaps_->start();
  return core::okStatus();
}

void Daemon::requestStop() {
  std::lock_guard lock(mutex_);
  stop_requested_ = true;
  stop_requested_changed_.notify_all();
}

void Daemon::waitForStopRequest() {
  std::unique_lock lock(mutex_);
  stop_requested_changed_.wait(lock, [this] { return stop_requested_; });
}

void Daemon::cancelSourceRequests() {
  for (auto& rt : runtimes_)
    rt->cancelSourceRequests();
}

void Daemon::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_)
      return;
    stopped_ = true;
    stop_requested_ = true;
    stop_requested_changed_.notify_all();
    if (!started_)
      return;
  }
  sampling_->requestStop();
  event_redelivery_->requestStop();
  gaps_->stop();
  sampling_->join();
  logger_.info("serve_stopping", {});
  if (scheduler_)
    scheduler_->stop();
  api_->stop();
  for (auto& pool : pools_)
    pool->requestStop();
  for (auto& pool : pools_)
    pool->join();
  event_redelivery_->join();
  for (auto& command : command_actions_)
    command->stop();
  logger_.info("serve_stopped", {});
}

}  // namespace rawfeed::app
