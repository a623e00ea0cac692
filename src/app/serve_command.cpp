// `rawfeed serve`: every domain's worker pool and scheduler, the HTTP API and dashboard, metrics
// sampling and alarms, in one long-running process.
#include <fmt/format.h>

#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "alarms/alarm_evaluator.h"
#include "alarms/command_action.h"
#include "alarms/domain_metric_reader.h"
#include "alarms/webhook_action.h"
#include "app/commands.h"
#include "app/domain_runtime.h"
#include "app/serve_service.h"
#include "app/signal_watcher.h"
#include "events/outbox/outbox_event_sink.h"
#include "observe/sampler.h"
#include "pipeline/worker_pool.h"
#include "schedule/scheduler.h"
#include "schedule/sqlite_fire_log.h"
#include "server/api_server.h"

namespace rawfeed::app {

namespace {

int fail(const std::string& message, int code = kExitUsage) {
  std::cerr << "rawfeed: " << message << "\n";
  return code;
}

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

std::vector<alarms::AlarmDefinition> alarmsFor(const config::AlarmsConfig& config) {
  std::vector<alarms::AlarmDefinition> result;
  auto definitions = alarms::defaultAlarms();
  definitions.push_back(alarms::sourcePausedAlarm());
  for (const auto& alarm : definitions) {
    const config::AlarmSettings* settings = nullptr;
    if (alarm.metric == alarms::AlarmMetric::kQueueDepth)
      settings = &config.queue_depth;
    if (alarm.metric == alarms::AlarmMetric::kOldestMessageAgeSeconds) {
      settings = &config.oldest_message_age;
    }
    if (alarm.metric == alarms::AlarmMetric::kWorkerErrors)
      settings = &config.worker_errors;
    if (alarm.metric == alarms::AlarmMetric::kSourcePausedSeconds)
      settings = &config.source_paused;
    if (settings == nullptr) {
      result.push_back(alarm);
    } else if (settings->enabled) {
      result.push_back(applySettings(alarm, *settings));
    }
  }
  return result;
}

// Counts of the domain's (last 200) batches by state, for rawfeed_batches{state}.
void collectBatchStates(DomainRuntime& runtime) {
  auto batches = runtime.tracker().recentSummaries(200, runtime.domain().name);
  if (!batches.ok())
    return;
  std::map<std::string, double> counts = {{"open", 0}, {"complete", 0}, {"partial", 0}};
  for (const auto& batch : *batches)
    counts[tracker::batchStateName(batch.state)] += 1;
  for (const auto& [state, count] : counts)
    runtime.metrics().batches(state).set(count);
}

}  // namespace

int serveCommand(const CommandOptions& options) {
  SignalWatcher::blockStopSignals();
  auto loaded = config::loadConfig(options.config_path);
  if (!loaded.ok())
    return fail(loaded.error().message);
  config::Config config = std::move(loaded).value();
  if (options.port)
    config.server.port = *options.port;
  if (options.bind)
    config.server.bind = *options.bind;
  for (auto& [name, domain] : config.domains) {
    if (options.state_dir)
      domain.state_dir = std::filesystem::absolute(*options.state_dir);
    if (options.lake)
      domain.lake = *options.lake;
    if (options.source_url)
      domain.source.base_url = *options.source_url;
  }
  const config::DomainConfig& first = config.domains.begin()->second;
  const auto& clock = core::systemClock();

  observe::Level level = observe::Level::kInfo;
  observe::parseLevel(options.log_level, level);
  std::error_code ignored;
  std::filesystem::create_directories(first.state_dir / "logs", ignored);
  observe::JsonLinesLogger logger(
      clock, std::fopen((first.state_dir / "logs" / "rawfeed.jsonl").c_str(), "ae"), level,
      /*console=*/true, level);

  observe::MetricsRegistry registry;
  std::vector<std::unique_ptr<DomainRuntime>> owned;
  std::map<std::string, DomainRuntime*> runtimes;
  for (const auto& [name, domain] : config.domains) {
    auto runtime = DomainRuntime::open(config, domain, logger, registry);
    if (!runtime.ok())
      return fail(name + ": " + runtime.error().message, kExitInternal);
    runtimes[name] = runtime->get();
    owned.push_back(std::move(runtime).value());
  }
  for (auto& [name, rt] : runtimes) {
    registry.addCollector([rt = rt] {
      auto stats = rt->queue().stats();
      if (!stats.ok())
        return rt->metrics().markQueueUnknown();
      rt->metrics().setQueueFigures({stats->visible, stats->in_flight, stats->delayed,
                                     stats->dead_letters, stats->oldest_age_seconds});
      collectBatchStates(*rt);
      rt->collectThrottles();
      rt->collectSourceFigures();
    });
  }

  observe::Sampler sampler(registry, clock,
                           std::chrono::seconds(config.server.sample_interval_seconds));
  alarms::AlarmEvaluator evaluator(clock, logger);
  std::vector<std::shared_ptr<alarms::CommandAction>> commands;
  for (auto& [name, rt] : runtimes) {
    sampler.addDomain(rt->metrics());
    std::vector<std::shared_ptr<alarms::AlarmAction>> actions;
    const auto& alarm_config = rt->domain().alarms;
    if (!alarm_config.webhook_url.empty()) {
      alarms::WebhookOptions webhook;
      webhook.url = alarm_config.webhook_url;
      actions.push_back(
          std::make_shared<alarms::WebhookAction>(rt->http(), clock, logger, webhook));
    }
    if (!alarm_config.command.empty()) {
      auto command = std::make_shared<alarms::CommandAction>(
          clock, logger, alarms::CommandOptions{alarm_config.command});
      commands.push_back(command);
      actions.push_back(command);
    }
    if (auto added = evaluator.addDomain(name, alarmsFor(alarm_config),
                                         alarms::domainMetricReader(rt->metrics()), actions);
        !added.ok()) {
      return fail(name + ": alarms: " + added.error().message);
    }
  }

  ServeService service(config, runtimes, registry, sampler, evaluator, logger);

  // The scheduled pattern: one job per domain with a schedule.
  std::vector<schedule::ScheduledJob> jobs;
  for (auto& [name, rt] : runtimes) {
    const auto& domain = rt->domain();
    if (domain.schedule.empty())
      continue;
    auto parsed = schedule::Schedule::parse(domain.schedule, domain.schedule_timezone);
    if (!parsed.ok())
      return fail(name + ": schedule: " + parsed.error().message);
    jobs.push_back({name, *parsed, domain.misfire_grace});
  }
  std::unique_ptr<schedule::SqliteFireLog> fire_log;
  std::unique_ptr<schedule::Scheduler> scheduler;
  if (!jobs.empty()) {
    auto log = schedule::SqliteFireLog::open({first.state_dir / "schedule.db"}, clock);
    if (!log.ok())
      return fail(log.error().message, kExitInternal);
    fire_log = std::move(log).value();
    schedule::SchedulerOptions scheduler_options;
    scheduler_options.on_event = [&runtimes, &logger](const schedule::SchedulerEvent& event) {
      const auto found = runtimes.find(event.fire.name);
      using Kind = schedule::SchedulerEvent::Kind;
      if (found != runtimes.end() && event.kind == Kind::kFired) {
        found->second->metrics().schedule_fires.inc();
      }
      if (found != runtimes.end() && event.kind == Kind::kMisfired) {
        found->second->metrics().schedule_misfires.inc();
      }
      const char* kinds[] = {"schedule_fired", "schedule_misfired", "schedule_fire_failed",
                             "schedule_log_error"};
      logger.log(event.kind == Kind::kFired ? observe::Level::kInfo : observe::Level::kWarn,
                 kinds[static_cast<int>(event.kind)],
                 {{"domain", event.fire.name},
                  {"batch_id", event.fire.batch_id},
                  {"batch_ds", event.fire.logical_date},
                  {"late", event.fire.late},
                  {"error", event.error ? event.error->describe() : std::string()}});
    };
    auto created = schedule::Scheduler::create(
        clock, *fire_log, jobs,
        [&service](const schedule::Fire& fire) -> core::Result<std::string> {
          pipeline::TriggerEvent trigger;
          trigger.trigger_type = "schedule";
          trigger.batch_id = fire.batch_id;
          trigger.batch_ds = fire.logical_date;
          auto started = service.startBatchJson(fire.name, trigger, /*dry_run=*/false);
          if (!started.ok())
            return started.error();
          return fire.batch_id;
        },
        scheduler_options);
    if (!created.ok())
      return fail(created.error().message);
    scheduler = std::move(created).value();
    service.setScheduler(scheduler.get());
  }

  server::ApiServerOptions server_options;
  server_options.bind = config.server.bind;
  server_options.port = config.server.port;
  server_options.max_body_bytes = config.server.max_body_bytes;
  server_options.request_head_timeout = config.server.request_head_timeout;
  server_options.request_body_timeout = config.server.request_body_timeout;
  server_options.max_connections = static_cast<std::size_t>(config.server.max_connections);
  server_options.max_connections_per_client =
      static_cast<std::size_t>(config.server.max_connections_per_client);
  server_options.bearer_token = readToken(config.server);
  if (server_options.bearer_token.empty()) {
    logger.warn("no_api_token", {{"hint", "set " + config.server.token_env +
                                              " or server.token_file; POST endpoints refuse "
                                              "every request until then"}});
  }
  server::ApiServer api(service, logger, clock, server_options);

  std::vector<std::unique_ptr<pipeline::WorkerPool>> pools;
  for (auto& [name, rt] : runtimes) {
    pipeline::WorkerPoolOptions pool_options;
    pool_options.concurrency = rt->domain().worker_concurrency;
    pool_options.messages_per_delivery = rt->domain().messages_per_delivery;
    pool_options.visibility_timeout = rt->domain().queue.visibility_timeout;
    pool_options.max_receives = rt->domain().queue.max_receives;
    pool_options.until_drained = false;
    pools.push_back(std::make_unique<pipeline::WorkerPool>(rt->queue(), rt->worker(), clock, logger,
                                                           pool_options));
  }

  std::mutex mutex;  // guards stopping
  std::condition_variable stop_requested;
  bool stopping = false;
  SignalWatcher signals(
      [&] {
        std::lock_guard lock(mutex);
        stopping = true;
        stop_requested.notify_all();
      },
      [&] {
        for (auto& rt : owned)
          rt->cancelSourceRequests();
      });

  if (auto started = api.start(); !started.ok()) {
    return fail("cannot serve on " + config.server.bind + ":" + std::to_string(config.server.port) +
                    ": " + started.error().message,
                kExitInternal);
  }
  for (auto& pool : pools)
    pool->start();
  if (scheduler)
    scheduler->start();
  logger.info("serve_started",
              {{"url", api.baseUrl()}, {"domains", static_cast<std::int64_t>(runtimes.size())}});
  std::cout << "rawfeed serve listening on " << api.baseUrl() << std::endl;

  // Events a sink could not take stay in each domain's outbox: deliver them at start (they may be
  // a previous process's) and then every 30 s while any are pending, off the sampling thread,
  // since a sink that is down holds a pass for its retries.
  std::thread event_redelivery([&] {
    bool first = true;
    std::unique_lock lock(mutex);
    while (!stopping) {
      lock.unlock();
      for (auto& rt : owned) {
        auto* outbox = rt->eventOutbox();
        // A lake outbox also holds other hosts' events: look every time (one LIST).
        if (outbox != nullptr &&
            (first || outbox->sharedAcrossHosts() || outbox->lastReport().pending > 0)) {
          outbox->deliverPending();
        }
      }
      first = false;
      lock.lock();
      stop_requested.wait_for(lock, std::chrono::seconds(30), [&] { return stopping; });
    }
  });

  // Sample the figures and judge the alarms until asked to stop.
  {
    std::unique_lock lock(mutex);
    while (!stopping) {
      lock.unlock();
      sampler.sample();
      evaluator.tick();
      lock.lock();
      stop_requested.wait_for(lock, sampler.interval(), [&] { return stopping; });
    }
  }

  // Drain: no new runs or deliveries; what is in flight finishes (or is released by a second
  // signal and comes back after its visibility timeout).
  logger.info("serve_stopping", {});
  if (scheduler)
    scheduler->stop();
  api.stop();
  for (auto& pool : pools)
    pool->requestStop();
  for (auto& pool : pools)
    pool->join();
  event_redelivery.join();
  for (auto& command : commands)
    command->stop();
  logger.info("serve_stopped", {});
  return kExitOk;
}

}  // namespace rawfeed::app
