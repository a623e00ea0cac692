#include "config/config.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(domain->lake, "/etc/rawfeed/lake");
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
  EXPECT_TRUE(a.gzip);
  EXPECT_EQ(a.chunk_size, 2);
  EXPECT_EQ(a.universe_file, std::filesystem::path("/cfg/u/a.txt"));
  EXPECT_EQ(a.queue.max_receives, 3);
  EXPECT_EQ(a.queue.visibility_timeout, std::chrono::seconds(60));
  EXPECT_EQ(a.lake, "file:///srv/lake");
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
       {"bad.toml:2: colour: unknown key", "domains.x.chunk_size: must be between 1 and 100 (got 0)",
        "domains.x.interval: unknown interval '5h'", "domains.x.period: unknown period '2w'",
        "domains.x.file_format: must be json or csv", "domains.x.gzip: must be true or false",
        "domains.x.unknown_key: unknown key", "domains.x.queue.max_receives: must be between",
        "domains.x.source.base_url: must start with http", "'BAD SYMBOL'"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n"
                                                         << message;
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
  for (const char* expected :
       {"server.port: must be between 0 and 65535", "domains.x.schedule: ",
        "event_rules[0].source: a rule needs", "worker_errors.datapoints_to_alarm: must not exceed",
        "treat_missing_data: must be missing"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  }
}

}  // namespace
}  // namespace rawfeed::config
