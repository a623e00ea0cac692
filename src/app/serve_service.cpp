#include "app/serve_service.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/batch_starter.h"
#include "core/time_format.h"
#include "lake/raw_key.h"
#include "pipeline/dead_letters.h"
#include "pipeline/incoming_events.h"

namespace rawfeed::app {

namespace {

using nlohmann::ordered_json;

ordered_json orNull(std::optional<double> value) {
  if (!value || std::isnan(*value))
    return nullptr;
  return *value;
}

ordered_json rejectedJson(const std::vector<universe::RejectedSymbol>& rejected) {
  ordered_json list = ordered_json::array();
  for (const auto& r : rejected)
    list.push_back({{"symbol", r.symbol}, {"reason", r.reason}});
  return list;
}

struct BatchFigures {
  std::int64_t symbols = 0, objects_written = 0, objects_skipped = 0, bytes = 0;
  std::set<std::string> days;
  ordered_json failed = ordered_json::array();
};

BatchFigures figuresOf(const tracker::BatchSnapshot& batch) {
  BatchFigures figures;
  for (const auto& chunk : batch.chunks) {
    figures.symbols += static_cast<std::int64_t>(chunk.ok_symbols.size() +
                                                 chunk.empty_symbols.size() + chunk.failed.size());
    for (const auto& object : chunk.objects) {
      (object.written ? figures.objects_written : figures.objects_skipped) += 1;
      if (object.written)
        figures.bytes += object.bytes;
      figures.days.insert(object.day);
    }
    for (const auto& failure : chunk.failed) {
      figures.failed.push_back(
          {{"symbol", failure.symbol}, {"reason", failure.outcome + ": " + failure.reason}});
    }
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

}  // namespace

ServeService::ServeService(const config::Config& config,
                           std::map<std::string, DomainRuntime*> runtimes,
                           observe::MetricsRegistry& registry, observe::Sampler& sampler,
                           alarms::AlarmEvaluator& evaluator, observe::Logger& logger)
    : config_(config),
      runtimes_(std::move(runtimes)),
      registry_(registry),
      sampler_(sampler),
      evaluator_(evaluator),
      logger_(logger) {}

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

core::Result<std::string> ServeService::startBatchJson(const std::string& domain,
                                                       const pipeline::TriggerEvent& trigger,
                                                       bool dry_run) {
  auto rt = runtime(domain);
  if (!rt.ok())
    return rt.error();
  auto batch = prepareBatch(**rt, trigger);
  if (!batch.ok())
    return batch.error();
  ordered_json reply;
  reply["domain"] = domain;
  reply["batch_id"] = batch->request.batch_id;
  reply["batch_ds"] = batch->request.batch_ds;
  reply["trigger_type"] = batch->request.trigger_type;
  if (dry_run) {
    auto plan = planBatch(**rt, *batch);
    if (!plan.ok())
      return plan.error();
    reply["symbols"] = plan->symbols.size();
    reply["chunks"] = plan->bodies.size();
    reply["published"] = 0;
    reply["rejected"] = rejectedJson(plan->rejected);
    ordered_json windows = ordered_json::array();
    for (const auto& [start, end] : batch->request.windows) {
      windows.push_back({{"start", start}, {"end", end}});
    }
    reply["windows"] = std::move(windows);
    reply["dry_run"] = true;
    return reply.dump();
  }
  auto result = startBatch(**rt, *batch, logger_);
  if (!result.ok())
    return result.error();
  (*rt)
      ->metrics()
      .symbols(observe::SymbolOutcome::kRejected)
      .inc(static_cast<std::int64_t>(result->rejected.size()));
  reply["symbols"] = result->symbols;
  reply["chunks"] = result->chunks;
  reply["published"] = result->published;
  reply["already_sent"] = result->already_sent;
  reply["rejected"] = rejectedJson(result->rejected);
  return reply.dump();
}

core::Result<std::string> ServeService::startRun(const std::string& domain,
                                                 std::string_view trigger_json, bool dry_run) {
  auto trigger = pipeline::parseTriggerEvent(trigger_json.empty() ? "{}" : trigger_json);
  if (!trigger.ok())
    return trigger.error();
  if (!trigger->trigger_type)
    trigger->trigger_type = "manual";
  return startBatchJson(domain, *trigger, dry_run);
}

core::Result<std::string> ServeService::acceptEvents(std::string_view body) {
  auto parsed = pipeline::parseIncomingEvents(body);
  if (!parsed.ok())
    return parsed.error();
  const std::vector<pipeline::IncomingEvent>& entries = *parsed;

  ordered_json results = ordered_json::array();
  for (std::size_t index = 0; index < entries.size(); ++index) {
    const pipeline::IncomingEvent& entry = entries[index];
    auto reject = [&](const std::string& why, const std::string& domain = "") {
      ordered_json result = {{"index", index}, {"error", why}};
      if (!domain.empty())
        result["domain"] = domain;
      results.push_back(std::move(result));
      logger_.warn("event_rejected", {{"index", static_cast<std::int64_t>(index)},
                                      {"source", entry.source},
                                      {"detail_type", entry.detail_type},
                                      {"error", why}});
    };
    if (!entry.error.empty()) {
      reject(entry.error);
      continue;
    }
    std::vector<std::string> matched;
    for (const auto& [name, rt] : runtimes_) {
      for (const auto& rule : rt->domain().event_rules) {
        if ((rule.source.empty() || rule.source == entry.source) &&
            (rule.detail_type.empty() || rule.detail_type == entry.detail_type)) {
          matched.push_back(name);
          break;
        }
      }
    }
    if (matched.empty()) {
      reject("no domain has a rule for source '" + entry.source + "' and detail-type '" +
             entry.detail_type + "'");
      continue;
    }
    auto trigger = pipeline::parseEventDetail(entry.detail);
    if (!trigger.ok()) {
      reject(trigger.error().message);
      continue;
    }
    if (!trigger->symbols || trigger->symbols->empty()) {
      reject("the event's detail has no 'symbols' to collect");
      continue;
    }
    trigger->trigger_type = "event";
    for (const auto& domain : matched) {
      pipeline::TriggerEvent for_domain = *trigger;
      for_domain.domain.reset();  // the rule chose the domain
      auto started = startBatchJson(domain, for_domain, /*dry_run=*/false);
      if (!started.ok()) {
        reject(started.error().message, domain);
        continue;
      }
      auto reply = ordered_json::parse(*started);
      results.push_back({{"index", index},
                         {"domain", domain},
                         {"batch_id", reply["batch_id"]},
                         {"symbols", reply["symbols"]},
                         {"chunks", reply["chunks"]}});
    }
  }
  return ordered_json{{"entries", std::move(results)}}.dump();
}

std::string ServeService::metricsText() {
  return registry_.render();
}

core::Result<std::string> ServeService::statusJson() {
  registry_.collect();
  const auto statuses = evaluator_.statuses();
  ordered_json domains = ordered_json::array();
  for (const auto& [name, rt] : runtimes_) {
    ordered_json domain;
    domain["domain"] = name;
    auto stats = rt->queue().stats();
    if (!stats.ok())
      return stats.error();
    domain["queue"] = {{"visible", stats->visible},
                       {"in_flight", stats->in_flight},
                       {"delayed", stats->delayed},
                       {"dlq", stats->dead_letters},
                       {"oldest_age_seconds", orNull(stats->oldest_age_seconds)}};
    const auto& m = rt->metrics();
    using observe::SymbolOutcome;
    std::int64_t failed = 0;
    for (auto outcome :
         {SymbolOutcome::kNotFound, SymbolOutcome::kBadRequest, SymbolOutcome::kThrottled,
          SymbolOutcome::kTransient, SymbolOutcome::kWriteFailed, SymbolOutcome::kBlocked}) {
      failed += m.symbols(outcome).value();
    }
    domain["counters"] = {{"symbols_ok_total", m.symbols(SymbolOutcome::kOk).value()},
                          {"symbols_empty_total", m.symbols(SymbolOutcome::kEmpty).value()},
                          {"symbols_failed_total", failed},
                          {"objects_written_total", m.objects_written.value()},
                          {"objects_skipped_total", m.objects_skipped.value()},
                          {"bytes_written_total", m.bytes_written.value()},
                          {"records_total", m.records.value()},
                          {"worker_deliveries_total", m.worker_deliveries.value()},
                          {"worker_errors_total", m.worker_errors.value()},
                          {"messages_dead_lettered_total", m.messages_dead_lettered.value()}};
    // The governor in front of the source host (as of the last metrics collection).
    domain["source"] = {{"rate", m.source_rate.value()},
                        {"in_flight_limit", m.source_in_flight_limit.value()},
                        {"pause_remaining_seconds", m.source_pause_seconds.value()},
                        {"paused_for_seconds", m.source_paused_for_seconds.value()},
                        {"fleet_members", m.source_fleet_members.value()},
                        {"requests_total", m.source_requests.value()},
                        {"refused_total", m.source_refused.value()},
                        {"pauses_total", m.source_pauses.value()}};
    ordered_json alarm_list = ordered_json::array();
    for (const auto& status : statuses) {
      if (status.domain != name)
        continue;
      const auto& d = status.definition;
      alarm_list.push_back({{"name", d.name},
                            {"state", alarms::alarmStateName(status.state)},
                            {"value", orNull(alarmValue(d, *stats))},
                            {"threshold", d.threshold},
                            {"comparison", alarms::comparisonSymbol(d.comparison)},
                            {"period_seconds", d.period.count() * d.evaluation_periods},
                            {"reason", status.reason},
                            {"since", core::formatIsoUtc(status.since)}});
    }
    domain["alarms"] = std::move(alarm_list);
    const auto& settings = rt->domain();
    if (settings.schedule.empty()) {
      domain["schedule"] = nullptr;
    } else {
      std::optional<core::SystemTime> next;
      if (scheduler_ != nullptr)
        next = scheduler_->nextFire(name);
      domain["schedule"] = {
          {"expression", settings.schedule},
          {"time_zone", settings.schedule_timezone},
          {"next_fire", next ? ordered_json(core::formatIsoUtc(*next)) : ordered_json(nullptr)}};
    }
    auto batches = rt->tracker().recentSummaries(5, name);
    if (!batches.ok())
      return batches.error();
    ordered_json recent = ordered_json::array();
    for (const auto& batch : *batches) {
      recent.push_back({{"batch_id", batch.plan.batch_id},
                        {"batch_ds", batch.plan.batch_ds},
                        {"status", dashboardStatus(batch)},
                        {"symbols", batch.symbols_ok + batch.symbols_empty + batch.symbols_failed},
                        {"objects_written", batch.objects_written}});
    }
    domain["recent_batches"] = std::move(recent);
    domains.push_back(std::move(domain));
  }
  return ordered_json{{"generated_at", core::formatIsoUtc(std::chrono::system_clock::now())},
                      {"domains", std::move(domains)}}
      .dump();
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
  const auto figures = figuresOf(*snapshot);
  BatchDetails details;
  details.revision = summary.revision;
  details.failed_symbols =
      figures.failed.size() > kMaxFailedShown
          ? ordered_json(std::vector<ordered_json>(figures.failed.begin(),
                                                   figures.failed.begin() + kMaxFailedShown))
                .dump()
          : figures.failed.dump();
  details.failed_total = static_cast<std::int64_t>(figures.failed.size());
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
  ordered_json list = ordered_json::array();
  for (const auto& batch : *batches) {
    auto details = batchDetails(**rt, batch);
    if (!details.ok())
      return details.error();
    ordered_json manifests = ordered_json::array();
    if (finalized(batch)) {
      std::vector<std::string> days = details->days;
      if (days.empty())
        days.push_back(batch.plan.batch_ds);
      for (const auto& day : days) {
        manifests.push_back(lake::manifestKey({batch.plan.domain, batch.plan.table_name,
                                               batch.plan.interval, batch.plan.data_source, day}));
      }
    }
    list.push_back(
        {{"batch_id", batch.plan.batch_id},
         {"batch_ds", batch.plan.batch_ds},
         {"status", dashboardStatus(batch)},
         {"trigger_type", batch.plan.trigger_type},
         {"created_at", core::formatIsoUtc(batch.registered_at)},
         {"finished_at", batch.completed_at ? ordered_json(core::formatIsoUtc(*batch.completed_at))
                                            : ordered_json(nullptr)},
         {"symbols", batch.symbols_ok + batch.symbols_empty + batch.symbols_failed},
         {"chunks", batch.plan.total_chunks},
         {"chunks_done", batch.chunks_recorded},
         {"objects_written", batch.objects_written},
         {"objects_skipped", batch.objects_skipped},
         {"manifest_keys", std::move(manifests)},
         {"failed_symbols", ordered_json::parse(details->failed_symbols)},
         {"failed_symbols_total", details->failed_total}});
  }
  return ordered_json{{"domain", domain}, {"batches", std::move(list)}}.dump();
}

core::Result<std::string> ServeService::lakeJson(const std::string& domain) {
  auto rt = runtime(domain);
  if (!rt.ok())
    return rt.error();
  auto days = (*rt)->tracker().partitionStats(domain, 60);
  if (!days.ok())
    return days.error();
  ordered_json partitions = ordered_json::array();
  for (auto it = days->rbegin(); it != days->rend(); ++it) {
    partitions.push_back({{"ds", it->day}, {"objects", it->objects}, {"bytes", it->bytes}});
  }
  return ordered_json{{"domain", domain}, {"partitions", std::move(partitions)}}.dump();
}

namespace {

pipeline::DeadLetterFilter toPipelineFilter(const server::Service::DeadLetterFilter& filter) {
  pipeline::DeadLetterFilter out;
  out.symbol = filter.symbol;
  out.error_class = filter.error_class;
  out.min_age_seconds = filter.min_age_seconds;
  out.limit = filter.limit;
  return out;
}

}  // namespace

core::Result<std::string> ServeService::deadLettersJson(const std::string& domain,
                                                        const DeadLetterFilter& filter) {
  auto rt = runtime(domain);
  if (!rt.ok())
    return rt.error();
  auto letters = pipeline::findDeadLetters((*rt)->queue(), (*rt)->tracker(),
                                           toPipelineFilter(filter), (*rt)->clock().now());
  if (!letters.ok())
    return letters.error();
  ordered_json messages = ordered_json::array();
  for (const auto& l : *letters) {
    messages.push_back({{"message_id", l.message_id},
                        {"receive_count", l.receive_count},
                        {"sent_at", core::formatIsoUtc(l.sent_at)},
                        {"dead_lettered_at", core::formatIsoUtc(l.dead_lettered_at)},
                        {"age_seconds", l.age_seconds},
                        {"batch_id", l.batch_id},
                        {"chunk_index", l.chunk_index},
                        {"symbols", l.symbols},
                        {"error_class", l.error_class},
                        {"reason", l.reason}});
  }
  return ordered_json{{"domain", domain}, {"messages", std::move(messages)}}.dump();
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
  const auto ids = pipeline::messageIds(*letters);
  int redriven = 0;
  if (!dry_run && !ids.empty()) {
    auto moved = (*rt)->queue().redrive(ids);
    if (!moved.ok())
      return moved.error();
    redriven = *moved;
    logger_.info("dlq_redriven", {{"domain", domain}, {"messages", redriven}});
  }
  return ordered_json{
      {"matched", ids.size()}, {"redriven", redriven}, {"dry_run", dry_run}, {"message_ids", ids}}
      .dump();
}

}  // namespace rawfeed::app
