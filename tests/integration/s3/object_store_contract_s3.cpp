#include "contract/object_store_contract.h"
#include "integration/s3/test_servers.h"

namespace rawfeed::contract {
namespace {

using integration::S3Fixture;
using integration::S3Server;
using integration::TestServers;

// The contract on each real server behind the SigV4-verifying proxy, so every call of the suite
// is also a signature check (keys with '=', '^', spaces, '%', UTF-8). Pages of 2 make every
// listing cross continuation tokens; a fresh prefix per test keeps tests apart in one bucket.
class RealS3Harness final : public ObjectStoreHarness {
 public:
  RealS3Harness(const S3Server& server, const TestServers& servers) : name_(server.name) {
    store::s3::S3Options overrides;
    overrides.list_page_size = 2;
    fixture_ = std::make_unique<S3Fixture>(server, servers.region, servers.bucket, overrides);
  }
  bool ok() const { return fixture_->ok(); }
  std::string error() const { return fixture_->error(); }
  store::ObjectStore& store() override { return fixture_->store(); }

 private:
  std::string name_;
  std::unique_ptr<S3Fixture> fixture_;
};

std::unique_ptr<ObjectStoreHarness> makeHarness(const S3Server TestServers::*which) {
  std::string error;
  const TestServers* servers = integration::testServers(&error);
  if (servers == nullptr) {
    ADD_FAILURE() << error;
    return nullptr;
  }
  if (which == &TestServers::moto) {
    // moto starts without buckets; the other two are given the test bucket at start.
    static const core::Status created =
        integration::ensureBucket(servers->moto, servers->region, servers->bucket);
    if (!created) {
      ADD_FAILURE() << "creating the bucket on moto: " << created.error().describe();
      return nullptr;
    }
  }
  auto harness = std::make_unique<RealS3Harness>(servers->*which, *servers);
  if (!harness->ok()) {
    ADD_FAILURE() << harness->error();
    return nullptr;
  }
  return harness;
}

INSTANTIATE_TEST_SUITE_P(
    S3Servers, ObjectStoreContractTest,
    ::testing::Values(
        ObjectStoreBackend{"Fauxqs", [] { return makeHarness(&TestServers::fauxqs); }},
        ObjectStoreBackend{"S3rver", [] { return makeHarness(&TestServers::s3rver); }},
        ObjectStoreBackend{"Moto", [] { return makeHarness(&TestServers::moto); }}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rawfeed::contract
