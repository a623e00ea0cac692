#include "app/serve_service.h"

#include <chrono>
#include <set>

#include "app/batch_starter.h"
#include "lake/raw_key.h"
#include "pipeline/dead_letters.h"
#include "pipeline/incoming_events.h"

namespace rawfeed::app {

namespace {

std::vector<server::SymbolReason> symbolReasons(
    const std::vector<universe::RejectedSymbol>& rejected) {
  std::vector<server::SymbolReason> list;
  for (const auto& r : rejected)
    list.push_back({r.symbol, r.reason});
  return list;
}

struct BatchFigures {
  std::set<std::string> days;
  std::vector<server::SymbolReason> failed;
};

BatchFigures figuresOf(const tracker::BatchSnapshot& batch) {
  BatchFigures figures;
  for (const auto& chunk : batch.chunks) {
    for (const auto& object : chunk.objects) {
      if (object.table.empty())  // the main table's days: its manifests are the ones listed
        figures.days.insert(object.day);
    }
    for (const auto& failure : chunk.failed)
      figures.failed.push_back({failure.symbol, failure.outcome + ": " + failure.reason});
  }
  return figures;
}

// Every chunk recorded is not yet finished: the manifests and the completion event come after,
// and a caller told "complete" reads the manifest keys at once. The event goes out last.
// Works on a snapshot and on a summary alike.
template <class Batch>
bool finalized(const Batch& batch) {
  return batch.state != tracker::BatchState::kOpen && batch.event_published;
}

template <class Batch>
const char* dashboardStatus(const Batch& batch) {
  return finalized(batch) ? tracker::batchStateName(batch.state) : "running";
}

// The reading an alarm is judged on, for display.
std::optional<double> alarmValue(const alarms::AlarmDefinition& alarm,
                                 const queue::QueueStats& stats) {
  switch (alarm.metric) {
    case alarms::AlarmMetric::kQueueDepth:
      return static_cast<double>(stats.visible);
    case alarms::AlarmMetric::kOldestMessageAgeSeconds:
      return stats.oldest_age_seconds;
    case alarms::AlarmMetric::kDlqDepth:
      return static_cast<double>(stats.dead_letters);
    default:
      return std::nullopt;
  }
}

server::DomainCounters countersOf(const observe::DomainMetrics& m) {
  using observe::SymbolOutcome;
  server::DomainCounters c;
  for (auto outcome :
       {SymbolOutcome::kNotFound, SymbolOutcome::kBadRequest, SymbolOutcome::kThrottled,
        SymbolOutcome::kTransient, SymbolOutcome::kWriteFailed, SymbolOutcome::kBlocked}) {
    c.symbols_failed_total += m.symbols(outcome).value();
  }
  c.symbols_ok_total = m.symbols(SymbolOutcome::kOk).value();
  c.symbols_empty_total = m.symbols(SymbolOutcome::kEmpty).value();
  c.objects_written_total = m.objects_written.value();
  c.objects_skipped_total = m.objects_skipped.value();
  c.bytes_written_total = m.bytes_written.value();
  c.records_total = m.records.value();
  c.worker_deliveries_total = m.worker_deliveries.value();
  c.worker_errors_total = m.worker_errors.value();
  c.messages_dead_lettered_total = m.messages_dead_lettered.value();
  return c;
}

// The governor in front of the source host, as of the last metrics collection.
server::SourceFigures sourceOf(const observe::DomainMetrics& m) {
  server::SourceFigures s;
  s.rate = m.source_rate.value();
  s.in_flight_limit = m.source_in_flight_limit.value();
  s.pause_remaining_seconds = m.source_pause_seconds.value();
  s.paused_for_seconds = m.source_paused_for_seconds.value();
  s.fleet_members = m.source_fleet_members.value();
  s.requests_total = m.source_requests.value();
  s.refused_total = m.source_refused.value();
  s.pauses_total = m.source_pauses.value();
  return s;
}

server::AlarmView alarmOf(const alarms::AlarmStatus& status, const queue::QueueStats& stats) {
  const auto& d = status.definition;
  server::AlarmView alarm;
  alarm.name = d.name;
  alarm.state = alarms::alarmStateName(status.state);
  alarm.value = alarmValue(d, stats);
  alarm.threshold = d.threshold;
  alarm.comparison = alarms::comparisonSymbol(d.comparison);
  alarm.period_seconds = d.period.count() * d.evaluation_periods;
  alarm.reason = status.reason;
  alarm.since = status.since;
  return alarm;
}

std::map<std::string, std::vector<config::EventRule>> eventRulesOf(
    const std::map<std::string, DomainRuntime*>& runtimes) {
  std::map<std::string, std::vector<config::EventRule>> rules;
  for (const auto& [name, rt] : runtimes)
    rules[name] = rt->domain().event_rules;
  return rules;
}

pipeline::DeadLetterFilter toPipelineFilter(const server::Service::DeadLetterFilter& filter) {
  pipeline::DeadLetterFilter out;
  out.symbol = filter.symbol;
  out.error_class = filter.error_class;
  out.min_age_seconds = filter.min_age_seconds;
  out.limit = filter.limit;
  return out;
}

}  // namespace

ServeService::ServeService(std::map<std::string, DomainRuntime*> runtimes,
                           observe::MetricsRegistry& registry, observe::Sampler& sampler,
                           alarms::AlarmEvaluator& evaluator, observe::Logger& logger)
    : runtimes_(std::move(runtimes)),
      registry_(registry),
      sampler_(sampler),
      evaluator_(evaluator),
      logger_(logger),
      events_(
          eventRulesOf(runtimes_),
          [this](const std::string& domain, const pipeline::TriggerEvent& trigger) {
            return startDomainBatch(domain, trigger, /*dry_run=*/false);
          },
          logger) {}

std::vector<std::string> ServeService::domains() const {
  std::vector<std::string> names;
  for (const auto& [name, runtime] : runtimes_)
    names.push_back(name);
  return names;
}

core::Result<DomainRuntime*> ServeService::runtime(const std::string& domain) const {
  const auto found = runtimes_.find(domain);
  if (found == runtimes_.end()) {
    return core::makeError(core::ErrorCode::kNotFound, "unknown domain '" + domain + "'");
  }
  return found->second;
}

core::Result<server::BatchStarted> ServeService::startDomainBatch(
    const std::string& domain, const pipeline::TriggerEvent& trigger, bool dry_run) {
  auto rt = runtime(domain);
  if (!rt.ok())
    return rt.error();
  auto batch = prepareBatch(**rt, trigger);
  if (!batch.ok())
    return batch.error();
  server::BatchStarted reply;
  reply.domain = domain;
  reply.batch_id = batch->request.batch_id;
  reply.batch_ds = batch->request.batch_ds;
  reply.trigger_type = batch->request.trigger_type;
  if (dry_run) {
    auto plan = planBatch(**rt, *batch);
    if (!plan.ok())
      return plan.error();
    reply.symbols = static_cast<std::int64_t>(plan->symbols.size());
    reply.chunks = static_cast<std::int64_t>(plan->bodies.size());
    reply.up_to_date = plan->up_to_date;
    reply.rejected = symbolReasons(plan->rejected);
    reply.dry_run = true;
    reply.windows = batch->request.windows;
    return reply;
  }
  auto result = startBatch(**rt, *batch, logger_);
  if (!result.ok())
    return result.error();
  (*rt)
      ->metrics()
      .symbols(observe::SymbolOutcome::kRejected)
      .inc(static_cast<std::int64_t>(result->rejected.size()));
  reply.symbols = result->symbols;
  reply.chunks = result->chunks;
  reply.up_to_date = result->up_to_date;
  reply.published = result->published;
  reply.already_sent = result->already_sent;
  reply.rejected = symbolReasons(result->rejected);
  return reply;
}

core::Result<std::string> ServeService::startRun(const std::string& domain,
                                                 std::string_view trigger_json, bool dry_run) {
  auto trigger = pipeline::parseTriggerEvent(trigger_json.empty() ? "{}" : trigger_json);
  if (!trigger.ok())
    return trigger.error();
  if (!trigger->trigger_type)
    trigger->trigger_type = "manual";
  auto started = startDomainBatch(domain, *trigger, dry_run);
  if (!started.ok())
    return started.error();
  return server::toJson(*started);
}

core::Result<std::string> ServeService::acceptEvents(std::string_view body) {
  auto parsed = pipeline::parseIncomingEvents(body);
  if (!parsed.ok())
    return parsed.error();
  return server::toJson(events_.route(*parsed));
}

std::string ServeService::metricsText() {
  return registry_.render();
}

core::Result<server::DomainStatus> ServeService::domainStatus(
    const std::string& name, DomainRuntime& rt, const std::vector<alarms::AlarmStatus>& alarms) {
  server::DomainStatus domain;
  domain.domain = name;
  auto stats = rt.queue().stats();
  if (!stats.ok())
    return stats.error();
  domain.queue = {stats->visible, stats->in_flight, stats->delayed, stats->dead_letters,
                  stats->oldest_age_seconds};
  domain.counters = countersOf(rt.metrics());
  domain.source = sourceOf(rt.metrics());
  for (const auto& status : alarms) {
    if (status.domain == name)
      domain.alarms.push_back(alarmOf(status, *stats));
  }
  const auto& settings = rt.domain();
  if (!settings.schedule.empty()) {
    server::ScheduleView schedule{settings.schedule, settings.schedule_timezone, std::nullopt};
    if (scheduler_ != nullptr)
      schedule.next_fire = scheduler_->nextFire(name);
    domain.schedule = std::move(schedule);
  }
  auto batches = rt.tracker().recentSummaries(5, name);
  if (!batches.ok())
    return batches.error();
  for (const auto& batch : *batches) {
    domain.recent_batches.push_back(
        {batch.plan.batch_id, batch.plan.batch_ds, dashboardStatus(batch),
         batch.symbols_ok + batch.symbols_empty + batch.symbols_failed, batch.objects_written});
  }
  if (gaps_ != nullptr)
    domain.gaps = gaps_->view(name);
  return domain;
}

core::Result<std::string> ServeService::statusJson() {
  registry_.collect();
  const auto alarms = evaluator_.statuses();
  server::StatusDocument status;
  for (const auto& [name, rt] : runtimes_) {
    auto domain = domainStatus(name, *rt, alarms);
    if (!domain.ok())
      return domain.error();
    status.domains.push_back(std::move(domain).value());
  }
  status.generated_at = std::chrono::system_clock::now();
  return server::toJson(status);
}

core::Result<std::string> ServeService::timeseriesJson(const std::string& domain) {
  if (auto rt = runtime(domain); !rt.ok())
    return rt.error();
  return sampler_.toJson(domain);
}

core::Result<ServeService::BatchDetails> ServeService::batchDetails(
    DomainRuntime& runtime, const tracker::BatchSummary& summary) {
  {
    std::lock_guard lock(details_mutex_);
    const auto found = details_.find(summary.plan.batch_id);
    if (found != details_.end() && found->second.revision == summary.revision) {
      return found->second;
    }
  }
  // Reading a batch's chunk results is the expensive part: done once per change of the batch.
  auto snapshot = runtime.tracker().snapshot(summary.plan.batch_id);
  if (!snapshot.ok())
    return snapshot.error();
  auto figures = figuresOf(*snapshot);
  BatchDetails details;
  details.revision = summary.revision;
  details.failed_total = static_cast<std::int64_t>(figures.failed.size());
  if (figures.failed.size() > kMaxFailedShown)
    figures.failed.resize(kMaxFailedShown);
  details.failed_symbols = std::move(figures.failed);
  details.days.assign(figures.days.begin(), figures.days.end());
  std::lock_guard lock(details_mutex_);
  if (details_.size() > 64)
    details_.clear();  // a bounded cache: recent batches only
  details_[summary.plan.batch_id] = details;
  return details;
}

core::Result<std::string> ServeService::batchesJson(const std::string& domain, int limit) {
  auto rt = runtime(domain);
  if (!rt.ok())
    return rt.error();
  auto batches = (*rt)->tracker().recentSummaries(limit, domain);
  if (!batches.ok())
    return batches.error();
  server::BatchesDocument document;
  document.domain = domain;
  for (const auto& batch : *batches) {
    auto details = batchDetails(**rt, batch);
    if (!details.ok())
      return details.error();
    server::BatchView view;
    if (finalized(batch)) {
      std::vector<std::string> days = details->days;
      if (days.empty())
        days.push_back(batch.plan.batch_ds);
      for (const auto& day : days) {
        view.manifest_keys.push_back(
            lake::manifestKey({batch.plan.domain, batch.plan.table_name, batch.plan.interval,
                               batch.plan.data_source, day}));
      }
    }
    view.batch_id = batch.plan.batch_id;
    view.batch_ds = batch.plan.batch_ds;
    view.status = dashboardStatus(batch);
    view.trigger_type = batch.plan.trigger_type;
    view.created_at = batch.registered_at;
    view.finished_at = batch.completed_at;
    view.symbols = batch.symbols_ok + batch.symbols_empty + batch.symbols_failed;
    view.chunks = batch.plan.total_chunks;
    view.chunks_done = batch.chunks_recorded;
    view.objects_written = batch.objects_written;
    view.objects_skipped = batch.objects_skipped;
    view.failed_symbols = std::move(details->failed_symbols);
    view.failed_symbols_total = details->failed_total;
    document.batches.push_back(std::move(view));
  }
  return server::toJson(document);
}

core::Result<std::string> ServeService::lakeJson(const std::string& domain) {
  auto rt = runtime(domain);
  if (!rt.ok())
    return rt.error();
  auto days = (*rt)->tracker().partitionStats(domain, 60);
  if (!days.ok())
    return days.error();
  server::LakeDocument lake;
  lake.domain = domain;
  for (auto it = days->rbegin(); it != days->rend(); ++it)
    lake.partitions.push_back({it->day, it->objects, it->bytes});
  return server::toJson(lake);
}

core::Result<std::string> ServeService::deadLettersJson(const std::string& domain,
                                                        const DeadLetterFilter& filter) {
  auto rt = runtime(domain);
  if (!rt.ok())
    return rt.error();
  auto letters = pipeline::findDeadLetters((*rt)->queue(), (*rt)->tracker(),
                                           toPipelineFilter(filter), (*rt)->clock().now());
  if (!letters.ok())
    return letters.error();
  server::DeadLettersDocument document;
  document.domain = domain;
  for (const auto& l : *letters) {
    document.messages.push_back({l.message_id, l.receive_count, l.sent_at, l.dead_lettered_at,
                                 l.age_seconds, l.batch_id, l.chunk_index, l.symbols, l.error_class,
                                 l.reason});
  }
  return server::toJson(document);
}

core::Result<std::string> ServeService::redriveDeadLetters(const std::string& domain,
                                                           const DeadLetterFilter& filter,
                                                           bool dry_run) {
  auto rt = runtime(domain);
  if (!rt.ok())
    return rt.error();
  auto letters = pipeline::findDeadLetters((*rt)->queue(), (*rt)->tracker(),
                                           toPipelineFilter(filter), (*rt)->clock().now());
  if (!letters.ok())
    return letters.error();
  server::RedriveResult result;
  result.message_ids = pipeline::messageIds(*letters);
  result.matched = static_cast<std::int64_t>(result.message_ids.size());
  result.dry_run = dry_run;
  if (!dry_run && !result.message_ids.empty()) {
    auto moved = (*rt)->queue().redrive(result.message_ids);
    if (!moved.ok())
      return moved.error();
    result.redriven = *moved;
    logger_.info("dlq_redriven", {{"domain", domain}, {"messages", *moved}});
  }
  return server::toJson(result);
}

}  // namespace rawfeed::app
