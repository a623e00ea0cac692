// `rawfeed gaps` with the lake on S3 and the queue on SQS (fauxqs behind the SigV4-verifying
// proxy): objects deleted with the AWS CLI are found by the audit's listing, and one fill lands
// exactly them again.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>

#include "integration/aws_e2e/aws_support.h"
#include "integration/e2e/e2e_support.h"
#include "integration/s3/test_servers.h"

namespace rawfeed::e2e {
namespace {

// Deletes one object with the AWS CLI, an independent client, under exactly `env`.
void deleteWithAwsCli(const integration::TestServers& servers, const std::string& key,
                      const std::vector<std::string>& env, const fs::path& dir) {
  std::string command = "env -i";
  for (const auto& variable : env)
    command += " '" + variable + "'";
  command += " PATH=\"$PATH\" HOME=\"$HOME\" timeout 60 aws --endpoint-url '" +
             servers.fauxqs.proxy_url + "' s3api delete-object --bucket '" + servers.bucket +
             "' --key '" + key + "' > '" + (dir / "aws.out").string() + "' 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 0) << command << "\n" << readFile(dir / "aws.out");
}

TEST(AwsGapsE2eTest, AuditsAndFillsALakeOnS3) {
  std::string error;
  const auto* servers = integration::testServers(&error);
  ASSERT_NE(servers, nullptr) << error;
  contract::TempDir scratch;
  const std::string queue = "gaps-" + scratch.path().filename().string().substr(13);
  ASSERT_EQ(provisionQueue(*servers, queue, std::chrono::seconds(10)), "");
  ASSERT_TRUE(testing::yahooFixturesPresent()) << testing::yahooFixtureDir();

  contract::TempDir dir;
  testing::ReplayServer replay;
  const auto aapl = testing::loadYahooFixture(testing::yahooFixtureDir() /
                                              "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
  for (const char* symbol : {"AAA", "BBB"}) {
    testing::ReplayResponse response;
    response.headers = aapl.front().headers;
    response.body = testing::substituteSymbol(aapl.front().body, symbol);
    replay.registry().put(symbol, response);
  }
  replay.start();
  const fs::path config = writeConfig(dir.path());
  const std::string prefix = "gaps-" + dir.path().filename().string();
  const std::vector<std::string> env = awsEnvironment(*servers);
  auto command = [&](std::vector<std::string> args) {
    args.insert(args.begin(), RAWFEED_BIN);
    args.insert(args.end(),
                {"--config", config.string(), "--lake", "s3://" + servers->bucket + "/" + prefix,
                 "--queue", "sqs://" + queue, "--source-url", replay.baseUrl()});
    return withEnv(env, args);
  };

  Subprocess run(command({"run", "--symbols", "AAA,BBB", "--period", "5y", "--no-progress"}),
                 dir.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  const std::string table =
      prefix + "/customer-data/prices/interval=1d/data_source=yahoo_finance/year=2020/";
  for (const char* key :
       {"month=09/day=15/BBB.json", "month=09/day=16/BBB.json", "month=10/day=20/AAA.json"}) {
    deleteWithAwsCli(*servers, table + key, env, dir.path());
  }

  Subprocess audit(command({"gaps", "--symbols", "AAA,BBB", "--json"}), dir.path(), "audit");
  ASSERT_EQ(audit.wait(), 5) << audit.out() << audit.err();
  const auto report = nlohmann::json::parse(audit.out());
  ASSERT_EQ(report["symbols"].size(), 2u) << report;
  EXPECT_EQ(report["symbols"][0]["missing"], nlohmann::json::array({"2020-10-20"}));
  EXPECT_EQ(report["symbols"][1]["missing"], nlohmann::json::array({"2020-09-15", "2020-09-16"}));
  EXPECT_EQ(report["lake"], "s3://" + servers->bucket + "/" + prefix);

  Subprocess fill(command({"gaps", "--symbols", "AAA,BBB", "--fill", "--no-progress"}), dir.path(),
                  "fill");
  ASSERT_EQ(fill.wait(), 0) << fill.out() << fill.err();
  EXPECT_NE(fill.out().find("objects   3 written"), std::string::npos) << fill.out();

  Subprocess again(command({"gaps", "--symbols", "AAA,BBB"}), dir.path(), "again");
  EXPECT_EQ(again.wait(), 0) << again.out() << again.err();
  EXPECT_NE(again.out().find("0 with gaps, 0 missing days"), std::string::npos) << again.out();
}

}  // namespace
}  // namespace rawfeed::e2e
