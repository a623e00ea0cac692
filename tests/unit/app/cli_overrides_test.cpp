#include "app/cli_overrides.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace rawfeed::app {
namespace {

config::DomainConfig domainNamed(const std::string& name) {
  config::DomainConfig domain;
  domain.name = name;
  domain.source.base_url = "https://query1.finance.yahoo.com";
  domain.lake = config::parseLakeLocation("/srv/lake").value();
  domain.queue_location = config::parseQueueLocation("sqlite").value();
  domain.state_dir = "/var/lib/rawfeed";
  domain.requests_in_flight = 8;
  domain.worker_concurrency = 4;
  return domain;
}

TEST(CliOverridesTest, NoFlagsLeaveTheDomainAsConfigured) {
  auto domain = domainNamed("customer-data");
  ASSERT_TRUE(applyDomainOverrides(CommandOptions{}, domain).ok());
  EXPECT_EQ(domain.source.base_url, "https://query1.finance.yahoo.com");
  EXPECT_EQ(domain.lake.uri, "/srv/lake");
  EXPECT_EQ(domain.queue_location.uri, "sqlite");
  EXPECT_EQ(domain.state_dir, "/var/lib/rawfeed");
  EXPECT_EQ(domain.requests_in_flight, 8);
  EXPECT_EQ(domain.worker_concurrency, 4);
}

TEST(CliOverridesTest, EveryFlagReplacesItsSetting) {
  CommandOptions options;
  options.lake = "s3://bucket/raw";
  options.queue_uri = "sqs://extract";
  options.state_dir = "relative/state";
  options.source_url = "http://127.0.0.1:8080";
  options.concurrency = 16;
  options.workers = 2;
  auto domain = domainNamed("customer-data");
  ASSERT_TRUE(applyDomainOverrides(options, domain).ok());
  EXPECT_EQ(domain.lake.backend, config::kS3Lake);
  EXPECT_EQ(domain.lake.address, "bucket");
  EXPECT_EQ(domain.lake.prefix, "raw");
  EXPECT_EQ(domain.queue_location.backend, config::kSqsQueue);
  EXPECT_EQ(domain.queue_location.address, "extract");
  EXPECT_TRUE(domain.state_dir.is_absolute());
  EXPECT_EQ(domain.state_dir, std::filesystem::absolute("relative/state"));
  EXPECT_EQ(domain.source.base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(domain.requests_in_flight, 16);
  EXPECT_EQ(domain.worker_concurrency, 2);
}

TEST(CliOverridesTest, TrailingSlashesOfTheSourceUrlAreDropped) {
  const struct {
    std::string given, expected;
  } cases[] = {
      {"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
      {"https://replay.example///", "https://replay.example"},
      {"https://replay.example/base/", "https://replay.example/base"},
      {"https://replay.example", "https://replay.example"},
  };
  for (const auto& c : cases) {
    CommandOptions options;
    options.source_url = c.given;
    auto domain = domainNamed("customer-data");
    ASSERT_TRUE(applyDomainOverrides(options, domain).ok()) << c.given;
    EXPECT_EQ(domain.source.base_url, c.expected) << c.given;
  }
}

TEST(CliOverridesTest, ASourceUrlThatIsNotHttpIsRefusedNamingTheFlag) {
  for (const char* given : {"ftp://replay.example", "127.0.0.1:8080", "", "HTTP//x"}) {
    CommandOptions options;
    options.source_url = given;
    auto domain = domainNamed("customer-data");
    auto applied = applyDomainOverrides(options, domain);
    ASSERT_FALSE(applied.ok()) << given;
    EXPECT_EQ(applied.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(applied.error().message.find("--source-url must start with http:// or https://"),
              std::string::npos)
        << applied.error().message;
    EXPECT_NE(applied.error().message.find(std::string("'") + given + "'"), std::string::npos);
  }
}

TEST(CliOverridesTest, ConcurrencyAndWorkersOutOfRangeAreRefused) {
  const struct {
    std::optional<int> concurrency, workers;
    std::string flag;
  } cases[] = {
      {0, std::nullopt, "--concurrency"},
      {1025, std::nullopt, "--concurrency"},
      {std::nullopt, 0, "--workers"},
      {std::nullopt, 257, "--workers"},
  };
  for (const auto& c : cases) {
    CommandOptions options;
    options.concurrency = c.concurrency;
    options.workers = c.workers;
    auto domain = domainNamed("customer-data");
    auto applied = applyDomainOverrides(options, domain);
    ASSERT_FALSE(applied.ok()) << c.flag;
    EXPECT_EQ(applied.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(applied.error().message.rfind(c.flag, 0), 0u) << applied.error().message;
  }
}

TEST(CliOverridesTest, ALakeOrQueueNoBackendClaimsIsRefusedNamingTheFlag) {
  auto domain = domainNamed("customer-data");
  CommandOptions lake;
  lake.lake = "gs://bucket/raw";
  auto refused = applyDomainOverrides(lake, domain);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "--lake: lake 'gs://bucket/raw' is not one rawfeed knows (a directory, "
            "file:///absolute/path, s3://BUCKET[/PREFIX])");
  CommandOptions queue;
  queue.queue_uri = "sqlite://relative.db";
  refused = applyDomainOverrides(queue, domain);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "--queue: queue 'sqlite://relative.db' must be sqlite:///absolute/path");
  EXPECT_EQ(domain.queue_location.uri, "sqlite");
}

TEST(CliOverridesTest, ServeOverridesEveryDomainAndTheServer) {
  config::Config config;
  config.domains["customer-data"] = domainNamed("customer-data");
  config.domains["product-data"] = domainNamed("product-data");
  CommandOptions options;
  options.port = 0;
  options.bind = "0.0.0.0";
  options.lake = "/data/lake";
  options.source_url = "http://127.0.0.1:9000/";
  ASSERT_TRUE(applyServeOverrides(options, config).ok());
  EXPECT_EQ(config.server.port, 0);
  EXPECT_EQ(config.server.bind, "0.0.0.0");
  for (const auto& [name, domain] : config.domains) {
    EXPECT_EQ(domain.lake.address, "/data/lake") << name;
    EXPECT_EQ(domain.source.base_url, "http://127.0.0.1:9000") << name;  // trimmed, as for run
  }
}

TEST(CliOverridesTest, ServeRefusesABadSourceUrlAsRunDoes) {
  config::Config config;
  config.domains["customer-data"] = domainNamed("customer-data");
  CommandOptions options;
  options.source_url = "replay:8080";
  auto applied = applyServeOverrides(options, config);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code, core::ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace rawfeed::app
