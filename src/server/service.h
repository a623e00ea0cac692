#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::server {

// What the HTTP API and the dashboard need from the running service; the composition root
// (app/) implements it over the domains' runtimes. Documents cross this boundary as JSON text so
// that no JSON or HTTP library type appears in an interface. Errors map to HTTP statuses:
// kInvalidInput → 400, kNotFound → 404, kUnauthenticated → 401, kThrottled → 429,
// kCancelled → 503 (shutting down), anything else → 500; the message goes into the JSON error.
// Thread-safe: the server calls it from many threads at once.
class Service {
 public:
  virtual ~Service() = default;

  virtual std::vector<std::string> domains() const = 0;

  // POST /v1/domains/{domain}/runs — body: a trigger event (contracts §1). Starts a batch (or,
  // with dry_run, only plans it) and returns {"domain","batch_id","batch_ds","symbols","chunks",
  // "published","rejected":[{"symbol","reason"}], "windows":[...] (dry run)}.
  virtual core::Result<std::string> startRun(const std::string& domain,
                                             std::string_view trigger_json, bool dry_run) = 0;

  // POST /v1/events — one EventBridge-shaped event or {"Entries":[...]} (PutEvents). Returns
  // {"entries":[{"index":0,"domain":"...","batch_id":"..."} | {"index":1,"error":"..."}]}.
  // Entries are judged one by one; a bad entry never stops the others.
  virtual core::Result<std::string> acceptEvents(std::string_view body) = 0;

  // GET /metrics — the Prometheus text exposition format (version 0.0.4).
  virtual std::string metricsText() = 0;

  // GET /v1/status — per domain: queue figures, DLQ depth, counters, alarm states, schedule
  // (next fire), recent batches (summaries). The dashboard reads exactly these fields (absent or
  // null ones show as "—"):
  // {"generated_at":"ISO 8601","domains":[{"domain":"customer-data",
  //   "queue":{"visible":N,"in_flight":N,"delayed":N,"dlq":N,"oldest_age_seconds":x|null},
  //   "counters":{"symbols_ok_total":N,"symbols_failed_total":N,"objects_written_total":N,
  //               "objects_skipped_total":N,"bytes_written_total":N,
  //               "messages_dead_lettered_total":N},
  //   "alarms":[{"name":"queue_depth"|"oldest_message_age"|"worker_errors"|"source_paused",
  //              "state":"OK"|"ALARM"|"INSUFFICIENT_DATA","value":x,"threshold":x,
  //              "period_seconds":300}],
  //   "schedule":{"expression","time_zone","next_fire":"ISO 8601"}|null,
  //   "recent_batches":[{"batch_id","batch_ds","status","symbols","objects_written",...}],
  //   "gaps":{"checked_at":"ISO 8601"|null,"symbols","symbols_with_gaps","missing_days",
  //           "never_landed","checking":bool,"error":"..."|null,"refresh_seconds"}}]}
  // (gaps: the lake audit of `rawfeed gaps`, as last checked in the background; asking for the
  // status starts a check when the last one is older than refresh_seconds.)
  virtual core::Result<std::string> statusJson() = 0;

  // GET /v1/domains/{domain}/timeseries — sampled figures over the last hour, for charts:
  // {"domain","interval_seconds","points":[{"t":unix_seconds,"visible":..,"in_flight":..,
  // "delayed":..,"dlq":..,"oldest_age_seconds":..,"symbols_ok":..,"errors":..,
  // "throughput_per_second":..,"latency_p50_seconds":..,"latency_p95_seconds":..}]}
  virtual core::Result<std::string> timeseriesJson(const std::string& domain) = 0;

  // GET /v1/domains/{domain}/batches?limit=N — recent batches with their manifest keys, counts
  // and failed symbols, newest first: {"domain","batches":[{"batch_id","batch_ds",
  // "status":"running"|"complete"|"partial","trigger_type","created_at","finished_at"|null,
  // "symbols","chunks","chunks_done","objects_written","objects_skipped","manifest_keys":[..],
  // "failed_symbols":[{"symbol","reason"}]}]}. limit is 1..1000 (default 20), checked by the
  // server.
  virtual core::Result<std::string> batchesJson(const std::string& domain, int limit) = 0;

  // GET /v1/domains/{domain}/lake — objects and bytes per partition day (recent batches):
  // {"domain","partitions":[{"ds":"YYYY-MM-DD","objects":N,"bytes":N}]}.
  virtual core::Result<std::string> lakeJson(const std::string& domain) = 0;

  struct DeadLetterFilter {
    std::optional<std::string> symbol;       // messages whose chunk holds this symbol
    std::optional<std::string> error_class;  // e.g. "poison", "transient", "throttled"
    std::optional<double> min_age_seconds;
    int limit = 100;
  };
  // GET /v1/domains/{domain}/dlq — {"messages":[{"message_id","receive_count","sent_at",
  // "dead_lettered_at","age_seconds","batch_id","chunk_index","symbols","error_class"}]}.
  virtual core::Result<std::string> deadLettersJson(const std::string& domain,
                                                    const DeadLetterFilter& filter) = 0;
  // POST /v1/domains/{domain}/dlq/redrive — same filters (as a JSON body) plus "dry_run";
  // returns {"matched":N,"redriven":N,"message_ids":[...]}.
  virtual core::Result<std::string> redriveDeadLetters(const std::string& domain,
                                                       const DeadLetterFilter& filter,
                                                       bool dry_run) = 0;
};

}  // namespace rawfeed::server
