// `rawfeed status` and `rawfeed dlq`: read-mostly views of a domain's queue, DLQ and batches.
#include <fmt/format.h>

#include <iostream>

#include "app/cli_overrides.h"
#include "app/commands.h"
#include "app/domain_runtime.h"
#include "core/time_format.h"
#include "events/outbox/outbox_event_sink.h"
#include "http/curl/curl_http_client.h"
#include "pipeline/dead_letters.h"

#include <nlohmann/json.hpp>

namespace rawfeed::app {

namespace {

struct Opened {
  std::unique_ptr<observe::MetricsRegistry> registry;
  std::unique_ptr<observe::Logger> logger;
  std::unique_ptr<DomainRuntime> runtime;
};

core::Result<std::vector<config::DomainConfig>> selectedDomains(const CommandOptions& options) {
  auto config = config::loadConfig(options.config_path);
  if (!config.ok())
    return config.error();
  std::vector<config::DomainConfig> domains;
  for (const auto& [name, domain] : config->domains) {
    if (!options.domain.empty() && name != options.domain)
      continue;
    domains.push_back(domain);
    if (auto applied = applyDomainOverrides(options, domains.back()); !applied.ok())
      return applied.error();
  }
  if (domains.empty()) {
    return core::makeError(
        core::ErrorCode::kInvalidInput,
        "unknown domain '" + options.domain + "' in " + options.config_path.string());
  }
  return domains;
}

core::Result<Opened> openDomain(const CommandOptions& options, const config::DomainConfig& domain) {
  auto config = config::loadConfig(options.config_path);
  if (!config.ok())
    return config.error();
  Opened opened;
  opened.logger = std::make_unique<observe::NullLogger>();
  opened.registry = std::make_unique<observe::MetricsRegistry>();
  auto runtime = DomainRuntime::open(*config, domain, *opened.logger, *opened.registry);
  if (!runtime.ok())
    return runtime.error();
  opened.runtime = std::move(runtime).value();
  return opened;
}

// "unknown" where the backend cannot tell (SQS: README, Metrics), never a figure made up.
std::string age(std::optional<double> seconds) {
  if (!seconds)
    return "unknown";
  return fmt::format("{:.0f}s", *seconds);
}

// The domain's recent batches; false (and the reason on stderr) when the tracker cannot be read.
bool printBatches(tracker::BatchTracker& tracker, const std::string& domain, int limit) {
  auto batches = tracker.recentSummaries(std::max(1, limit), domain);
  if (!batches.ok()) {
    std::cerr << "rawfeed: " << domain
              << ": recent batches cannot be read: " << batches.error().message << "\n";
    return false;
  }
  if (batches->empty())
    return true;
  std::cout << fmt::format("  {:<38} {:<10} {:<8} {:>9} {:>6} {:>6} {:>6} {:>8} {:>8}\n",
                           "recent batches", "ds", "state", "chunks", "ok", "empty", "failed",
                           "written", "skipped");
  for (const auto& batch : *batches) {
    std::cout << fmt::format("  {:<38} {:<10} {:<8} {:>4}/{:<4} {:>6} {:>6} {:>6} {:>8} {:>8}\n",
                             batch.plan.batch_id, batch.plan.batch_ds,
                             tracker::batchStateName(batch.state), batch.chunks_recorded,
                             batch.plan.total_chunks, batch.symbols_ok, batch.symbols_empty,
                             batch.symbols_failed, batch.objects_written, batch.objects_skipped);
  }
  return true;
}

}  // namespace

// The daemon's own view (alarms, counters, schedule), from GET /v1/status.
int daemonStatus(const CommandOptions& options) {
  http::curl::CurlHttpClient client;
  http::HttpRequest request;
  request.url = *options.daemon_url + "/v1/status";
  request.timeout = std::chrono::seconds(10);
  auto response = client.perform(request);
  if (!response.ok())
    return reportFailure(response.error());
  if (response->status != 200) {
    std::cerr << "rawfeed: " << request.url << " answered " << response->status << ": "
              << response->body << "\n";
    return kExitInternal;
  }
  auto document = nlohmann::json::parse(response->body, nullptr, false);
  if (document.is_discarded() || !document.contains("domains")) {
    std::cerr << "rawfeed: " << request.url << " did not answer a status document\n";
    return kExitInternal;
  }
  auto text = [](const nlohmann::json& value) {
    if (value.is_null())
      return std::string("-");
    if (value.is_string())
      return value.get<std::string>();
    if (value.is_number_float())
      return fmt::format("{:.0f}", value.get<double>());
    return value.dump();
  };
  std::cout << fmt::format("{:<20} {:>8} {:>9} {:>8} {:>6} {:>11} {:>10} {:>10} {:>8}\n", "domain",
                           "visible", "in_flight", "delayed", "dlq", "oldest_age", "symbols_ok",
                           "written", "errors");
  for (const auto& domain : document["domains"]) {
    if (!options.domain.empty() && domain.value("domain", "") != options.domain)
      continue;
    const auto& q = domain["queue"];
    const auto& c = domain["counters"];
    std::cout << fmt::format(
        "{:<20} {:>8} {:>9} {:>8} {:>6} {:>11} {:>10} {:>10} {:>8}\n", text(domain["domain"]),
        text(q["visible"]), text(q["in_flight"]), text(q["delayed"]), text(q["dlq"]),
        q["oldest_age_seconds"].is_null() ? std::string("unknown") : text(q["oldest_age_seconds"]),
        text(c["symbols_ok_total"]), text(c["objects_written_total"]),
        text(c["worker_errors_total"]));
    if (domain.contains("source") && domain["source"].is_object()) {
      const auto& s = domain["source"];
      const double pause = s.value("pause_remaining_seconds", 0.0);
      std::cout << fmt::format(
          "  source rate {:.2f}/s, {} in flight, {}, {} refused (429), {} fleet members\n",
          s.value("rate", 0.0), text(s["in_flight_limit"]),
          pause > 0 ? fmt::format("paused by source, {:.0f} s left", pause)
                    : std::string("not paused"),
          text(s["refused_total"]), text(s["fleet_members"]));
    }
    for (const auto& alarm : domain["alarms"]) {
      std::cout << fmt::format("  alarm {:<20} {:<18} value {} threshold {}\n", text(alarm["name"]),
                               text(alarm["state"]), text(alarm["value"]),
                               text(alarm["threshold"]));
    }
    if (domain.contains("schedule") && !domain["schedule"].is_null()) {
      const auto& schedule = domain["schedule"];
      std::cout << fmt::format("  schedule {} in {}, next fire {}\n", text(schedule["expression"]),
                               text(schedule["time_zone"]), text(schedule["next_fire"]));
    }
    for (const auto& batch : domain["recent_batches"]) {
      std::cout << fmt::format("  batch {:<38} {:<10} {:<9} {:>6} symbols {:>8} written\n",
                               text(batch["batch_id"]), text(batch["batch_ds"]),
                               text(batch["status"]), text(batch["symbols"]),
                               text(batch["objects_written"]));
    }
  }
  return kExitOk;
}

// What the fleet learned of the source host, from its record (read, not joined).
void printSourceRecord(const DomainRuntime& runtime) {
  auto record = runtime.sourceRecord();
  if (!record.ok()) {
    std::cout << fmt::format("  source {}: record unreadable: {}\n",
                             runtime.domain().source.base_url, record.error().describe());
    return;
  }
  if (!*record)
    return;
  const auto& r = **record;
  const auto now = std::chrono::system_clock::now();
  std::string pause = "not paused";
  if (r.paused_until > now) {
    pause = fmt::format("paused by its rate limit, {} s left",
                        std::chrono::ceil<std::chrono::seconds>(r.paused_until - now).count());
  }
  std::cout << fmt::format(
      "  source {}: learned rate {:.2f}/s{}, {} members, {}, {} refused (429) so far; record {}\n",
      runtime.domain().source.base_url, r.rate,
      r.ceiling > 0 ? fmt::format(" (throttled at {:.2f}/s)", r.ceiling) : std::string(),
      r.members.size(), pause, r.throttled, runtime.governorLocation());
}

int statusCommand(const CommandOptions& options) {
  if (options.daemon_url)
    return daemonStatus(options);
  auto domains = selectedDomains(options);
  if (!domains.ok())
    return reportFailure(domains.error());
  std::cout << fmt::format("{:<20} {:>8} {:>9} {:>8} {:>6} {:>11}  {}\n", "domain", "visible",
                           "in_flight", "delayed", "dlq", "oldest_age", "state");
  bool every_tracker_read = true;
  for (const auto& domain : *domains) {
    auto opened = openDomain(options, domain);
    if (!opened.ok())
      return reportFailure(opened.error());
    auto& runtime = *opened->runtime;
    auto stats = runtime.queue().stats();
    if (!stats.ok())
      return reportFailure(stats.error());
    std::cout << fmt::format("{:<20} {:>8} {:>9} {:>8} {:>6} {:>11}  {}\n", domain.name,
                             stats->visible, stats->in_flight, stats->delayed, stats->dead_letters,
                             age(stats->oldest_age_seconds), domain.state_dir.string());
    if (auto* outbox = runtime.eventOutbox()) {
      auto pending = outbox->pendingCount();
      if (!pending.ok())
        return reportFailure(pending.error());
      std::cout << fmt::format("  events to {}: {} pending delivery in {}{}\n", outbox->sinkName(),
                               *pending, outbox->location(),
                               *pending == 0                 ? ""
                               : outbox->sharedAcrossHosts() ? " (sent by the next rawfeed run, "
                                                               "work or serve on any host, or a "
                                                               "Lambda worker)"
                                                             : " (sent by the next rawfeed run, "
                                                               "work or serve)");
    }
    printSourceRecord(runtime);
    every_tracker_read &= printBatches(runtime.tracker(), domain.name, options.limit);
  }
  return every_tracker_read ? kExitOk : kExitInternal;
}

int dlqCommand(const CommandOptions& options, DlqAction action) {
  if (options.domain.empty()) {
    std::cerr << "rawfeed: dlq needs --domain\n";
    return kExitUsage;
  }
  auto domains = selectedDomains(options);
  if (!domains.ok())
    return reportFailure(domains.error());
  auto opened = openDomain(options, domains->front());
  if (!opened.ok())
    return reportFailure(opened.error());
  auto& runtime = *opened->runtime;
  pipeline::DeadLetterFilter filter;
  filter.symbol = options.dlq_symbol;
  filter.error_class = options.dlq_error_class;
  filter.min_age_seconds = options.dlq_min_age_seconds;
  filter.limit = 100000;
  auto letters =
      pipeline::findDeadLetters(runtime.queue(), runtime.tracker(), filter, runtime.clock().now());
  if (!letters.ok())
    return reportFailure(letters.error());
  if (options.dlq_message_id) {
    std::erase_if(*letters, [&](const auto& l) { return l.message_id != *options.dlq_message_id; });
    if (letters->empty()) {
      std::cerr << "rawfeed: no dead letter with id " << *options.dlq_message_id << "\n";
      return kExitUsage;
    }
  }
  switch (action) {
    case DlqAction::kList:
      std::cout << fmt::format("{:<38} {:>8} {:>9} {:<14} {:<38} {:>5}  {}\n", "message_id",
                               "receives", "age", "error_class", "batch_id", "chunk", "symbols");
      for (const auto& l : *letters) {
        std::string symbols;
        for (const auto& s : l.symbols)
          symbols += (symbols.empty() ? "" : ",") + s;
        std::cout << fmt::format("{:<38} {:>8} {:>8.0f}s {:<14} {:<38} {:>5}  {}\n", l.message_id,
                                 l.receive_count, l.age_seconds, l.error_class, l.batch_id,
                                 l.chunk_index, symbols);
      }
      std::cout << letters->size() << " dead letters\n";
      return kExitOk;
    case DlqAction::kShow:
      for (const auto& l : *letters) {
        std::cout << fmt::format(
            "message {}\n  sent {}  dead-lettered {}  receives {}\n  class {}: {}\n  body {}\n",
            l.message_id, core::formatIsoUtc(l.sent_at), core::formatIsoUtc(l.dead_lettered_at),
            l.receive_count, l.error_class, l.reason, l.body);
      }
      return kExitOk;
    case DlqAction::kRedrive:
    case DlqAction::kPurge: {
      const char* verb = action == DlqAction::kRedrive ? "redrive" : "purge";
      if (letters->empty()) {
        std::cout << "no dead letter matches; nothing to " << verb << "\n";
        return kExitOk;
      }
      if (options.dry_run) {
        std::cout << fmt::format("dry run: would {} {} messages\n", verb, letters->size());
        for (const auto& l : *letters)
          std::cout << "  " << l.message_id << "\n";
        return kExitOk;
      }
      const auto ids = pipeline::messageIds(*letters);
      auto moved = action == DlqAction::kRedrive ? runtime.queue().redrive(ids)
                                                 : runtime.queue().purgeDeadLetters(ids);
      if (!moved.ok())
        return reportFailure(moved.error());
      std::cout << fmt::format("{} {} messages\n",
                               action == DlqAction::kRedrive ? "redrove" : "purged", *moved);
      return kExitOk;
    }
  }
  return kExitOk;
}

}  // namespace rawfeed::app
