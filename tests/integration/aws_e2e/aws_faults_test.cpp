// `rawfeed run` on S3 + SQS (fauxqs) when the services misbehave: SlowDown and throttling in
// bursts (a proxy of the test's own that injects them), a region the server does not accept, a
// bucket or queue that does not exist. Each either recovers and loses nothing, or stops at
// start-up with an error naming the cause, before anything is enqueued or written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "integration/aws_e2e/aws_support.h"
#include "integration/e2e/e2e_support.h"
#include "queue/sqs/sqs_queue.h"
#include "store/s3/s3_object_store.h"

namespace rawfeed::e2e {
namespace {

constexpr int kFaultSymbols = 30;
constexpr std::size_t kDaysPerSymbol = 23;  // the 1301.T fixture's month of bars

// `env` with AWS_ENDPOINT_URL / AWS_REGION replaced.
std::vector<std::string> override(std::vector<std::string> env, const std::string& name,
                                  const std::string& value) {
  for (auto& variable : env) {
    if (variable.rfind(name + "=", 0) == 0)
      variable = name + "=" + value;
  }
  return env;
}

std::uint64_t figure(const std::string& text, const std::string& pattern) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex(pattern)))
    return ~std::uint64_t{0};
  return std::stoull(match[1]);
}

// Reads a lake prefix back through the S3 store (bypassing any proxy of the test's own).
class LakeReader {
 public:
  LakeReader(const integration::TestServers& servers, const std::string& prefix)
      : credentials_(servers.fauxqs.access_key_id, servers.fauxqs.secret_access_key) {
    store::s3::S3Options options;
    options.bucket = servers.bucket;
    options.prefix = prefix;
    options.region = servers.region;
    options.endpoint = servers.fauxqs.proxy_url;
    auto store = store::s3::S3ObjectStore::create(options, http_, credentials_, core::systemClock(),
                                                  random_);
    if (store.ok())
      store_ = std::move(store).value();
  }
  ~LakeReader() { http_.stop(); }
  store::s3::S3ObjectStore& store() { return *store_; }

 private:
  http::curl::CurlHttpClient http_;
  integration::StaticCredentials credentials_;
  core::SystemRandom random_;
  std::unique_ptr<store::s3::S3ObjectStore> store_;
};

// Messages anywhere in `queue` (visible, in flight, delayed), read through the shared proxy.
std::int64_t queueDepth(const integration::TestServers& servers, const std::string& queue) {
  http::curl::CurlHttpClient http;
  integration::StaticCredentials credentials(servers.fauxqs.access_key_id,
                                             servers.fauxqs.secret_access_key);
  core::SystemRandom random;
  queue::sqs::SqsQueueOptions options;
  options.queue_name = queue;
  options.region = servers.region;
  options.endpoint = servers.fauxqs.proxy_url;
  auto opened = queue::sqs::SqsQueue::open(options, http, credentials, core::systemClock(), random);
  std::int64_t depth = -1;
  if (opened.ok()) {
    if (auto stats = (*opened)->stats(); stats.ok())
      depth = stats->visible + stats->in_flight + stats->delayed;
  }
  http.stop();
  return depth;
}

class AwsFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    servers_ = integration::testServers(&error_);
    ASSERT_NE(servers_, nullptr) << error_;
    ASSERT_TRUE(testing::yahooFixturesPresent()) << testing::yahooFixtureDir();
    id_ = dir_.path().filename().string().substr(13);
    replay_.registry().setTemplate(
        testing::loadYahooFixture(testing::yahooFixtureDir() / "1301.T_1d_1mo_2024-11.json")
            .front()
            .body);
    replay_.start();
    std::ofstream universe(dir_.path() / "universe.txt");
    for (int i = 0; i < kFaultSymbols; ++i)
      universe << "F" << i << "\n";
  }

  std::vector<std::string> runArgs(const std::string& lake, const std::string& queue,
                                   const std::string& batch_id) {
    const fs::path config = writeConfig(dir_.path(),
                                        "chunk_size = 3\nmessages_per_delivery = 2\n"
                                        "worker_concurrency = 2\nrequests_in_flight = 8\n"
                                        "worker_timeout_seconds = 10\n");
    return {RAWFEED_BIN,     "run",          "--config",
            config.string(), "--universe",   (dir_.path() / "universe.txt").string(),
            "--lake",        lake,           "--queue",
            queue,           "--source-url", replay_.baseUrl(),
            "--batch-id",    batch_id,       "--batch-ds",
            "2024-12-06",    "--period",     "1mo",
            "--no-progress"};
  }

  std::string error_;
  const integration::TestServers* servers_ = nullptr;
  contract::TempDir dir_;
  std::string id_;
  testing::ReplayServer replay_;
};

TEST_F(AwsFaultsTest, SlowDownAndThrottlingInBurstsLoseNothingAndShowInTheSummaryAndLog) {
  const std::string queue = "faults-" + id_;
  ASSERT_EQ(provisionQueue(*servers_, queue, std::chrono::seconds(10)), "");
  // S3 answers 503 SlowDown for 300 ms of every second, SQS answers ThrottlingException to 2 of
  // every 25 requests. Each burst is shorter than a request's retries: S3's backoff puts the third
  // attempt at least 300 ms and at most 600 ms after the first (past this burst, before the
  // next); SQS retries 3 times. So the run must absorb all of it without a redelivery, and count
  // what it absorbed.
  OwnProxy proxy(servers_->fauxqs, servers_->region,
                 {"--s3-slowdown", "every=1000ms,burst=300ms,after=100ms", "--sqs-throttle",
                  "every=25,burst=2,after=2"},
                 dir_.path());
  ASSERT_TRUE(proxy.ok()) << proxy.error();
  const std::string prefix = "faults-" + id_;
  const auto env = override(awsEnvironment(*servers_), "AWS_ENDPOINT_URL", proxy.url());

  Subprocess run(withEnv(env, runArgs("s3://" + servers_->bucket + "/" + prefix, "sqs://" + queue,
                                      "faults-1")),
                 dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  EXPECT_NE(run.out().find("30 total: 30 ok, 0 empty, 0 failed"), std::string::npos) << run.out();

  // Throttling was injected, and rawfeed counted exactly what the proxy refused and sent.
  const std::size_t s3_faults = proxy.count({"FAULT 503 SlowDown", "service=s3"});
  const std::size_t sqs_faults = proxy.count({"FAULT 400 ThrottlingException", "service=sqs"});
  const std::size_t s3_requests = proxy.count({"service=s3"});
  const std::size_t sqs_requests = proxy.count({"service=sqs"});
  EXPECT_GE(s3_faults, 10u) << "too few S3 requests throttled to show anything";
  EXPECT_GT(sqs_faults, 0u);
  EXPECT_EQ(proxy.count({"REJECT"}), 0u);
  const std::string out = run.out();
  EXPECT_EQ(figure(out, "S3 ([0-9]+) requests"), s3_requests) << out;
  EXPECT_EQ(figure(out, "S3 [0-9]+ requests \\([0-9]+ retried, ([0-9]+) throttled"), s3_faults)
      << out;
  EXPECT_GE(figure(out, "S3 [0-9]+ requests \\(([0-9]+) retried"), s3_faults) << out;
  EXPECT_EQ(figure(out, "SQS ([0-9]+) requests"), sqs_requests) << out;
  EXPECT_EQ(figure(out, "SQS [0-9]+ requests \\([0-9]+ retried, ([0-9]+) throttled"), sqs_faults)
      << out;
  const std::string log = readFile(dir_.path() / "state" / "logs" / "rawfeed.jsonl");
  EXPECT_NE(log.find("\"aws_throttled\""), std::string::npos) << log.substr(0, 2000);

  // Every symbol once, every manifest complete, nothing left on the queue.
  LakeReader reader(*servers_, prefix);
  auto listing = reader.store().list("customer-data/");
  ASSERT_TRUE(listing.ok()) << listing.error().describe();
  std::set<std::string> symbols, keys, listed;
  std::size_t objects = 0;
  std::vector<std::string> manifests;
  for (const auto& object : *listing) {
    if (object.key.find("_batch.manifest.json") != std::string::npos) {
      manifests.push_back(object.key);
      continue;
    }
    ++objects;
    keys.insert(object.key);
    symbols.insert(object.key.substr(object.key.rfind('/') + 1));
  }
  EXPECT_EQ(objects, kFaultSymbols * kDaysPerSymbol);
  EXPECT_EQ(symbols.size(), static_cast<std::size_t>(kFaultSymbols));
  std::size_t entries = 0;
  for (const auto& key : manifests) {
    auto body = reader.store().get(key);
    ASSERT_TRUE(body.ok()) << body.error().describe();
    const auto manifest = nlohmann::json::parse(*body);
    EXPECT_TRUE(manifest["failed_symbols"].empty()) << key;
    for (const auto& object : manifest["objects"]) {
      ++entries;
      listed.insert(object["key"].get<std::string>());
    }
  }
  EXPECT_EQ(manifests.size(), kDaysPerSymbol);
  EXPECT_EQ(entries, objects) << "an object is listed twice or not at all";
  EXPECT_EQ(listed, keys);
  EXPECT_EQ(readEvents(dir_.path() / "state").size(), 1u);
  EXPECT_EQ(queueDepth(*servers_, queue), 0);
}

TEST_F(AwsFaultsTest, AWrongRegionStopsAtStartUpNamingBothRegionsWithNothingEnqueuedOrWritten) {
  const std::string queue = "region-" + id_;
  ASSERT_EQ(provisionQueue(*servers_, queue, std::chrono::seconds(10)), "");
  const std::string prefix = "region-" + id_;
  const std::string lake = "s3://" + servers_->bucket + "/" + prefix;
  ASSERT_NE(servers_->region, "eu-west-3");
  auto env = override(awsEnvironment(*servers_), "AWS_REGION", "eu-west-3");

  // SQS first (the queue opens before the lake): SQS's own wording, both regions named.
  Subprocess sqs(withEnv(env, runArgs(lake, "sqs://" + queue, "region-1")), dir_.path(), "sqs");
  EXPECT_EQ(sqs.wait(), 4) << sqs.out() << sqs.err();
  EXPECT_NE(sqs.err().find("the region 'eu-west-3' is wrong; expecting '" + servers_->region + "'"),
            std::string::npos)
      << sqs.err();
  EXPECT_NE(sqs.err().find("AWS_REGION"), std::string::npos)
      << "no hint where the region comes from: " << sqs.err();

  // S3 alone (the queue embedded): 400 AuthorizationHeaderMalformed, as S3 answers it.
  Subprocess s3(withEnv(env, runArgs(lake, "sqlite", "region-2")), dir_.path(), "s3");
  EXPECT_EQ(s3.wait(), 4) << s3.out() << s3.err();
  EXPECT_NE(s3.err().find("AuthorizationHeaderMalformed"), std::string::npos) << s3.err();
  EXPECT_NE(s3.err().find("the region 'eu-west-3' is wrong; expecting '" + servers_->region + "'"),
            std::string::npos)
      << s3.err();
  EXPECT_EQ(replay_.counters().requests, 0u) << "the source was asked before the backends opened";

  EXPECT_EQ(queueDepth(*servers_, queue), 0);
  LakeReader reader(*servers_, prefix);
  auto listing = reader.store().list("");
  ASSERT_TRUE(listing.ok()) << listing.error().describe();
  EXPECT_TRUE(listing->empty()) << listing->front().key;
}

TEST_F(AwsFaultsTest, AMissingBucketOrQueueIsAConfigurationErrorNamingIt) {
  const std::string queue = "present-" + id_;
  ASSERT_EQ(provisionQueue(*servers_, queue, std::chrono::seconds(10)), "");
  const auto env = awsEnvironment(*servers_);
  const std::string prefix = "missing-" + id_;

  std::string bucket = "no-such-bucket-" + id_;  // bucket names are lower-case
  std::transform(bucket.begin(), bucket.end(), bucket.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  Subprocess no_bucket(withEnv(env, runArgs("s3://" + bucket + "/raw", "sqs://" + queue, "m-1")),
                       dir_.path(), "no-bucket");
  EXPECT_EQ(no_bucket.wait(), 2) << no_bucket.out() << no_bucket.err();
  EXPECT_NE(no_bucket.err().find(bucket), std::string::npos) << no_bucket.err();
  EXPECT_NE(no_bucket.err().find("NoSuchBucket"), std::string::npos) << no_bucket.err();
  EXPECT_EQ(queueDepth(*servers_, queue), 0) << "a batch was enqueued for a lake that is not there";

  const std::string missing_queue = "no-such-queue-" + id_;
  Subprocess no_queue(withEnv(env, runArgs("s3://" + servers_->bucket + "/" + prefix,
                                           "sqs://" + missing_queue, "m-2")),
                      dir_.path(), "no-queue");
  EXPECT_EQ(no_queue.wait(), 2) << no_queue.out() << no_queue.err();
  EXPECT_NE(no_queue.err().find(missing_queue), std::string::npos) << no_queue.err();
  EXPECT_EQ(replay_.counters().requests, 0u);
  LakeReader reader(*servers_, prefix);
  auto listing = reader.store().list("");
  ASSERT_TRUE(listing.ok()) << listing.error().describe();
  EXPECT_TRUE(listing->empty()) << "written to a lake whose queue is missing";
}

TEST_F(AwsFaultsTest, StatusSaysTheOldestAgeIsUnknownOnSqsAndNeverReceivesToLearnIt) {
  const std::string queue = "status-" + id_;
  ASSERT_EQ(provisionQueue(*servers_, queue, std::chrono::seconds(10)), "");
  const auto env = awsEnvironment(*servers_);
  const std::string lake = "s3://" + servers_->bucket + "/status-" + id_;
  const fs::path config = writeConfig(dir_.path(), "chunk_size = 10\n");
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), RAWFEED_BIN);
    for (const auto& extra : {std::string("--config"), config.string(), std::string("--lake"), lake,
                              std::string("--queue"), "sqs://" + queue}) {
      args.push_back(extra);
    }
    return withEnv(env, args);
  };
  Subprocess orchestrate(cli({"orchestrate", "--universe", (dir_.path() / "universe.txt").string(),
                              "--batch-id", "status-1", "--source-url", replay_.baseUrl()}),
                         dir_.path(), "orchestrate");
  ASSERT_EQ(orchestrate.wait(), 0) << orchestrate.err();
  for (int i = 0; i < 3; ++i) {  // a dashboard polling: each look must leave the messages alone
    Subprocess status(cli({"status"}), dir_.path(), "status");
    ASSERT_EQ(status.wait(), 0) << status.err();
    EXPECT_NE(status.out().find("unknown"), std::string::npos) << status.out();
  }

  http::curl::CurlHttpClient http;
  integration::StaticCredentials credentials(servers_->fauxqs.access_key_id,
                                             servers_->fauxqs.secret_access_key);
  core::SystemRandom random;
  queue::sqs::SqsQueueOptions options;
  options.queue_name = queue;
  options.region = servers_->region;
  options.endpoint = servers_->fauxqs.proxy_url;
  auto opened = queue::sqs::SqsQueue::open(options, http, credentials, core::systemClock(), random);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  auto received = (*opened)->receive(queue::ReceiveOptions{10, std::chrono::seconds(1), {}});
  ASSERT_TRUE(received.ok()) << received.error().describe();
  ASSERT_EQ(received->size(), 3u);  // 30 symbols in chunks of 10
  for (const auto& message : *received) {
    EXPECT_EQ(message.receive_count, 1) << "status received a message to learn its age";
  }
  http.stop();
}

}  // namespace
}  // namespace rawfeed::e2e
