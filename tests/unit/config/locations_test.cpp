#include "config/locations.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "config/config.h"

namespace rawfeed::config {
namespace {

TEST(LocationsTest, EachQueueFormIsClaimedByItsBackend) {
  auto embedded = parseQueueLocation("sqlite");
  ASSERT_TRUE(embedded.ok());
  EXPECT_EQ(embedded->backend, kSqliteQueue);
  EXPECT_EQ(embedded->address, "");  // state_dir/queues/DOMAIN.db

  auto file = parseQueueLocation("sqlite:///var/lib/rawfeed/q.db");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->backend, kSqliteQueue);
  EXPECT_EQ(file->address, "/var/lib/rawfeed/q.db");

  auto named = parseQueueLocation("sqs://prices-chunks");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->backend, kSqsQueue);
  EXPECT_EQ(named->address, "prices-chunks");

  const std::string url = "https://sqs.eu-west-1.amazonaws.com/123456789012/prices-chunks";
  auto by_url = parseQueueLocation(url);
  ASSERT_TRUE(by_url.ok());
  EXPECT_EQ(by_url->backend, kSqsQueue);
  EXPECT_EQ(by_url->address, url);
  EXPECT_EQ(by_url->uri, url);
}

TEST(LocationsTest, AQueueNoBackendClaimsOrOneBrokenIsRefusedByName) {
  for (const auto& [text, message] : std::vector<std::pair<std::string, std::string>>{
           {"redis://localhost",
            "queue 'redis://localhost' is not one rawfeed knows (sqlite, "
            "sqlite:///absolute/path, sqs://NAME, an SQS queue URL)"},
           {"",
            "queue '' is not one rawfeed knows (sqlite, sqlite:///absolute/path, sqs://NAME, "
            "an SQS queue URL)"},
           {"sqlite://q.db", "queue 'sqlite://q.db' must be sqlite:///absolute/path"},
           {"sqs://", "queue 'sqs://' names no queue (sqs://NAME)"},
       }) {
    auto parsed = parseQueueLocation(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(parsed.error().message, message);
  }
}

TEST(LocationsTest, EachLakeFormIsClaimedByItsBackend) {
  auto directory = parseLakeLocation("/srv/lake");
  ASSERT_TRUE(directory.ok());
  EXPECT_EQ(directory->backend, kLocalLake);
  EXPECT_EQ(directory->address, "/srv/lake");
  EXPECT_FALSE(directory->shared);

  auto relative = parseLakeLocation("lake");
  ASSERT_TRUE(relative.ok());
  EXPECT_EQ(relative->address, std::filesystem::absolute("lake").string());

  auto file = parseLakeLocation("file:///srv/lake");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->backend, kLocalLake);
  EXPECT_EQ(file->address, "/srv/lake");

  auto s3 = parseLakeLocation("s3://market-data/raw/prices/");
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->backend, kS3Lake);
  EXPECT_EQ(s3->address, "market-data");
  EXPECT_EQ(s3->prefix, "raw/prices");
  EXPECT_TRUE(s3->shared);

  auto bucket_only = parseLakeLocation("s3://market-data");
  ASSERT_TRUE(bucket_only.ok());
  EXPECT_EQ(bucket_only->prefix, "");
}

TEST(LocationsTest, ALakeNoBackendClaimsOrOneBrokenIsRefusedByName) {
  for (const auto& [text, message] : std::vector<std::pair<std::string, std::string>>{
           {"gs://bucket",
            "lake 'gs://bucket' is not one rawfeed knows (a directory, "
            "file:///absolute/path, s3://BUCKET[/PREFIX])"},
           {"file://relative", "lake URI 'file://relative' must be file:///absolute/path"},
           {"s3:///prefix", "lake 's3:///prefix': an S3 lake is s3://BUCKET[/PREFIX]"},
           {"", "lake location is empty"},
       }) {
    auto parsed = parseLakeLocation(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().message, message);
  }
}

TEST(LocationsTest, AutoTracksInTheLakeExactlyWhenTheLakeIsShared) {
  const auto local = parseLakeLocation("/srv/lake").value();
  const auto s3 = parseLakeLocation("s3://bucket/raw").value();
  EXPECT_EQ(effectiveTracker(TrackerKind::kAuto, local), TrackerKind::kSqlite);
  EXPECT_EQ(effectiveTracker(TrackerKind::kAuto, s3), TrackerKind::kLake);
  EXPECT_EQ(effectiveTracker(TrackerKind::kLake, local), TrackerKind::kLake);
  EXPECT_EQ(effectiveTracker(TrackerKind::kSqlite, s3), TrackerKind::kSqlite);
  for (auto kind : {TrackerKind::kAuto, TrackerKind::kSqlite, TrackerKind::kLake})
    EXPECT_EQ(parseTrackerKind(trackerKindName(kind)).value(), kind);
  EXPECT_EQ(parseTrackerKind("redis").error().message,
            "tracker must be auto, sqlite or lake (got 'redis')");
}

TEST(LocationsTest, TheConfigReadsLocationsOnceAndNamesTheKeyOfABadOne) {
  auto config = parseConfig(R"(
[domains.a]
symbols = ["AAPL"]
lake = "data/lake"
queue_uri = "sqs://a-chunks"
tracker = "lake"
[domains.b]
symbols = ["AAPL"]
lake = "gs://bucket"
queue_uri = "sqlite://relative.db"
tracker = "redis"
)",
                            "/cfg/rawfeed.toml");
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  EXPECT_NE(message.find("rawfeed.toml:9: domains.b.lake: lake 'gs://bucket' is not one rawfeed "
                         "knows"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("rawfeed.toml:10: domains.b.queue_uri: queue 'sqlite://relative.db' "
                         "must be sqlite:///absolute/path"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("rawfeed.toml:11: domains.b.tracker: tracker must be auto, sqlite or "
                         "lake (got 'redis')"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("domains.a"), std::string::npos) << message;

  auto good = parseConfig(R"(
[domains.a]
symbols = ["AAPL"]
lake = "data/lake"
queue_uri = "sqs://a-chunks"
tracker = "lake"
)",
                          "/cfg/rawfeed.toml");
  ASSERT_TRUE(good.ok()) << good.error().message;
  const auto& a = *good->domain("a");
  EXPECT_EQ(a.lake.address, "/cfg/data/lake");
  EXPECT_EQ(a.queue_location.address, "a-chunks");
  EXPECT_EQ(a.tracker, TrackerKind::kLake);
}

}  // namespace
}  // namespace rawfeed::config
