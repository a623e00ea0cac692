#include "config/section_readers.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "config/table_reader.h"
#include "core/arn.h"

namespace rawfeed::config {

void readQueue(const toml::table& table, const std::string& path, const std::string& file,
               QueueSettings& queue, std::vector<std::string>& errors) {
  TableReader reader(table, path, file, errors);
  reader.readDuration("visibility_timeout_seconds", queue.visibility_timeout, 1, 43200);
  reader.read("max_receives", queue.max_receives, 1, 1000);
  reader.readDuration("retention_seconds", queue.retention, 60, 1209600);
  reader.readDuration("dlq_retention_seconds", queue.dlq_retention, 60, 1209600);
  reader.readDuration("max_throttled_seconds", queue.max_throttled, 60, 14 * 86400);
}

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace rawfeed::config
