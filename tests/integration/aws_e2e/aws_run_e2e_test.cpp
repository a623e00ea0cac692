// `rawfeed run` as a process with the AWS backends: the lake on S3 and the queue on SQS (fauxqs
// behind the SigV4-verifying proxy), the source a replay server. What lands is read back by the
// AWS CLI, an independent client.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "integration/aws_e2e/aws_support.h"
#include "integration/e2e/e2e_support.h"
#include "integration/s3/test_servers.h"

namespace rawfeed::e2e {
namespace {

// Runs the CLI with only the given environment; its stdout.
std::string awsCli(const std::vector<std::string>& args, const std::vector<std::string>& env,
                   const fs::path& dir) {
  std::string command = "env -i";
  for (const auto& variable : env)
    command += " '" + variable + "'";
  command += " PATH=\"$PATH\" HOME=\"$HOME\" timeout 60 aws";
  for (const auto& arg : args)
    command += " '" + arg + "'";
  command += " > '" + (dir / "aws.out").string() + "' 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 0) << command << "\n" << readFile(dir / "aws.out");
  return readFile(dir / "aws.out");
}

TEST(AwsRunE2eTest, LandsInS3ThroughSqsAndTheAwsCliReadsIt) {
  std::string error;
  const auto* servers = integration::testServers(&error);
  ASSERT_NE(servers, nullptr) << error;
  contract::TempDir scratch;
  const std::string queue = "run-" + scratch.path().filename().string().substr(13);
  ASSERT_EQ(provisionQueue(*servers, queue, std::chrono::seconds(10)), "");
  ASSERT_TRUE(testing::yahooFixturesPresent()) << testing::yahooFixtureDir();

  contract::TempDir dir;
  testing::ReplayServer replay;
  serveFixture(replay, "AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
  serveFixture(replay, "1301.T", "1301.T_1d_1mo_2024-11.json");
  replay.start();
  const fs::path config = writeConfig(dir.path());
  const std::string prefix = "e2e-" + dir.path().filename().string();
  const std::vector<std::string> env = awsEnvironment(*servers);
  std::vector<std::string> argv = {"/usr/bin/env", "-i"};
  argv.insert(argv.end(), env.begin(), env.end());
  for (const auto& arg : std::vector<std::string>{
           RAWFEED_BIN, "run", "--config", config.string(), "--symbols", "AAPL,1301.T,GONE",
           "--lake", "s3://" + servers->bucket + "/" + prefix, "--queue", "sqs://" + queue,
           "--source-url", replay.baseUrl(), "--batch-id", "aws-e2e-1", "--batch-ds", "2024-01-02",
           "--period", "5y", "--no-progress"}) {
    argv.push_back(arg);
  }
  Subprocess run(argv, dir.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  EXPECT_NE(run.out().find("3 total: 2 ok, 0 empty, 1 failed"), std::string::npos) << run.out();
  EXPECT_NE(run.out().find("72 written, 0 skipped"), std::string::npos) << run.out();

  const std::string listing = awsCli(
      {"--endpoint-url", servers->fauxqs.proxy_url, "s3api", "list-objects-v2", "--bucket",
       servers->bucket, "--prefix", prefix + "/", "--query", "Contents[].Key", "--output", "text"},
      env, dir.path());
  const std::string object = prefix +
                             "/customer-data/prices/interval=1d/data_source=yahoo_finance/"
                             "year=2024/month=11/day=06/1301.T.json";
  EXPECT_NE(listing.find(object), std::string::npos) << listing;
  EXPECT_NE(listing.find("_batch.manifest.json"), std::string::npos) << listing;
  awsCli({"--endpoint-url", servers->fauxqs.proxy_url, "s3api", "get-object", "--bucket",
          servers->bucket, "--key", object, (dir.path() / "object.json").string()},
         env, dir.path());
  const auto record = nlohmann::json::parse(readFile(dir.path() / "object.json"));
  EXPECT_EQ(record["symbol"], "1301.T");
  EXPECT_EQ(record["timestamp"], "2024-11-06T00:00:00Z");

  const auto events = readEvents(dir.path() / "state");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["detail"]["objects_written"], 72);

  // A wrong secret is refused by the proxy as AWS would refuse it: a clear error, exit 2/4.
  std::vector<std::string> bad = argv;
  for (auto& arg : bad) {
    if (arg.rfind("AWS_SECRET_ACCESS_KEY=", 0) == 0)
      arg = "AWS_SECRET_ACCESS_KEY=wrong";
    if (arg == "aws-e2e-1")
      arg = "aws-e2e-2";
  }
  Subprocess refused(bad, dir.path(), "refused");
  EXPECT_NE(refused.wait(), 0);
  EXPECT_NE(refused.err().find("SignatureDoesNotMatch"), std::string::npos) << refused.err();
  EXPECT_EQ(refused.err().find("wrong"), std::string::npos)
      << "the secret leaked: " << refused.err();
}

// Incremental fetches with the lake on S3: the watermarks live in the lake beside the tracker's
// documents, so a second run (any host) asks the source nothing.
TEST(AwsRunE2eTest, ASecondRunOnTheSameDayAsksNothingWithTheWatermarksInS3) {
  std::string error;
  const auto* servers = integration::testServers(&error);
  ASSERT_NE(servers, nullptr) << error;
  contract::TempDir scratch;
  const std::string queue = "incr-" + scratch.path().filename().string().substr(13);
  ASSERT_EQ(provisionQueue(*servers, queue, std::chrono::seconds(10)), "");
  ASSERT_TRUE(testing::yahooFixturesPresent()) << testing::yahooFixtureDir();

  contract::TempDir dir;
  testing::ReplayServer replay;
  serveFixture(replay, "AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
  serveFixture(replay, "1301.T", "1301.T_1d_1mo_2024-11.json");
  replay.start();
  const fs::path config = writeConfig(dir.path());
  const std::string prefix = "incr-" + dir.path().filename().string();
  const std::vector<std::string> env = awsEnvironment(*servers);
  const auto argv =
      withEnv(env, {RAWFEED_BIN, "run", "--config", config.string(), "--symbols", "AAPL,1301.T",
                    "--lake", "s3://" + servers->bucket + "/" + prefix, "--queue", "sqs://" + queue,
                    "--source-url", replay.baseUrl(), "--no-progress"});
  Subprocess first(argv, dir.path(), "first");
  ASSERT_EQ(first.wait(), 0) << first.out() << first.err();
  EXPECT_NE(first.out().find("2 total: 2 ok"), std::string::npos) << first.out();
  const std::string listing =
      awsCli({"--endpoint-url", servers->fauxqs.proxy_url, "s3api", "list-objects-v2", "--bucket",
              servers->bucket, "--prefix", prefix + "/_rawfeed/watermarks/", "--query",
              "Contents[].Key", "--output", "text"},
             env, dir.path());
  EXPECT_NE(listing.find("interval=1d/data_source=yahoo_finance.jsonl"), std::string::npos)
      << listing;

  const auto requests = replay.counters().requests;
  Subprocess second(argv, dir.path(), "second");
  ASSERT_EQ(second.wait(), 0) << second.out() << second.err();
  EXPECT_NE(second.out().find("nothing to fetch: all 2 symbols are up to date"), std::string::npos)
      << second.out();
  EXPECT_EQ(replay.counters().requests, requests);
  EXPECT_EQ(readEvents(dir.path() / "state").size(), 1u);
}

}  // namespace
}  // namespace rawfeed::e2e
