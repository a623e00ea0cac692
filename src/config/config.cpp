#include "config/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>

#include "core/arn.h"
#include "schedule/schedule.h"
#include "sources/source_registry.h"
#include "universe/symbol.h"

namespace rawfeed::config {

namespace {

constexpr std::array kIntervals = {"1m", "2m", "5m", "15m", "30m", "60m", "90m",
                                   "1h", "1d", "5d", "1wk", "1mo", "3mo"};
constexpr std::array kPeriods = {"1d", "5d", "1mo", "3mo", "6mo", "1y",
                                 "2y", "5y", "10y", "ytd", "max"};

// Reads one TOML table into typed fields, collecting every error and every unknown key.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, std::string file,
              std::vector<std::string>& errors)
      : table_(table), path_(std::move(path)), file_(std::move(file)), errors_(errors) {}

  ~TableReader() {
    for (const auto& [key, node] : table_) {
      if (!known_.count(std::string(key.str()))) {
        error(std::string(key.str()), "unknown key", &node);
      }
    }
  }

  void error(const std::string& key, const std::string& rule, const toml::node* node = nullptr) {
    if (node != nullptr && node->source().begin) {
      errors_.push_back(
          fmt::format("{}:{}: {}: {}", file_, node->source().begin.line, qualified(key), rule));
    } else {
      errors_.push_back(fmt::format("{}: {}: {}", file_, qualified(key), rule));
    }
  }

  std::string qualified(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  void read(const char* key, std::string& out) {
    if (const auto* node = take(key)) {
      if (auto value = node->value<std::string>()) {
        out = *value;
      } else {
        error(key, "must be a string", node);
      }
    }
  }

  void read(const char* key, bool& out) {
    if (const auto* node = take(key)) {
      if (auto value = node->value<bool>()) {
        out = *value;
      } else {
        error(key, "must be true or false", node);
      }
    }
  }

  void read(const char* key, int& out, long min, long max) {
    if (const auto* node = take(key)) {
      auto value = node->is_integer() ? node->value<std::int64_t>() : std::nullopt;
      if (!value) {
        error(key, "must be an integer", node);
      } else if (*value < min || *value > max) {
        error(key,
              "must be between " + std::to_string(min) + " and " + std::to_string(max) + " (got " +
                  std::to_string(*value) + ")",
              node);
      } else {
        out = static_cast<int>(*value);
      }
    }
  }

  void read(const char* key, double& out, double min, double max) {
    if (const auto* node = take(key)) {
      auto value = node->is_number() ? node->value<double>() : std::nullopt;
      if (!value) {
        error(key, "must be a number", node);
      } else if (!(*value >= min && *value <= max)) {
        error(key, fmt::format("must be between {} and {} (got {})", min, max, *value), node);
      } else {
        out = *value;
      }
    }
  }

  template <class Duration>
  void readDuration(const char* key, Duration& out, long min, long max) {
    int value = -1;
    read(key, value, min, max);
    if (value >= 0 && has(key))
      out = Duration(value);
  }

  void readPath(const char* key, std::filesystem::path& out, const std::filesystem::path& base) {
    std::string text;
    read(key, text);
    if (!text.empty())
      out = resolve(text, base);
  }

  void readStrings(const char* key, std::vector<std::string>& out) {
    if (const auto* node = take(key)) {
      const auto* array = node->as_array();
      if (array == nullptr) {
        error(key, "must be an array of strings", node);
        return;
      }
      out.clear();
      for (std::size_t i = 0; i < array->size(); ++i) {
        if (auto value = (*array)[i].value<std::string>()) {
          out.push_back(*value);
        } else {
          error(key, "element " + std::to_string(i) + " must be a string", node);
        }
      }
    }
  }

  const toml::table* subTable(const char* key) {
    if (const auto* node = take(key)) {
      if (const auto* table = node->as_table())
        return table;
      error(key, "must be a table", node);
    }
    return nullptr;
  }

  bool has(const char* key) const { return table_.contains(key); }
  void markKnown(const char* key) { known_.insert(key); }

  static std::filesystem::path resolve(const std::string& text, const std::filesystem::path& base) {
    std::filesystem::path path(text);
    return path.is_absolute() ? path : (base / path).lexically_normal();
  }

 private:
  const toml::node* take(const char* key) {
    known_.insert(key);
    return table_.get(key);
  }

  const toml::table& table_;
  std::string path_;
  std::string file_;
  std::vector<std::string>& errors_;
  std::set<std::string> known_;
};

void readQueue(const toml::table& table, const std::string& path, const std::string& file,
               QueueSettings& queue, std::vector<std::string>& errors) {
  TableReader reader(table, path, file, errors);
  reader.readDuration("visibility_timeout_seconds", queue.visibility_timeout, 1, 43200);
  reader.read("max_receives", queue.max_receives, 1, 1000);
  reader.readDuration("retention_seconds", queue.retention, 60, 1209600);
  reader.readDuration("dlq_retention_seconds", queue.dlq_retention, 60, 1209600);
  reader.readDuration("max_throttled_seconds", queue.max_throttled, 60, 14 * 86400);
}

void readSourceLimits(const toml::table& table, const std::string& path, const std::string& file,
                      SourceLimits& limits, std::vector<std::string>& errors) {
  TableReader reader(table, path, file, errors);
  reader.read("adaptive", limits.adaptive);
  reader.read("initial_rate", limits.initial_rate, 0.001, 1e6);
  reader.read("max_rate", limits.max_rate, 0, 1e6);
  reader.read("min_rate", limits.min_rate, 0.001, 1e6);
  reader.read("initial_in_flight", limits.initial_in_flight, 1, 1024);
  if (reader.has("max_in_flight")) {
    int max_in_flight = 0;
    reader.read("max_in_flight", max_in_flight, 1, 1024);
    if (max_in_flight > 0)
      limits.max_in_flight = max_in_flight;
  }
  reader.readDuration("pause_min_seconds", limits.pause_min, 1, 86400);
  reader.readDuration("pause_max_seconds", limits.pause_max, 1, 7 * 86400);
  reader.readDuration("probe_after_seconds", limits.probe_after, 1, 7 * 86400);
  reader.readDuration("max_wait_seconds", limits.max_wait, 0, 43200);
  reader.read("fleet", limits.fleet);
  if (reader.has("sync_interval_ms")) {
    int ms = 0;
    reader.read("sync_interval_ms", ms, 100, 600000);
    if (ms > 0)
      limits.sync_interval = std::chrono::milliseconds(ms);
  }
  if (limits.fleet != "auto" && limits.fleet != "state" && limits.fleet != "lake" &&
      limits.fleet != "none") {
    reader.error("fleet", "must be auto, state, lake or none (got '" + limits.fleet + "')");
  }
  if (limits.pause_max < limits.pause_min)
    reader.error("pause_max_seconds", "must not be below pause_min_seconds");
  if (limits.max_rate > 0 && limits.initial_rate > limits.max_rate)
    reader.error("initial_rate", "must not exceed max_rate");
  if (limits.max_rate > 0 && limits.min_rate > limits.max_rate)
    reader.error("min_rate", "must not exceed max_rate");
  if (limits.max_in_flight && limits.initial_in_flight > *limits.max_in_flight)
    reader.error("initial_in_flight", "must not exceed max_in_flight");
}

void readSource(const toml::table& table, const std::string& path, const std::string& file,
                SourceSettings& source, std::vector<std::string>& errors) {
  TableReader reader(table, path, file, errors);
  reader.read("base_url", source.base_url);
  reader.readDuration("timeout_ms", source.timeout, 100, 600000);
  reader.read("max_retries", source.max_retries, 0, 5);
  reader.read("user_agent", source.user_agent);
  reader.read("session", source.session);
  reader.read("cookie_url", source.cookie_url);
  reader.read("crumb_url", source.crumb_url);
  if (const auto* limits = reader.subTable("limits"))
    readSourceLimits(*limits, reader.qualified("limits"), file, source.limits, errors);
  for (auto [key, url] : {std::pair<const char*, const std::string*>{"base_url", &source.base_url},
                          {"cookie_url", &source.cookie_url},
                          {"crumb_url", &source.crumb_url}}) {
    if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0)
      reader.error(key, "must start with http:// or https:// (got '" + *url + "')");
  }
  if (source.session != "auto" && source.session != "always" && source.session != "never")
    reader.error("session", "must be auto, always or never (got '" + source.session + "')");
}

void readAlarm(const toml::table& table, const std::string& path, const std::string& file,
               AlarmSettings& alarm, std::vector<std::string>& errors) {
  TableReader reader(table, path, file, errors);
  reader.read("enabled", alarm.enabled);
  if (const auto* node = table.get("threshold")) {
    if (auto value = node->value<double>()) {
      alarm.threshold = *value;
    } else {
      reader.error("threshold", "must be a number", node);
    }
  }
  reader.markKnown("threshold");
  reader.read("period_seconds", alarm.period_seconds, 10, 86400);
  reader.read("evaluation_periods", alarm.evaluation_periods, 1, 100);
  if (reader.has("datapoints_to_alarm")) {
    int datapoints = 0;
    reader.read("datapoints_to_alarm", datapoints, 1, 100);
    if (datapoints > alarm.evaluation_periods) {
      reader.error("datapoints_to_alarm", "must not exceed evaluation_periods");
    } else if (datapoints > 0) {
      alarm.datapoints_to_alarm = datapoints;
    }
  }
  if (reader.has("treat_missing_data")) {
    std::string missing;
    reader.read("treat_missing_data", missing);
    if (missing != "missing" && missing != "notBreaching" && missing != "breaching" &&
        missing != "ignore") {
      reader.error("treat_missing_data",
                   "must be missing, notBreaching, breaching or ignore (got '" + missing + "')");
    } else {
      alarm.treat_missing_data = missing;
    }
  }
}

void readAlarms(const toml::table& table, const std::string& path, const std::string& file,
                AlarmsConfig& alarms, std::vector<std::string>& errors) {
  TableReader reader(table, path, file, errors);
  reader.read("webhook_url", alarms.webhook_url);
  reader.read("command", alarms.command);
  for (auto [key, alarm] : std::initializer_list<std::pair<const char*, AlarmSettings*>>{
           {"queue_depth", &alarms.queue_depth},
           {"oldest_message_age", &alarms.oldest_message_age},
           {"worker_errors", &alarms.worker_errors},
           {"source_paused", &alarms.source_paused}}) {
    if (const auto* sub = reader.subTable(key)) {
      readAlarm(*sub, reader.qualified(key), file, *alarm, errors);
    }
  }
  if (!alarms.webhook_url.empty() && alarms.webhook_url.rfind("http://", 0) != 0 &&
      alarms.webhook_url.rfind("https://", 0) != 0) {
    reader.error("webhook_url", "must start with http:// or https://");
  }
}

void readEventRules(const toml::node& node, const std::string& path, const std::string& file,
                    std::vector<EventRule>& rules, std::vector<std::string>& errors) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    errors.push_back(fmt::format("{}: {}: must be an array of tables ([[...]])", file, path));
    return;
  }
  rules.clear();
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto* table = (*array)[i].as_table();
    const std::string at = fmt::format("{}[{}]", path, i);
    if (table == nullptr) {
      errors.push_back(fmt::format("{}: {}: must be a table", file, at));
      continue;
    }
    EventRule rule;
    TableReader reader(*table, at, file, errors);
    reader.read("source", rule.source);
    reader.read("detail_type", rule.detail_type);
    if (rule.source.empty() && rule.detail_type.empty()) {
      reader.error("source", "a rule needs a source, a detail_type or both");
    }
    rules.push_back(std::move(rule));
  }
}

bool isArnOf(const std::string& arn, std::string_view service) {
  const auto parsed = core::parseArn(arn);
  return parsed && parsed->service == service;
}

void readOptionalInt(TableReader& reader, const char* key, std::optional<int>& out, long min,
                     long max) {
  if (!reader.has(key)) {
    reader.markKnown(key);
    return;
  }
  int value = static_cast<int>(min) - 1;
  reader.read(key, value, min, max);
  if (value >= min)
    out = value;
}

// [defaults.aws] / [domains.NAME.aws]: what `rawfeed deploy aws` puts in the stack.
void readAws(const toml::table& table, const std::string& path, const std::string& file,
             AwsDeploySettings& aws, std::vector<std::string>& errors) {
  TableReader reader(table, path, file, errors);
  reader.read("create_bucket", aws.create_bucket);
  reader.read("bucket_versioning", aws.bucket_versioning);
  reader.read("kms_key_arn", aws.kms_key_arn);
  readOptionalInt(reader, "orchestrator_reserved_concurrency",
                  aws.orchestrator_reserved_concurrency, 1, 10000);
  readOptionalInt(reader, "worker_reserved_concurrency", aws.worker_reserved_concurrency, 1, 10000);
  readOptionalInt(reader, "batch_size", aws.batch_size, 1, 10000);
  reader.read("batching_window_seconds", aws.batching_window_seconds, 0, 300);
  readOptionalInt(reader, "maximum_concurrency", aws.maximum_concurrency, 2, 1000);
  reader.read("log_retention_days", aws.log_retention_days, 1, 3653);
  reader.read("schedule_flexible_window_minutes", aws.schedule_flexible_window_minutes, 0, 1440);
  reader.read("schedule_retry_attempts", aws.schedule_retry_attempts, 0, 185);
  reader.read("schedule_max_event_age_seconds", aws.schedule_max_event_age_seconds, 60, 86400);
  reader.read("event_bus", aws.event_bus);
  reader.read("transform_target_arn", aws.transform_target_arn);
  reader.read("completion_rule", aws.completion_rule);
  reader.read("alarm_topic_arn", aws.alarm_topic_arn);
  reader.read("vpc_id", aws.vpc_id);
  reader.readStrings("subnet_ids", aws.subnet_ids);
  reader.readStrings("security_group_ids", aws.security_group_ids);
  reader.readStrings("route_table_ids", aws.route_table_ids);
  reader.read("vpc_endpoints", aws.vpc_endpoints);
  reader.read("code_bucket", aws.code_bucket);
  reader.read("code_key", aws.code_key);
  reader.read("config_location", aws.config_location);
  reader.read("name_prefix", aws.name_prefix);

  constexpr std::array kRetentionDays = {1,    3,    5,    7,    14,   30,  60,  90,
                                         120,  150,  180,  365,  400,  545, 731, 1096,
                                         1827, 2192, 2557, 2922, 3288, 3653};
  if (std::find(kRetentionDays.begin(), kRetentionDays.end(), aws.log_retention_days) ==
      kRetentionDays.end()) {
    reader.error("log_retention_days",
                 fmt::format("{} is not a CloudWatch Logs retention (one of 1 3 5 7 14 30 60 90 "
                             "120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653)",
                             aws.log_retention_days));
  }
  if (!aws.kms_key_arn.empty() &&
      (!isArnOf(aws.kms_key_arn, "kms") || aws.kms_key_arn.find(":key/") == std::string::npos)) {
    reader.error("kms_key_arn",
                 "must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID; an "
                 "alias cannot be granted in IAM), got '" +
                     aws.kms_key_arn + "'");
  }
  if (!aws.transform_target_arn.empty() &&
      !(isArnOf(aws.transform_target_arn, "lambda") || isArnOf(aws.transform_target_arn, "sqs") ||
        isArnOf(aws.transform_target_arn, "states") ||
        isArnOf(aws.transform_target_arn, "events") || isArnOf(aws.transform_target_arn, "sns"))) {
    reader.error("transform_target_arn",
                 "must be the ARN of a Lambda function, SQS queue, SNS topic, Step Functions "
                 "state machine or event bus, got '" +
                     aws.transform_target_arn + "'");
  }
  if (aws.completion_rule != "event" && aws.completion_rule != "manifest" &&
      aws.completion_rule != "both") {
    reader.error("completion_rule",
                 "must be event, manifest or both (got '" + aws.completion_rule + "')");
  }
  if (!aws.alarm_topic_arn.empty() && !isArnOf(aws.alarm_topic_arn, "sns")) {
    reader.error("alarm_topic_arn", "must be an SNS topic ARN, got '" + aws.alarm_topic_arn + "'");
  }
  const bool any_vpc =
      !aws.vpc_id.empty() || !aws.subnet_ids.empty() || !aws.security_group_ids.empty();
  if (any_vpc && (aws.vpc_id.empty() || aws.subnet_ids.empty() || aws.security_group_ids.empty())) {
    reader.error("vpc_id", "a VPC needs vpc_id, subnet_ids and security_group_ids together");
  }
  if (!aws.route_table_ids.empty() && aws.vpc_id.empty()) {
    reader.error("route_table_ids", "only with vpc_id");
  }
  if (aws.code_bucket.empty() != aws.code_key.empty()) {
    reader.error("code_bucket",
                 "code_bucket and code_key go together (or neither: the stack "
                 "then takes them as parameters)");
  }
  const bool prefix_ok = aws.name_prefix.size() <= 40 &&
                         std::all_of(aws.name_prefix.begin(), aws.name_prefix.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                  (c >= '0' && c <= '9') || c == '-' || c == '_';
                         });
  if (!prefix_ok) {
    reader.error("name_prefix", "must be at most 40 characters of A-Z a-z 0-9 - _ (got '" +
                                    aws.name_prefix + "')");
  }
  const bool bus_ok =
      aws.event_bus.empty() || (aws.event_bus.size() <= 256 &&
                                std::all_of(aws.event_bus.begin(), aws.event_bus.end(), [](char c) {
                                  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                                }));
  if (!bus_ok) {
    reader.error("event_bus",
                 "must be an event bus name (A-Z a-z 0-9 . - _), got '" + aws.event_bus + "'");
  }
  if (aws.config_location.empty()) {
    reader.error("config_location", "must name the config in the package or an s3:// URI");
  }
}

// Applies one table ([defaults] or [domains.NAME]) over `domain`.
void readDomainTable(const toml::table& table, const std::string& path, const std::string& file,
                     const std::filesystem::path& base, DomainConfig& domain,
                     std::vector<std::string>& errors) {
  TableReader reader(table, path, file, errors);
  reader.read("data_source", domain.data_source);
  reader.read("data_type", domain.data_type);
  reader.read("table_name", domain.table_name);
  if (reader.has("symbols"))
    domain.universe_file.clear();
  reader.readStrings("symbols", domain.symbols);
  if (reader.has("universe"))
    domain.symbols.clear();
  reader.readPath("universe", domain.universe_file, base);
  reader.read("period", domain.period);
  reader.read("interval", domain.interval);
  reader.read("file_format", domain.file_format);
  reader.read("gzip", domain.gzip);
  reader.read("chunk_size", domain.chunk_size, 1, 100);
  reader.read("send_batch_size", domain.send_batch_size, 1, 10);
  reader.read("worker_concurrency", domain.worker_concurrency, 1, 256);
  reader.readDuration("worker_timeout_seconds", domain.worker_timeout, 1, 900);
  reader.read("messages_per_delivery", domain.messages_per_delivery, 1, 10);
  reader.read("requests_in_flight", domain.requests_in_flight, 1, 1024);
  reader.read("lake_writers", domain.lake_writers, 1, 256);
  std::string lake;
  reader.read("lake", lake);
  if (!lake.empty()) {
    domain.lake =
        lake.find("://") != std::string::npos ? lake : TableReader::resolve(lake, base).string();
  }
  reader.readPath("state_dir", domain.state_dir, base);
  reader.read("queue_uri", domain.queue_uri);
  reader.read("tracker", domain.tracker);
  reader.read("events", domain.events.uri);
  reader.read("events_source", domain.events.source);
  reader.read("events_token_env", domain.events.token_env);
  reader.read("batch_timezone", domain.batch_timezone);
  reader.read("schedule", domain.schedule);
  reader.read("schedule_timezone", domain.schedule_timezone);
  reader.readDuration("misfire_grace_seconds", domain.misfire_grace, 0, 7 * 86400);
  if (reader.has("event_rules")) {
    readEventRules(*table.get("event_rules"), reader.qualified("event_rules"), file,
                   domain.event_rules, errors);
    reader.markKnown("event_rules");
  }
  if (const auto* alarms = reader.subTable("alarms")) {
    readAlarms(*alarms, reader.qualified("alarms"), file, domain.alarms, errors);
  }
  if (const auto* queue = reader.subTable("queue")) {
    readQueue(*queue, reader.qualified("queue"), file, domain.queue, errors);
  }
  if (const auto* source = reader.subTable("source")) {
    readSource(*source, reader.qualified("source"), file, domain.source, errors);
  }
  if (const auto* aws = reader.subTable("aws")) {
    readAws(*aws, reader.qualified("aws"), file, domain.aws, errors);
  }
}

void readServer(const toml::table& table, const std::string& file,
                const std::filesystem::path& base, ServerConfig& server,
                std::vector<std::string>& errors) {
  TableReader reader(table, "server", file, errors);
  reader.read("bind", server.bind);
  reader.read("port", server.port, 0, 65535);
  reader.read("token_env", server.token_env);
  reader.readPath("token_file", server.token_file, base);
  int max_body = static_cast<int>(server.max_body_bytes);
  reader.read("max_body_bytes", max_body, 1024, 64 << 20);
  server.max_body_bytes = static_cast<std::size_t>(max_body);
  reader.read("sample_interval_seconds", server.sample_interval_seconds, 1, 3600);
  reader.readDuration("request_head_timeout_seconds", server.request_head_timeout, 1, 600);
  reader.readDuration("request_body_timeout_seconds", server.request_body_timeout, 1, 3600);
  reader.read("max_connections", server.max_connections, 1, 65536);
  reader.read("max_connections_per_client", server.max_connections_per_client, 1, 65536);
  if (server.max_connections_per_client > server.max_connections) {
    reader.error("max_connections_per_client",
                 fmt::format("must not exceed max_connections ({}, got {})", server.max_connections,
                             server.max_connections_per_client),
                 table.get("max_connections_per_client"));
  }
}

bool isValidDomainName(const std::string& name) {
  if (name.empty() || name.size() > 64)
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool isEnvironmentName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9'))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The typed sink from the `events` text, keeping the other events_* keys read beside it.
void validateEvents(EventsSettings& events, const std::string& at,
                    std::vector<std::string>& errors) {
  const std::string source = events.source;
  const std::string token_env = events.token_env;
  auto parsed = parseEventsUri(events.uri);
  if (!parsed.ok()) {
    errors.push_back(at + "events: " + parsed.error().message);
    return;
  }
  events = std::move(parsed).value();
  events.source = source;
  events.token_env = token_env;
  if (events.source.empty() || events.source.size() > 256 || events.source.rfind("aws.", 0) == 0) {
    errors.push_back(at +
                     "events_source: must be 1-256 characters and not start with 'aws.' "
                     "(EventBridge keeps those for AWS services; got '" +
                     events.source + "')");
  }
  if (!events.token_env.empty()) {
    if (events.kind != EventsKind::kWebhook) {
      errors.push_back(at +
                       "events_token_env: only a webhook (events = \"https://...\") sends "
                       "a bearer token");
    } else if (!isEnvironmentName(events.token_env)) {
      errors.push_back(at + "events_token_env: '" + events.token_env +
                       "' is not an environment variable name (letters, digits, _)");
    }
  }
}

void validateDomain(DomainConfig& domain, const std::string& file,
                    std::vector<std::string>& errors) {
  const std::string at = file + ": domains." + domain.name + ".";
  if (!isValidDomainName(domain.name)) {
    errors.push_back(file + ": domains." + domain.name +
                     ": a domain name is 1-64 characters of a-z 0-9 - _");
  }
  const auto source = sources::sourceNamed(domain.data_source);
  if (!source.ok()) {
    errors.push_back(at + "data_source: " + source.error().message);
  } else if (isKnownInterval(domain.interval) && !(*source)->supportsInterval(domain.interval)) {
    errors.push_back(at + "interval: " + domain.data_source + " does not serve interval '" +
                     domain.interval + "'");
  }
  if (domain.data_type != "prices") {
    errors.push_back(at + "data_type: unknown dataset '" + domain.data_type + "' of " +
                     domain.data_source + " (known: prices)");
  }
  for (const auto* segment : {&domain.table_name}) {
    if (segment->empty() || segment->find('/') != std::string::npos) {
      errors.push_back(at + "table_name: must be a non-empty name without '/'");
    }
  }
  if (!isKnownPeriod(domain.period)) {
    errors.push_back(at + "period: unknown period '" + domain.period +
                     "' (one of 1d 5d 1mo 3mo 6mo 1y 2y 5y 10y ytd max)");
  }
  if (!isKnownInterval(domain.interval)) {
    errors.push_back(at + "interval: unknown interval '" + domain.interval +
                     "' (one of 1m 2m 5m 15m 30m 60m 90m 1h 1d 5d 1wk 1mo 3mo)");
  }
  if (!isKnownFormat(domain.file_format)) {
    errors.push_back(at + "file_format: must be json or csv (got '" + domain.file_format + "')");
  }
  if (domain.symbols.empty() && domain.universe_file.empty()) {
    errors.push_back(at + "universe: a domain needs `symbols = [...]` or `universe = \"FILE\"`");
  }
  for (const auto& symbol : domain.symbols) {
    if (auto normalized = universe::normalizeSymbol(symbol); !normalized.ok()) {
      errors.push_back(at + "symbols: '" + symbol + "': " + normalized.error().message);
    }
  }
  const std::string& q = domain.queue_uri;
  if (q != "sqlite" && q.rfind("sqlite://", 0) != 0 && q.rfind("sqs://", 0) != 0 &&
      q.rfind("https://", 0) != 0 && q.rfind("http://", 0) != 0) {
    errors.push_back(at + "queue_uri: '" + q +
                     "' is not a queue (sqlite, sqlite:///path, sqs://NAME or an SQS queue URL)");
  }
  if (domain.tracker != "auto" && domain.tracker != "sqlite" && domain.tracker != "lake") {
    errors.push_back(at + "tracker: must be auto, sqlite or lake (got '" + domain.tracker + "')");
  }
  validateEvents(domain.events, at, errors);
  if (!domain.schedule.empty()) {
    if (auto parsed = schedule::Schedule::parse(domain.schedule, domain.schedule_timezone);
        !parsed.ok()) {
      errors.push_back(at + "schedule: " + parsed.error().message);
    }
  }
  if (domain.queue.visibility_timeout.count() == 0) {
    domain.queue.visibility_timeout = domain.worker_timeout * 6;
  } else if (domain.queue.visibility_timeout < domain.worker_timeout) {
    errors.push_back(at +
                     "queue.visibility_timeout_seconds: must be at least "
                     "worker_timeout_seconds, or a message is delivered twice while a "
                     "worker still holds it");
  }
}

}  // namespace

bool isKnownInterval(std::string_view interval) {
  return std::find(kIntervals.begin(), kIntervals.end(), interval) != kIntervals.end();
}

bool isKnownPeriod(std::string_view period) {
  return std::find(kPeriods.begin(), kPeriods.end(), period) != kPeriods.end();
}

bool isKnownFormat(std::string_view format) {
  return format == "json" || format == "csv";
}

namespace {

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

core::Error eventsError(std::string_view uri, const std::string& rule) {
  return core::makeError(core::ErrorCode::kInvalidInput, fmt::format("'{}': {}", uri, rule));
}

// SQS's own hosts: sqs.REGION.amazonaws.com(.cn) and the legacy queue.amazonaws.com.
bool isSqsHost(std::string_view host) {
  if (host == "queue.amazonaws.com")
    return true;
  return startsWith(host, "sqs.") &&
         (endsWith(host, ".amazonaws.com") || endsWith(host, ".amazonaws.com.cn"));
}

bool isBusName(std::string_view name) {
  if (name.empty() || name.size() > 256)
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == '/';
  });
}

bool isQueueName(std::string_view name) {
  std::string_view base = endsWith(name, ".fifo") ? name.substr(0, name.size() - 5) : name;
  if (base.empty() || name.size() > 80)
    return false;
  return std::all_of(base.begin(), base.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

}  // namespace

core::Result<EventsSettings> parseEventsUri(std::string_view uri) {
  EventsSettings settings;
  settings.uri = std::string(uri);
  if (uri == "jsonl")
    return settings;
  if (startsWith(uri, "eventbridge://")) {
    settings.kind = EventsKind::kEventBridge;
    settings.address = std::string(uri.substr(14));
    const auto parsed_arn = core::parseArn(settings.address);
    const bool arn = parsed_arn && parsed_arn->service == "events" &&
                     parsed_arn->resource.rfind("event-bus/", 0) == 0;
    if (!arn && !isBusName(settings.address)) {
      return eventsError(uri,
                         "eventbridge://BUS needs an event bus name (1-256 characters of "
                         "A-Z a-z 0-9 . - _ /) or its ARN (arn:aws:events:REGION:ACCOUNT:"
                         "event-bus/NAME)");
    }
    return settings;
  }
  if (startsWith(uri, "sqs://")) {
    settings.kind = EventsKind::kSqs;
    settings.address = std::string(uri.substr(6));
    if (!isQueueName(settings.address)) {
      return eventsError(uri,
                         "sqs://NAME needs a queue name (1-80 characters of A-Z a-z 0-9 - _, "
                         "optionally ending in .fifo)");
    }
    return settings;
  }
  if (startsWith(uri, "https://") || startsWith(uri, "http://")) {
    const std::string_view rest = uri.substr(uri.find("://") + 3);
    const std::string_view host = rest.substr(0, rest.find_first_of("/:?#"));
    if (host.empty() || rest.find('@') < rest.find('/')) {
      return eventsError(uri, "a webhook or SQS URL needs a host (and no user:password@)");
    }
    settings.address = std::string(uri);
    settings.kind = isSqsHost(host) ? EventsKind::kSqs : EventsKind::kWebhook;
    return settings;
  }
  return eventsError(uri,
                     "not an event sink (jsonl, eventbridge://BUS, sqs://NAME, an SQS queue "
                     "URL, or an http(s):// webhook URL)");
}

const DomainConfig* Config::domain(const std::string& name) const {
  const auto found = domains.find(name);
  return found == domains.end() ? nullptr : &found->second;
}

core::Result<Config> parseConfig(std::string_view text, const std::filesystem::path& origin) {
  const std::string file = origin.string();
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << file << ":" << error.source().begin.line << ":" << error.source().begin.column
            << ": not valid TOML: " << error.description();
    return core::makeError(core::ErrorCode::kInvalidInput, message.str());
  }
  const std::filesystem::path base = origin.has_parent_path()
                                         ? std::filesystem::absolute(origin).parent_path()
                                         : std::filesystem::current_path();
  std::vector<std::string> errors;
  Config config;
  config.path = origin;
  const toml::table* defaults = nullptr;
  const toml::table* domains = nullptr;
  {
    TableReader reader(root, "", file, errors);
    reader.read("environment", config.environment);
    defaults = reader.subTable("defaults");
    domains = reader.subTable("domains");
    if (const auto* server = reader.subTable("server")) {
      readServer(*server, file, base, config.server, errors);
    }
  }
  DomainConfig base_domain;
  base_domain.state_dir = (base / "state").lexically_normal();
  base_domain.lake = (base / "lake").lexically_normal().string();
  if (defaults != nullptr)
    readDomainTable(*defaults, "defaults", file, base, base_domain, errors);
  if (domains == nullptr || domains->empty()) {
    errors.push_back(file + ": domains: no domain is configured (add a [domains.NAME] table)");
  } else {
    for (const auto& [name, node] : *domains) {
      DomainConfig domain = base_domain;
      domain.name = std::string(name.str());
      if (const auto* table = node.as_table()) {
        readDomainTable(*table, "domains." + domain.name, file, base, domain, errors);
      } else {
        errors.push_back(file + ": domains." + domain.name + ": must be a table");
        continue;
      }
      validateDomain(domain, file, errors);
      config.domains.emplace(domain.name, std::move(domain));
    }
  }
  if (!errors.empty()) {
    std::string message;
    for (const auto& error : errors)
      message += error + "\n";
    message.pop_back();
    return core::makeError(core::ErrorCode::kInvalidInput, message);
  }
  return config;
}

core::Result<Config> loadConfig(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::makeError(core::ErrorCode::kNotFound,
                           path.string() + ": the configuration file cannot be read");
  }
  std::ostringstream content;
  content << in.rdbuf();
  return parseConfig(content.str(), path);
}

}  // namespace rawfeed::config
