// Scale-out on the AWS backends: one orchestrator and three `rawfeed work` processes, each with
// a state directory of its own (nothing shared but S3 and SQS), one of them killed with SIGKILL
// mid-batch. Every symbol lands exactly once, the manifests are complete, the DLQ stays empty.
//
// The lake is on moto, the queue on fauxqs: the exactly-once event rests on the lake's
// create-only claims, and fauxqs ignores If-None-Match (LOCAL_SERVERS.md), so there two workers
// finalizing at the same moment could both be granted (seen once in CI under load).
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "integration/aws_e2e/aws_support.h"
#include "integration/e2e/e2e_support.h"
#include "store/s3/s3_object_store.h"

namespace rawfeed::e2e {
namespace {

constexpr int kScaleOutSymbols = 90;  // moto takes ~100 puts a second

TEST(AwsScaleOutTest, ThreeWorkersOneKilledEverySymbolOnceManifestsCompleteDlqEmpty) {
  std::string error;
  const auto* servers = integration::testServers(&error);
  ASSERT_NE(servers, nullptr) << error;
  ASSERT_TRUE(testing::yahooFixturesPresent()) << testing::yahooFixtureDir();

  contract::TempDir dir;
  const std::string id = dir.path().filename().string().substr(13);
  const std::string queue = "scale-" + id;
  ASSERT_EQ(provisionQueue(*servers, queue, std::chrono::seconds(1)), "");
  ASSERT_TRUE(integration::ensureBucket(servers->moto, servers->region, servers->bucket).ok());
  const std::string lake = "s3://" + servers->bucket + "/scale-" + id;

  testing::ReplayServer replay;
  replay.registry().setTemplate(
      testing::loadYahooFixture(testing::yahooFixtureDir() / "1301.T_1d_1mo_2024-11.json")
          .front()
          .body);
  testing::ReplayFaults faults;
  faults.latency = std::chrono::milliseconds(100);
  replay.setFaults(faults);
  replay.start();

  std::ofstream universe(dir.path() / "universe.txt");
  for (int i = 0; i < kScaleOutSymbols; ++i)
    universe << "W" << i << "\n";
  universe.close();
  auto env = awsEnvironment(*servers);
  env.push_back("AWS_ENDPOINT_URL_S3=" + servers->moto.proxy_url);
  auto configFor = [&](const std::string& name) {
    const fs::path folder = dir.path() / name;
    fs::create_directories(folder);
    return writeConfig(folder,
                       "worker_timeout_seconds = 1\nworker_concurrency = 2\n"
                       "messages_per_delivery = 2\nrequests_in_flight = 8\n"
                       "[domains.customer-data.queue]\nvisibility_timeout_seconds = 3\n");
  };
  auto cli = [&](const fs::path& config, std::vector<std::string> args) {
    std::vector<std::string> all = {RAWFEED_BIN};
    all.insert(all.end(), args.begin(), args.end());
    for (const auto& extra :
         std::vector<std::string>{"--config", config.string(), "--lake", lake, "--queue",
                                  "sqs://" + queue, "--source-url", replay.baseUrl()}) {
      all.push_back(extra);
    }
    return withEnv(env, all);
  };

  Subprocess orchestrate(
      cli(configFor("orchestrator"),
          {"orchestrate", "--universe", (dir.path() / "universe.txt").string(), "--batch-id",
           "scale-1", "--batch-ds", "2024-12-06", "--period", "1mo"}),
      dir.path(), "orchestrate");
  ASSERT_EQ(orchestrate.wait(), 0) << orchestrate.err();

  std::vector<std::unique_ptr<Subprocess>> workers;
  for (const char* name : {"w1", "w2", "w3"}) {
    workers.push_back(std::make_unique<Subprocess>(cli(configFor(name), {"work", "--no-progress"}),
                                                   dir.path(), name));
  }
  // Kill the first worker once it is well into the batch.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline &&
         replay.counters().requests < static_cast<std::uint64_t>(kScaleOutSymbols / 3)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  workers[0]->kill(SIGKILL);
  EXPECT_EQ(workers[0]->wait(), 128 + SIGKILL);
  for (std::size_t i = 1; i < workers.size(); ++i) {
    EXPECT_EQ(workers[i]->wait(), 0) << workers[i]->out() << workers[i]->err();
  }

  // Read the lake back through the S3 store (the AWS CLI check is in the run test).
  http::curl::CurlHttpClient http;
  integration::StaticCredentials credentials(servers->moto.access_key_id,
                                             servers->moto.secret_access_key);
  core::SystemRandom random;
  store::s3::S3Options options;
  options.bucket = servers->bucket;
  options.prefix = "scale-" + id;
  options.region = servers->region;
  options.endpoint = servers->moto.proxy_url;
  auto s3 =
      store::s3::S3ObjectStore::create(options, http, credentials, core::systemClock(), random);
  ASSERT_TRUE(s3.ok()) << s3.error().describe();
  auto listing = (*s3)->list("customer-data/");
  ASSERT_TRUE(listing.ok()) << listing.error().describe();
  std::set<std::string> symbols;
  std::size_t objects = 0;
  std::set<std::string> manifests;
  for (const auto& object : *listing) {
    if (object.key.find("_batch.manifest.json") != std::string::npos) {
      manifests.insert(object.key);
      continue;
    }
    ++objects;
    symbols.insert(object.key.substr(object.key.rfind('/') + 1));
  }
  EXPECT_EQ(objects, static_cast<std::size_t>(kScaleOutSymbols) * 23u);
  EXPECT_EQ(symbols.size(), static_cast<std::size_t>(kScaleOutSymbols));
  std::size_t listed = 0;
  std::set<std::string> keys;
  for (const auto& key : manifests) {
    auto body = (*s3)->get(key);
    ASSERT_TRUE(body.ok()) << body.error().describe();
    auto manifest = nlohmann::json::parse(*body);
    EXPECT_EQ(manifest["batch_id"], "scale-1");
    EXPECT_TRUE(manifest["failed_symbols"].empty());
    for (const auto& object : manifest["objects"]) {
      ++listed;
      keys.insert(object["key"].get<std::string>());
    }
  }
  EXPECT_EQ(listed, objects) << "an object is listed twice or not at all";
  EXPECT_EQ(keys.size(), objects);

  // Exactly one completion event, whichever worker finished the batch.
  std::size_t events = 0;
  for (const char* name : {"w1", "w2", "w3"}) {
    events += readEvents(dir.path() / name / "state").size();
  }
  EXPECT_EQ(events, 1u);
  http.stop();

  Subprocess dlq(
      withEnv(env, {RAWFEED_BIN, "dlq", "list", "--domain", "customer-data", "--config",
                    configFor("w2").string(), "--lake", lake, "--queue", "sqs://" + queue}),
      dir.path(), "dlq");
  ASSERT_EQ(dlq.wait(), 0) << dlq.err();
  EXPECT_NE(dlq.out().find("0 dead letters"), std::string::npos) << dlq.out();
}

}  // namespace
}  // namespace rawfeed::e2e
