#include "config/config.h"

#include <gtest/gtest.h>

#include <vector>

#include <utility>

#include <string>

namespace rawfeed::config {
namespace {

const char* kMinimal = R"(
[domains.customer-data]
symbols = ["AAPL", "MSFT"]
)";

TEST(ConfigTest, DefaultsFollowTheDesign) {
  auto config = parseConfig(kMinimal, "/etc/rawfeed/rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const DomainConfig* domain = config->domain("customer-data");
  ASSERT_NE(domain, nullptr);
  EXPECT_EQ(domain->chunk_size, 5);
  EXPECT_EQ(domain->send_batch_size, 10);
  EXPECT_EQ(domain->queue.max_receives, 5);
  EXPECT_EQ(domain->queue.visibility_timeout, domain->worker_timeout * 6);
  EXPECT_EQ(domain->queue.dlq_retention, std::chrono::hours(24 * 14));
  EXPECT_EQ(domain->period, "1mo");
  EXPECT_EQ(domain->interval, "1d");
  EXPECT_EQ(domain->file_format, "json");
  EXPECT_EQ(domain->state_dir, std::filesystem::path("/etc/rawfeed/state"));
  EXPECT_EQ(domain->lake.address, "/etc/rawfeed/lake");
  EXPECT_EQ(domain->queue_location.backend, kSqliteQueue);
  EXPECT_EQ(domain->tracker, TrackerKind::kAuto);
}

TEST(ConfigTest, DomainOverridesDefaultsAndPathsResolveAgainstTheFile) {
  auto config = parseConfig(R"(
environment = "prod"
[defaults]
gzip = true
chunk_size = 7
lake = "file:///srv/lake"
[defaults.queue]
max_receives = 3
[domains.a]
universe = "u/a.txt"
chunk_size = 2
worker_timeout_seconds = 10
[domains.b]
symbols = ["X"]
[domains.b.queue]
visibility_timeout_seconds = 900
)",
                            "/cfg/rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->environment, "prod");
  const auto& a = *config->domain("a");
  EXPECT_EQ(a.compression, core::Compression::kGzip);
  EXPECT_EQ(a.compression_level, 6);
  EXPECT_EQ(a.chunk_size, 2);
  EXPECT_EQ(a.universe_file, std::filesystem::path("/cfg/u/a.txt"));
  EXPECT_EQ(a.queue.max_receives, 3);
  EXPECT_EQ(a.queue.visibility_timeout, std::chrono::seconds(60));
  EXPECT_EQ(a.lake.backend, kLocalLake);
  EXPECT_EQ(a.lake.address, "/srv/lake");
  EXPECT_EQ(a.lake.uri, "file:///srv/lake");
  const auto& b = *config->domain("b");
  EXPECT_EQ(b.chunk_size, 7);
  EXPECT_EQ(b.queue.visibility_timeout, std::chrono::seconds(900));
}

TEST(ConfigTest, ReportsEveryErrorWithFileKeyAndRule) {
  auto config = parseConfig(R"(
colour = "blue"
[domains.x]
symbols = ["AAPL", "BAD SYMBOL"]
chunk_size = 0
interval = "5h"
period = "2w"
file_format = "parquet"
gzip = "yes"
unknown_key = 1
[domains.x.queue]
max_receives = -1
[domains.x.source]
base_url = "ftp://example"
)",
                            "bad.toml");
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  for (const char* expected :
       {"bad.toml:2: colour: unknown key",
        "domains.x.chunk_size: must be between 1 and 100 (got 0)",
        "domains.x.interval: unknown interval '5h'", "domains.x.period: unknown period '2w'",
        "domains.x.file_format: must be json or csv", "domains.x.gzip: must be true or false",
        "domains.x.unknown_key: unknown key", "domains.x.queue.max_receives: must be between",
        "domains.x.source.base_url: must start with http", "'BAD SYMBOL'"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n"
                                                         << message;
  }
}

TEST(ConfigTest, CorporateActionsTableDefaultsOnAndIsRead) {
  auto config = parseConfig(R"(
[defaults]
corporate_actions_table = "actions"
[domains.a]
symbols = ["X"]
[domains.b]
symbols = ["X"]
corporate_actions = false
)",
                            "/cfg/rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->domain("a")->corporate_actions);
  EXPECT_EQ(config->domain("a")->corporate_actions_table, "actions");
  EXPECT_FALSE(config->domain("b")->corporate_actions);
  auto defaults = parseConfig(kMinimal, "/cfg/rawfeed.toml");
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->domain("customer-data")->corporate_actions);
  EXPECT_EQ(defaults->domain("customer-data")->corporate_actions_table, "corporate_actions");
}

TEST(ConfigTest, BadCorporateActionsSettingsAreNamed) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"corporate_actions_table = \"a/b\"",
            "domains.x.corporate_actions_table: must be a non-empty name without '/'"},
           {"corporate_actions_table = \"\"",
            "domains.x.corporate_actions_table: must be a non-empty name without '/'"},
           {"corporate_actions_table = \"prices\"",
            "domains.x.corporate_actions_table: must differ from table_name ('prices')"},
           {"corporate_actions = \"yes\"", "domains.x.corporate_actions: must be true or false"},
       }) {
    auto config = parseConfig("[domains.x]\nsymbols = [\"X\"]\n" + text + "\n", "bad.toml");
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_NE(config.error().message.find(expected), std::string::npos)
        << "missing: " << expected << "\nin:\n"
        << config.error().message;
  }
}

TEST(ConfigTest, RejectsSyntaxErrorsWithPosition) {
  auto config = parseConfig("[domains.x\nsymbols = 1", "broken.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("broken.toml:1:"), std::string::npos)
      << config.error().message;
  EXPECT_NE(config.error().message.find("not valid TOML"), std::string::npos);
}

TEST(ConfigTest, RequiresADomainWithAUniverse) {
  auto none = parseConfig("environment = \"x\"\n", "c.toml");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no domain is configured"), std::string::npos);
  auto empty = parseConfig("[domains.x]\nperiod = \"5d\"\n", "c.toml");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("domains.x.universe: a domain needs"), std::string::npos);
}

TEST(ConfigTest, VisibilityShorterThanWorkerTimeoutIsAnError) {
  auto config = parseConfig(R"(
[domains.x]
symbols = ["A"]
worker_timeout_seconds = 100
[domains.x.queue]
visibility_timeout_seconds = 50
)",
                            "c.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("visibility_timeout_seconds: must be at least"),
            std::string::npos);
}

TEST(ConfigTest, MissingFileIsNamed) {
  auto config = loadConfig("/nonexistent/rawfeed.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(config.error().message.find("/nonexistent/rawfeed.toml"), std::string::npos);
}

TEST(ConfigTest, TheSampleConfigIsValid) {
  auto config = loadConfig(std::filesystem::path(RAWFEED_SOURCE_DIR) / "config" / "rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_NE(config->domain("customer-data"), nullptr);
}

}  // namespace
}  // namespace rawfeed::config

namespace rawfeed::config {
namespace {

TEST(ConfigTest, ServeSettingsScheduleRulesAlarmsAndServer) {
  auto config = parseConfig(R"toml(
[server]
port = 9090
token_file = "secrets/token"
[domains.x]
symbols = ["A"]
schedule = "cron(0 22 ? * MON-FRI *)"
schedule_timezone = "Asia/Seoul"
misfire_grace_seconds = 600
[[domains.x.event_rules]]
source = "crm"
detail_type = "Symbol Added"
[domains.x.alarms]
webhook_url = "http://127.0.0.1:9/hook"
[domains.x.alarms.queue_depth]
threshold = 50
evaluation_periods = 5
datapoints_to_alarm = 3
)toml",
                            "/cfg/rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->server.port, 9090);
  EXPECT_EQ(config->server.token_file, std::filesystem::path("/cfg/secrets/token"));
  const auto& x = *config->domain("x");
  EXPECT_EQ(x.schedule, "cron(0 22 ? * MON-FRI *)");
  EXPECT_EQ(x.misfire_grace, std::chrono::seconds(600));
  ASSERT_EQ(x.event_rules.size(), 1u);
  EXPECT_EQ(x.event_rules[0].detail_type, "Symbol Added");
  EXPECT_EQ(x.alarms.queue_depth.threshold, 50);
  EXPECT_EQ(x.alarms.queue_depth.datapoints_to_alarm, 3);
  EXPECT_FALSE(x.alarms.worker_errors.datapoints_to_alarm.has_value());
  EXPECT_EQ(x.alarms.oldest_message_age.threshold, 300);
  EXPECT_EQ(x.alarms.worker_errors.threshold, 1);
}

TEST(ConfigTest, BadServeSettingsAreNamed) {
  auto config = parseConfig(R"toml(
[server]
port = 70000
[domains.x]
symbols = ["A"]
schedule = "cron(0 22 * * MON-FRI *)"
[[domains.x.event_rules]]
[domains.x.alarms.worker_errors]
datapoints_to_alarm = 6
treat_missing_data = "sometimes"
)toml",
                            "c.toml");
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  for (const char* expected : {"server.port: must be between 0 and 65535",
                               "domains.x.schedule: ", "event_rules[0].source: a rule needs",
                               "worker_errors.datapoints_to_alarm: must not exceed",
                               "treat_missing_data: must be missing"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  }
}

TEST(ConfigTest, ServerConnectionLimitsDefaultAndParse) {
  auto defaults = parseConfig(kMinimal, "/etc/rawfeed/rawfeed.toml");
  ASSERT_TRUE(defaults.ok()) << defaults.error().message;
  EXPECT_EQ(defaults->server.request_head_timeout, std::chrono::seconds(10));
  EXPECT_EQ(defaults->server.request_body_timeout, std::chrono::seconds(30));
  EXPECT_EQ(defaults->server.max_connections, 512);
  EXPECT_EQ(defaults->server.max_connections_per_client, 8);

  auto config = parseConfig(R"toml(
[server]
request_head_timeout_seconds = 3
request_body_timeout_seconds = 45
max_connections = 100
max_connections_per_client = 100
[domains.x]
symbols = ["A"]
)toml",
                            "c.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->server.request_head_timeout, std::chrono::seconds(3));
  EXPECT_EQ(config->server.request_body_timeout, std::chrono::seconds(45));
  EXPECT_EQ(config->server.max_connections, 100);
  EXPECT_EQ(config->server.max_connections_per_client, 100);
}

TEST(ConfigTest, BadServerConnectionLimitsAreNamed) {
  auto config = parseConfig(R"toml(
[server]
request_head_timeout_seconds = 0
request_body_timeout_seconds = "30"
max_connections = 4
[domains.x]
symbols = ["A"]
)toml",
                            "c.toml");
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  for (const char* expected :
       {"c.toml:3: server.request_head_timeout_seconds: must be between 1 and 600 (got 0)",
        "c.toml:4: server.request_body_timeout_seconds: must be an integer",
        "server.max_connections_per_client: must not exceed max_connections (4, got 8)"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  }
}

TEST(ConfigTest, EventsDefaultToTheLocalLog) {
  auto config = parseConfig(kMinimal, "/etc/rawfeed/rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const auto& events = config->domain("customer-data")->events;
  EXPECT_EQ(events.kind, EventsKind::kJsonl);
  EXPECT_EQ(events.uri, "jsonl");
  EXPECT_EQ(events.source, "rawfeed");
}

TEST(ConfigTest, EventsSinksAreTypedFromTheirUri) {
  struct Case {
    const char* uri;
    EventsKind kind;
    const char* address;
  };
  for (const Case& c : {
           Case{"eventbridge://lake-events", EventsKind::kEventBridge, "lake-events"},
           Case{"eventbridge://arn:aws:events:eu-west-1:123456789012:event-bus/lake",
                EventsKind::kEventBridge, "arn:aws:events:eu-west-1:123456789012:event-bus/lake"},
           Case{"sqs://transform-triggers", EventsKind::kSqs, "transform-triggers"},
           Case{"sqs://transform.fifo", EventsKind::kSqs, "transform.fifo"},
           Case{"https://sqs.eu-west-1.amazonaws.com/123456789012/t", EventsKind::kSqs,
                "https://sqs.eu-west-1.amazonaws.com/123456789012/t"},
           Case{"https://hooks.example.com/rawfeed?x=1", EventsKind::kWebhook,
                "https://hooks.example.com/rawfeed?x=1"},
           Case{"http://127.0.0.1:8081/hook", EventsKind::kWebhook, "http://127.0.0.1:8081/hook"},
       }) {
    auto parsed = parseEventsUri(c.uri);
    ASSERT_TRUE(parsed.ok()) << c.uri << ": " << parsed.error().message;
    EXPECT_EQ(parsed->kind, c.kind) << c.uri;
    EXPECT_EQ(parsed->address, c.address) << c.uri;
    EXPECT_EQ(parsed->uri, c.uri);
  }
}

TEST(ConfigTest, EventsKeysAreReadFromDefaultsAndDomains) {
  auto config = parseConfig(R"(
[defaults]
events = "eventbridge://lake-events"
events_source = "rawfeed.extract"
[domains.a]
symbols = ["AAPL"]
[domains.b]
symbols = ["AAPL"]
events = "https://hooks.example.com/x"
events_token_env = "HOOK_TOKEN"
)",
                            "/etc/rawfeed/rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const auto& a = config->domain("a")->events;
  EXPECT_EQ(a.kind, EventsKind::kEventBridge);
  EXPECT_EQ(a.address, "lake-events");
  EXPECT_EQ(a.source, "rawfeed.extract");
  const auto& b = config->domain("b")->events;
  EXPECT_EQ(b.kind, EventsKind::kWebhook);
  EXPECT_EQ(b.token_env, "HOOK_TOKEN");
}

TEST(ConfigTest, BadEventsSettingsAreNamedWithTheirRule) {
  auto config = parseConfig(R"(
[domains.a]
symbols = ["AAPL"]
events = "kafka://topic"
[domains.b]
symbols = ["AAPL"]
events = "eventbridge://"
[domains.c]
symbols = ["AAPL"]
events = "sqs://no spaces"
[domains.d]
symbols = ["AAPL"]
events = "eventbridge://bus"
events_token_env = "TOKEN"
events_source = "aws.s3"
[domains.e]
symbols = ["AAPL"]
events = "https://hooks.example.com/x"
events_token_env = "1-not-a-name"
)",
                            "rawfeed.toml");
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  EXPECT_NE(message.find("domains.a.events: 'kafka://topic': not an event sink"), std::string::npos)
      << message;
  EXPECT_NE(message.find("domains.b.events: 'eventbridge://': eventbridge://BUS needs"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("domains.c.events: 'sqs://no spaces': sqs://NAME needs a queue name"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("domains.d.events_token_env: only a webhook"), std::string::npos)
      << message;
  EXPECT_NE(message.find("domains.d.events_source: must be 1-256 characters and not start with "
                         "'aws.'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("domains.e.events_token_env: '1-not-a-name' is not an environment"),
            std::string::npos)
      << message;
}

TEST(ConfigTest, SourceLimitsHaveSafeDefaultsAndMerge) {
  auto config = parseConfig(R"(
[defaults.source.limits]
initial_rate = 4
pause_min_seconds = 10
[domains.a]
symbols = ["AAPL"]
[domains.a.source.limits]
max_rate = 20
max_in_flight = 6
fleet = "none"
[domains.a.queue]
max_throttled_seconds = 3600
[domains.b]
symbols = ["AAPL"]
)",
                            "limits.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const auto& a = config->domains.at("a").source.limits;
  EXPECT_TRUE(a.adaptive);
  EXPECT_EQ(a.initial_rate, 4);
  EXPECT_EQ(a.max_rate, 20);
  EXPECT_EQ(a.max_in_flight, 6);
  EXPECT_EQ(a.pause_min, std::chrono::seconds(10));
  EXPECT_EQ(a.fleet, "none");
  EXPECT_EQ(config->domains.at("a").queue.max_throttled, std::chrono::seconds(3600));
  const auto& b = config->domains.at("b").source.limits;
  EXPECT_EQ(b.initial_rate, 4);
  EXPECT_EQ(b.max_rate, 0);
  EXPECT_EQ(b.initial_in_flight, 4);
  EXPECT_FALSE(b.max_in_flight.has_value());
  EXPECT_EQ(b.pause_max, std::chrono::seconds(3600));
  EXPECT_EQ(b.max_wait, std::chrono::seconds(120));
  EXPECT_EQ(b.fleet, "auto");
  EXPECT_EQ(config->domains.at("b").queue.max_throttled, std::chrono::hours(24));
  EXPECT_EQ(config->domains.at("b").alarms.source_paused.threshold, 900);
}

TEST(ConfigTest, BadSourceLimitsAreNamed) {
  auto config = parseConfig(R"(
[domains.x]
symbols = ["AAPL"]
[domains.x.source.limits]
initial_rate = 50
max_rate = 10
pause_min_seconds = 100
pause_max_seconds = 10
fleet = "everywhere"
adaptive = "yes"
initial_in_flight = 0
speed = 3
)",
                            "limits.toml");
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  for (const char* expected :
       {"domains.x.source.limits.initial_rate: must not exceed max_rate",
        "domains.x.source.limits.pause_max_seconds: must not be below pause_min_seconds",
        "domains.x.source.limits.fleet: must be auto, state, lake or none (got 'everywhere')",
        "domains.x.source.limits.adaptive: must be true or false",
        "domains.x.source.limits.initial_in_flight: must be between 1 and 1024",
        "domains.x.source.limits.speed: unknown key"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n"
                                                         << message;
  }
}

}  // namespace
}  // namespace rawfeed::config
