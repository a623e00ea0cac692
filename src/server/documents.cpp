#include "server/documents.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/time_format.h"

namespace rawfeed::server {

namespace {

using nlohmann::ordered_json;

ordered_json orNull(std::optional<double> value) {
  if (!value || std::isnan(*value))
    return nullptr;
  return *value;
}

ordered_json orNull(const std::optional<core::SystemTime>& time) {
  if (!time)
    return nullptr;
  return core::formatIsoUtc(*time);
}

ordered_json symbolReasons(const std::vector<SymbolReason>& list) {
  ordered_json out = ordered_json::array();
  for (const auto& entry : list)
    out.push_back({{"symbol", entry.symbol}, {"reason", entry.reason}});
  return out;
}

ordered_json statusOf(const DomainStatus& d) {
  ordered_json domain;
  domain["domain"] = d.domain;
  domain["queue"] = {{"visible", d.queue.visible},
                     {"in_flight", d.queue.in_flight},
                     {"delayed", d.queue.delayed},
                     {"dlq", d.queue.dlq},
                     {"oldest_age_seconds", orNull(d.queue.oldest_age_seconds)}};
  const auto& c = d.counters;
  domain["counters"] = {{"symbols_ok_total", c.symbols_ok_total},
                        {"symbols_empty_total", c.symbols_empty_total},
                        {"symbols_failed_total", c.symbols_failed_total},
                        {"objects_written_total", c.objects_written_total},
                        {"objects_skipped_total", c.objects_skipped_total},
                        {"bytes_written_total", c.bytes_written_total},
                        {"records_total", c.records_total},
                        {"worker_deliveries_total", c.worker_deliveries_total},
                        {"worker_errors_total", c.worker_errors_total},
                        {"messages_dead_lettered_total", c.messages_dead_lettered_total}};
  const auto& s = d.source;
  domain["source"] = {{"rate", s.rate},
                      {"in_flight_limit", s.in_flight_limit},
                      {"pause_remaining_seconds", s.pause_remaining_seconds},
                      {"paused_for_seconds", s.paused_for_seconds},
                      {"fleet_members", s.fleet_members},
                      {"requests_total", s.requests_total},
                      {"refused_total", s.refused_total},
                      {"pauses_total", s.pauses_total}};
  ordered_json alarms = ordered_json::array();
  for (const auto& a : d.alarms) {
    alarms.push_back({{"name", a.name},
                      {"state", a.state},
                      {"value", orNull(a.value)},
                      {"threshold", a.threshold},
                      {"comparison", a.comparison},
                      {"period_seconds", a.period_seconds},
                      {"reason", a.reason},
                      {"since", core::formatIsoUtc(a.since)}});
  }
  domain["alarms"] = std::move(alarms);
  if (d.schedule) {
    domain["schedule"] = {{"expression", d.schedule->expression},
                          {"time_zone", d.schedule->time_zone},
                          {"next_fire", orNull(d.schedule->next_fire)}};
  } else {
    domain["schedule"] = nullptr;
  }
  ordered_json recent = ordered_json::array();
  for (const auto& b : d.recent_batches) {
    recent.push_back({{"batch_id", b.batch_id},
                      {"batch_ds", b.batch_ds},
                      {"status", b.status},
                      {"symbols", b.symbols},
                      {"objects_written", b.objects_written}});
  }
  domain["recent_batches"] = std::move(recent);
  if (d.gaps) {
    const auto& g = *d.gaps;
    domain["gaps"] = {{"checked_at", orNull(g.checked_at)},
                      {"symbols", g.symbols},
                      {"symbols_with_gaps", g.symbols_with_gaps},
                      {"missing_days", g.missing_days},
                      {"never_landed", g.never_landed},
                      {"checking", g.checking},
                      {"error", g.error ? ordered_json(*g.error) : ordered_json(nullptr)},
                      {"refresh_seconds", g.refresh_seconds}};
  }
  return domain;
}

}  // namespace

std::string toJson(const BatchStarted& started) {
  ordered_json reply;
  reply["domain"] = started.domain;
  reply["batch_id"] = started.batch_id;
  reply["batch_ds"] = started.batch_ds;
  reply["trigger_type"] = started.trigger_type;
  if (started.correlation_id)
    reply["correlation_id"] = *started.correlation_id;
  reply["symbols"] = started.symbols;
  reply["chunks"] = started.chunks;
  reply["published"] = started.published;
  if (started.up_to_date > 0)
    reply["up_to_date"] = started.up_to_date;
  if (started.already_sent)
    reply["already_sent"] = *started.already_sent;
  if (started.existing_batch)
    reply["existing_batch"] = *started.existing_batch;
  reply["rejected"] = symbolReasons(started.rejected);
  if (started.seconds)
    reply["seconds"] = *started.seconds;
  if (started.dry_run) {
    ordered_json windows = ordered_json::array();
    for (const auto& [start, end] : started.windows)
      windows.push_back({{"start", start}, {"end", end}});
    reply["windows"] = std::move(windows);
    reply["dry_run"] = true;
  }
  return reply.dump();
}

std::string toJson(const std::vector<EventOutcome>& outcomes) {
  ordered_json entries = ordered_json::array();
  for (const auto& outcome : outcomes) {
    if (!outcome.error.empty()) {
      ordered_json entry = {{"index", outcome.index}, {"error", outcome.error}};
      if (!outcome.domain.empty())
        entry["domain"] = outcome.domain;
      entries.push_back(std::move(entry));
      continue;
    }
    entries.push_back({{"index", outcome.index},
                       {"domain", outcome.domain},
                       {"batch_id", outcome.batch_id},
                       {"symbols", outcome.symbols},
                       {"chunks", outcome.chunks}});
  }
  return ordered_json{{"entries", std::move(entries)}}.dump();
}

std::string toJson(const StatusDocument& status) {
  ordered_json domains = ordered_json::array();
  for (const auto& domain : status.domains)
    domains.push_back(statusOf(domain));
  return ordered_json{{"generated_at", core::formatIsoUtc(status.generated_at)},
                      {"domains", std::move(domains)}}
      .dump();
}

std::string toJson(const BatchesDocument& batches) {
  ordered_json list = ordered_json::array();
  for (const auto& b : batches.batches) {
    list.push_back({{"batch_id", b.batch_id},
                    {"batch_ds", b.batch_ds},
                    {"status", b.status},
                    {"trigger_type", b.trigger_type},
                    {"created_at", core::formatIsoUtc(b.created_at)},
                    {"finished_at", orNull(b.finished_at)},
                    {"symbols", b.symbols},
                    {"chunks", b.chunks},
                    {"chunks_done", b.chunks_done},
                    {"objects_written", b.objects_written},
                    {"objects_skipped", b.objects_skipped},
                    {"manifest_keys", b.manifest_keys},
                    {"failed_symbols", symbolReasons(b.failed_symbols)},
                    {"failed_symbols_total", b.failed_symbols_total}});
  }
  return ordered_json{{"domain", batches.domain}, {"batches", std::move(list)}}.dump();
}

std::string toJson(const LakeDocument& lake) {
  ordered_json partitions = ordered_json::array();
  for (const auto& p : lake.partitions)
    partitions.push_back({{"ds", p.ds}, {"objects", p.objects}, {"bytes", p.bytes}});
  return ordered_json{{"domain", lake.domain}, {"partitions", std::move(partitions)}}.dump();
}

std::string toJson(const DeadLettersDocument& letters) {
  ordered_json messages = ordered_json::array();
  for (const auto& l : letters.messages) {
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
  return ordered_json{{"domain", letters.domain}, {"messages", std::move(messages)}}.dump();
}

std::string toJson(const RedriveResult& redrive) {
  return ordered_json{{"matched", redrive.matched},
                      {"redriven", redrive.redriven},
                      {"dry_run", redrive.dry_run},
                      {"message_ids", redrive.message_ids}}
      .dump();
}

}  // namespace rawfeed::server
