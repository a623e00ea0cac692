// `rawfeed provision` against fauxqs (through the SigV4-verifying proxy): the first run creates
// the domain's queue and DLQ, a second changes nothing; a missing bucket is a clear error.
#include <gtest/gtest.h>

#include "integration/aws_e2e/aws_support.h"
#include "integration/e2e/e2e_support.h"

namespace rawfeed::e2e {
namespace {

TEST(AwsProvisionTest, CreatesQueueAndDlqOnceAndChecksTheBucket) {
  std::string error;
  const auto* servers = integration::testServers(&error);
  ASSERT_NE(servers, nullptr) << error;
  contract::TempDir dir;
  const std::string queue = "prov-" + dir.path().filename().string().substr(13);
  const fs::path config = writeConfig(dir.path(), "worker_timeout_seconds = 20\n");
  const auto env = awsEnvironment(*servers);
  auto provision = [&](const std::string& lake, const std::string& name) {
    std::vector<std::string> argv = {"/usr/bin/env", "-i"};
    argv.insert(argv.end(), env.begin(), env.end());
    for (const auto& arg :
         std::vector<std::string>{RAWFEED_BIN, "provision", "--config", config.string(), "--queue",
                                  "sqs://" + queue, "--lake", lake}) {
      argv.push_back(arg);
    }
    return std::make_unique<Subprocess>(argv, dir.path(), name);
  };

  auto first = provision("s3://" + servers->bucket + "/prov", "first");
  ASSERT_EQ(first->wait(), 0) << first->out() << first->err();
  EXPECT_NE(first->out().find("created queue " + queue + "-dlq"), std::string::npos)
      << first->out();
  EXPECT_NE(first->out().find("created queue " + queue), std::string::npos) << first->out();
  EXPECT_NE(first->out().find("bucket reachable"), std::string::npos) << first->out();

  auto second = provision("s3://" + servers->bucket + "/prov", "second");
  ASSERT_EQ(second->wait(), 0) << second->err();
  EXPECT_NE(second->out().find("already as configured"), std::string::npos) << second->out();
  EXPECT_EQ(second->out().find("created"), std::string::npos) << second->out();

  auto missing = provision("s3://no-such-bucket-" + queue + "/x", "missing");
  EXPECT_NE(missing->wait(), 0);
  EXPECT_NE(missing->err().find("no-such-bucket-"), std::string::npos) << missing->err();
}

}  // namespace
}  // namespace rawfeed::e2e
