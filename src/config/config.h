#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/locations.h"
#include "core/compression.h"
#include "core/result.h"

namespace rawfeed::config {

struct QueueSettings {
  std::chrono::seconds visibility_timeout{0};  // 0 in the file means: worker timeout × 6
  int max_receives = 5;                        // then the message moves to the DLQ
  std::chrono::seconds retention{4 * 24 * 3600};
  std::chrono::seconds dlq_retention{14 * 24 * 3600};
  // A chunk kept back only by the source's rate limit goes back to the queue as a fresh message
  // (its receives not spent) until it has been throttled this long; then it is dead-lettered.
  std::chrono::seconds max_throttled{24 * 3600};
};

// The governor in front of the source host ([source.limits]); see README "Rate limits" for the
// defaults and the evidence behind them. Rates are the whole fleet's (every process and Lambda
// invocation sharing the state directory or the lake).
struct SourceLimits {
  bool adaptive = true;
  double initial_rate = 2.0;  // requests/s before anything is learned
  double max_rate = 0;        // 0: no cap
  double min_rate = 0.05;
  int initial_in_flight = 4;           // yahoo-finance2's default concurrency
  std::optional<int> max_in_flight;    // default: the domain's requests_in_flight
  std::chrono::seconds pause_min{10};  // the first pause after a burst of 429s
  std::chrono::seconds pause_max{3600};
  std::chrono::seconds probe_after{600};  // below a learned ceiling this long before probing above
  // A fetch waits this long for a paused or slow source while its message stays in flight; past
  // it the chunk goes back to the queue, delayed by the pause, without spending a receive.
  std::chrono::seconds max_wait{120};
  // Where the learned limits are kept and shared: "auto" (the lake when the tracker is the lake,
  // else the state directory), "state", "lake" or "none" (this process alone, nothing kept).
  std::string fleet = "auto";
  std::optional<std::chrono::milliseconds> sync_interval;  // default 1 s (state), 5 s (lake)
};

struct SourceSettings {
  std::string base_url = "https://query2.finance.yahoo.com";
  std::chrono::milliseconds timeout{20000};
  int max_retries = 2;  // the design's "1–2 retries inside the worker"
  std::string user_agent =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/126.0 Safari/537.36";
  // Yahoo's cookie + crumb: "auto" (once a chart request is refused 401/403), "always", "never".
  std::string session = "auto";
  std::string cookie_url = "https://fc.yahoo.com";
  std::string crumb_url = "https://query1.finance.yahoo.com/v1/test/getcrumb";
  SourceLimits limits;
};

// A rule of the event-driven pattern: an event whose source and detail-type match starts an
// immediate run of the symbols in its detail. An empty field matches anything.
struct EventRule {
  std::string source;
  std::string detail_type;
};

// One alarm's evaluation (CloudWatch semantics): ALARM when `datapoints_to_alarm` of the last
// `evaluation_periods` periods breach `threshold`.
struct AlarmSettings {
  bool enabled = true;
  double threshold = 0;
  int period_seconds = 60;
  int evaluation_periods = 5;
  // Unset: the alarm's own default (N = M, missing data "missing"; for worker errors 1 of M
  // with missing data not breaching — "investigate at once").
  std::optional<int> datapoints_to_alarm;
  std::optional<std::string> treat_missing_data;  // missing | notBreaching | breaching | ignore
};

inline AlarmSettings withThreshold(double threshold) {
  AlarmSettings settings;
  settings.threshold = threshold;
  return settings;
}

struct AlarmsConfig {
  AlarmSettings queue_depth = withThreshold(100);
  AlarmSettings oldest_message_age = withThreshold(300);
  AlarmSettings worker_errors = withThreshold(1);
  // Seconds the source has refused us without a break; one period over it is enough.
  AlarmSettings source_paused = [] {
    AlarmSettings settings = withThreshold(900);
    settings.evaluation_periods = 1;
    return settings;
  }();
  std::string webhook_url;  // POSTed on every state change
  std::string command;      // run with /bin/sh -c on every state change
};

// How `rawfeed deploy aws` builds the domain's CloudFormation stack ([defaults.aws] merged under
// [domains.NAME.aws]). Nothing here changes a local run.
struct AwsDeploySettings {
  bool create_bucket = false;      // false: the lake's bucket exists and is referenced
  bool bucket_versioning = false;  // only for a bucket the stack creates
  std::string kms_key_arn;         // SSE-KMS for queue, DLQ and a created bucket; empty: SSE-SQS/S3
  std::optional<int> orchestrator_reserved_concurrency;
  std::optional<int> worker_reserved_concurrency;
  std::optional<int> batch_size;    // the event source mapping's; default messages_per_delivery
  int batching_window_seconds = 0;  // MaximumBatchingWindowInSeconds
  std::optional<int> maximum_concurrency;    // ScalingConfig.MaximumConcurrency (2-1000)
  int log_retention_days = 30;               // one of CloudWatch Logs' values
  int schedule_flexible_window_minutes = 0;  // 0: the schedule fires on time
  int schedule_retry_attempts = 2;
  int schedule_max_event_age_seconds = 3600;
  // The completion-event bus when the domain's `events` is "jsonl" (the local log means nothing
  // in Lambda); empty: "default". The `events` key decides the sink: a bus here that contradicts
  // it is an error (deploy/stack_plan.cpp).
  std::string event_bus;
  std::string transform_target_arn;       // the Transform stage's target of the completion rule
  std::string completion_rule = "event";  // event | manifest | both
  std::string alarm_topic_arn;            // SNS topic for alarm and OK actions; empty: none
  std::string vpc_id;                     // with subnet_ids and security_group_ids
  std::vector<std::string> subnet_ids;
  std::vector<std::string> security_group_ids;
  std::vector<std::string> route_table_ids;  // for the S3 gateway endpoint
  bool vpc_endpoints = true;                 // interface/gateway endpoints when in a VPC
  std::string code_bucket;  // the zip of `rawfeed package`; empty: template parameters
  std::string code_key;
  std::string config_location = "rawfeed.toml";  // RAWFEED_CONFIG of the functions
  std::string name_prefix;  // functions, queues, roles; empty: "rawfeed-<domain>"
};

// Where a domain's completion events (contracts §7) are delivered. Every event is first appended
// to the local log ({state_dir}/events/completion.jsonl), which is also the outbox a remote
// sink is delivered from, so a sink that is down delays an event but never loses it.
enum class EventsKind { kJsonl, kEventBridge, kSqs, kWebhook };

struct EventsSettings {
  EventsKind kind = EventsKind::kJsonl;
  std::string uri = "jsonl";  // as written: jsonl, eventbridge://BUS, sqs://NAME, a URL
  // The bus name or ARN, the queue name or URL, or the webhook URL.
  std::string address;
  std::string source = "rawfeed";  // EventBridge: the entries' Source
  std::string token_env;           // webhook: the bearer token comes from this variable
};

// "jsonl", "eventbridge://BUS" (a bus name or ARN), "sqs://NAME" or an SQS queue URL
// (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME), or any other http(s):// URL (a webhook).
// kInvalidInput naming the rule broken.
core::Result<EventsSettings> parseEventsUri(std::string_view uri);

// One domain's settings, the [defaults] table merged under its own [domains.NAME] table.
struct DomainConfig {
  std::string name;
  std::string data_source = "yahoo_finance";
  std::string data_type = "prices";
  std::string table_name = "prices";
  // The second table of the domain: the source's corporate actions (dividends, splits, capital
  // gains), one object per symbol and day, keyed like the bars under this name. `corporate_actions
  // = false` writes none (the source's actions are then dropped).
  bool corporate_actions = true;
  std::string corporate_actions_table = "corporate_actions";
  std::vector<std::string> symbols;     // inline universe; or
  std::filesystem::path universe_file;  // a file (resolved against the config's folder)
  std::string period = "1mo";
  // `fetch`: "incremental" (the default) asks each symbol only for the days after its watermark
  // — nothing at all when the lake holds every session that has closed — whenever a batch names
  // no dates or period of its own; "period" always fetches the whole `period`.
  std::string fetch = "incremental";
  std::string interval = "1d";
  std::string file_format = "json";
  // `compression` ("none", "gzip", "zstd"; the older `gzip = true` means "gzip") and its level,
  // within core::compressionLevels (gzip 0-9, zstd 1-19). A table that picks a codec without a
  // level gets the codec's default (gzip 6, zstd 3).
  core::Compression compression = core::Compression::kNone;
  int compression_level = 0;
  int chunk_size = 5;
  int send_batch_size = 10;
  QueueSettings queue;
  int worker_concurrency = 4;  // deliveries handled at once by one process
  std::chrono::seconds worker_timeout{120};
  int messages_per_delivery = 10;
  int requests_in_flight = 16;  // to each source host, shared by all workers of a process
  int lake_writers = 8;         // durable lake writes in flight at once, shared by all workers
  SourceSettings source;
  // `lake`: a directory, file:// URI or s3://bucket/prefix.
  LakeLocation lake;
  // `queue_uri`: "sqlite" (the embedded one in state_dir), "sqlite:///path/to.db", "sqs://NAME"
  // or an SQS queue URL.
  QueueLocation queue_location;
  // `tracker`: "sqlite" (state_dir/tracker.db: workers share that directory), "lake" (objects
  // under _rawfeed/ in the lake: workers on many hosts), or "auto": the lake when it is shared.
  TrackerKind tracker = TrackerKind::kAuto;
  // Where completion events go besides the local log.
  EventsSettings events;
  std::filesystem::path state_dir = "state";  // queues, tracker, events, logs
  std::string batch_timezone = "Asia/Seoul";  // batch_ds defaults to today here
  // Scheduled pattern: EventBridge cron(...)/rate(...) or 5-field cron; empty: no schedule.
  std::string schedule;
  std::string schedule_timezone = "Asia/Seoul";
  std::chrono::seconds misfire_grace{3600};  // a fire missed while down runs at start if younger
  std::vector<EventRule> event_rules;
  AlarmsConfig alarms;
  AwsDeploySettings aws;
};

// `rawfeed serve`'s HTTP server.
struct ServerConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string token_env = "RAWFEED_TOKEN";  // the bearer token comes from this variable, or
  std::filesystem::path token_file;         // from this file (first line)
  std::size_t max_body_bytes = 1 << 20;
  int sample_interval_seconds = 10;  // dashboard time series and alarm datapoints
  // Totals, not per read, so a client trickling bytes cannot hold a connection past them.
  std::chrono::seconds request_head_timeout{10};
  std::chrono::seconds request_body_timeout{30};
  int max_connections = 512;
  int max_connections_per_client = 8;  // at most max_connections
};

struct Config {
  std::filesystem::path path;  // the file it came from
  std::string environment = "local";
  std::map<std::string, DomainConfig> domains;
  ServerConfig server;

  const DomainConfig* domain(const std::string& name) const;
};

// Parses and validates TOML text; `origin` names the file in errors and anchors relative paths.
// On failure the error message lists every problem, one per line.
core::Result<Config> parseConfig(std::string_view text, const std::filesystem::path& origin);
core::Result<Config> loadConfig(const std::filesystem::path& path);

// Shared by the config and trigger validation so both speak of the same sets.
bool isKnownInterval(std::string_view interval);
bool isKnownPeriod(std::string_view period);
bool isKnownFormat(std::string_view format);

}  // namespace rawfeed::config
