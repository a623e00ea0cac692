// Signatures are checked by the SigV4-verifying proxy in front of fauxqs (the servers check
// none): a wrong secret or an unknown key must come back as kUnauthenticated with the words of
// the refusal, at open() — before any worker starts.
#include <gtest/gtest.h>

#include "integration/sqs/sqs_test_server.h"

namespace rawfeed::queue::sqs {
namespace {

class SqsAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::sqsServer("FAUXQS");
    ASSERT_TRUE(server);
    server_ = *server;
    fakes::StaticCredentials good(server_.credentials);
    auto pair = testing::createQueuePair(server_, http_, good, random_, {});
    ASSERT_TRUE(pair.ok()) << pair.error().describe();
    pair_ = *pair;
  }

  core::Result<std::unique_ptr<SqsQueue>> openWith(aws::Credentials credentials) {
    fakes::StaticCredentials provider(std::move(credentials));
    auto options = testing::queueOptions(server_, pair_);
    options.max_retries = 0;
    return SqsQueue::open(options, http_, provider, core::systemClock(), random_);
  }

  http::curl::CurlHttpClient http_;
  core::SystemRandom random_;
  testing::SqsServer server_;
  testing::QueuePair pair_;
};

TEST_F(SqsAuthTest, TheRightKeysOpenTheQueue) {
  auto opened = openWith(server_.credentials);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
}

TEST_F(SqsAuthTest, AWrongSecretIsUnauthenticatedWithTheServersWords) {
  auto credentials = server_.credentials;
  credentials.secret_access_key += "x";
  auto opened = openWith(credentials);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::kUnauthenticated) << opened.error().describe();
  EXPECT_NE(opened.error().message.find("SignatureDoesNotMatch"), std::string::npos)
      << opened.error().message;
  EXPECT_EQ(opened.error().message.find(credentials.secret_access_key), std::string::npos)
      << "a secret must never reach an error message";
}

TEST_F(SqsAuthTest, AnUnknownAccessKeyIsUnauthenticated) {
  auto credentials = server_.credentials;
  credentials.access_key_id = "AKIDNOTKNOWNHERE";
  auto opened = openWith(credentials);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::kUnauthenticated) << opened.error().describe();
}

TEST_F(SqsAuthTest, TheWrongRegionIsRefused) {
  auto options = testing::queueOptions(server_, pair_);
  options.region = "eu-west-3";
  options.max_retries = 0;
  fakes::StaticCredentials provider(server_.credentials);
  auto opened = SqsQueue::open(options, http_, provider, core::systemClock(), random_);
  ASSERT_FALSE(opened.ok());
  // The proxy expects the servers' region in the credential scope, as AWS would for its host.
  EXPECT_EQ(opened.error().code, core::ErrorCode::kUnauthenticated) << opened.error().describe();
}

}  // namespace
}  // namespace rawfeed::queue::sqs
