#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/curl/curl_http_client.h"
#include "store/s3/s3_object_store.h"
#include "support/fakes/static_credentials.h"

namespace rawfeed::integration {

// The local S3 servers as scripts/aws-test-servers.sh describes them: each RAWFEED_TEST_* name
// from the process environment when the script's variables were exported, else all from the env
// file it wrote (out/aws-test-servers.env), so that `ctest` works right after `start` without
// exporting.
struct S3Server {
  std::string name;       // "fauxqs", "s3rver", "moto"
  std::string proxy_url;  // the SigV4-verifying proxy in front of it
  std::string url;        // the server itself, for a test's own proxy in front of it
  std::string access_key_id;
  std::string secret_access_key;
};

struct TestServers {
  std::string region;
  std::string bucket;
  S3Server fauxqs;
  S3Server s3rver;
  S3Server moto;
};

// The servers, or an error message saying what is missing and to run
// `scripts/aws-test-servers.sh start`. Tests FAIL on it, never skip.
const TestServers* testServers(std::string* error);

// The servers' keys, or wrong ones on purpose.
using fakes::StaticCredentials;

// One S3ObjectStore on a real server: its own HTTP client, credentials, and a fresh prefix so
// that tests sharing a bucket never see each other's objects.
class S3Fixture {
 public:
  S3Fixture(const S3Server& server, const std::string& region, const std::string& bucket,
            store::s3::S3Options overrides = {});
  store::s3::S3ObjectStore& store() { return *store_; }
  bool ok() const { return store_ != nullptr; }
  const std::string& prefix() const { return prefix_; }
  const std::string& error() const { return error_; }

 private:
  core::SystemRandom random_;
  http::curl::CurlHttpClient http_;
  StaticCredentials credentials_;
  std::string prefix_;
  std::string error_;
  std::unique_ptr<store::s3::S3ObjectStore> store_;
};

// Options pointing at `server`, with a fresh prefix under "it/".
store::s3::S3Options optionsFor(const S3Server& server, const std::string& region,
                                const std::string& bucket, core::Random& random);

// Makes `bucket` on `server` when missing (moto starts without one): PUT Bucket, signed.
core::Status ensureBucket(const S3Server& server, const std::string& region,
                          const std::string& bucket);

}  // namespace rawfeed::integration

// ASSERT-style: fails the test, with the start instruction, when the servers are not running.
#define RAWFEED_REQUIRE_S3_SERVERS(servers)                  \
  std::string servers##_error;                               \
  const ::rawfeed::integration::TestServers* servers =       \
      ::rawfeed::integration::testServers(&servers##_error); \
  ASSERT_NE(servers, nullptr) << servers##_error
