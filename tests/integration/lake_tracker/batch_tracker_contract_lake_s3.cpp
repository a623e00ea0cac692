#include "contract/batch_tracker_contract.h"
#include "integration/lake_tracker/s3_lake.h"
#include "tracker/lake/lake_batch_tracker.h"

namespace rawfeed::contract {
namespace {

using integration::S3Fixture;
using integration::S3Server;
using integration::TestServers;

// The lake tracker on each real server, in a fresh prefix per test. Pages of 25 keys make the
// 60-chunk concurrency test's completion checks cross continuation tokens. fauxqs and s3rver
// ignore If-None-Match, so there the store creates with HEAD then PUT: this also shows that one
// process's racing recorders stay exact on such a server.
class S3LakeTrackerHarness final : public BatchTrackerHarness {
 public:
  S3LakeTrackerHarness(const S3Server& server, const TestServers& servers) {
    store::s3::S3Options overrides;
    overrides.list_page_size = 25;
    fixture_ = std::make_unique<S3Fixture>(server, servers.region, servers.bucket, overrides);
    if (fixture_->ok()) {
      tracker_ = std::make_unique<tracker::lake::LakeBatchTracker>(fixture_->store());
    }
  }
  bool ok() const { return tracker_ != nullptr; }
  std::string error() const { return fixture_->error(); }
  tracker::BatchTracker& tracker() override { return *tracker_; }
  tracker::BatchTracker& reopen() override {
    tracker_ = std::make_unique<tracker::lake::LakeBatchTracker>(fixture_->store());
    return *tracker_;
  }
  std::unique_ptr<tracker::BatchTracker> another() override {
    return std::make_unique<tracker::lake::LakeBatchTracker>(fixture_->store());
  }
  // Two instances are two hosts: only a create-only put that one request decides keeps their
  // claims exclusive (fauxqs and s3rver ignore If-None-Match; the store then HEADs and PUTs).
  std::optional<std::string> unsupported(std::string_view test_name) override {
    if (test_name.find("AcrossInstances") == std::string_view::npos)
      return std::nullopt;
    if (fixture_->store().createMethod() == store::s3::CreateMethod::kIfNoneMatch)
      return std::nullopt;
    return std::string(
        "the server ignores If-None-Match: create-only puts are HEAD then PUT, "
        "so two hosts may both take a claim");
  }

 private:
  std::unique_ptr<S3Fixture> fixture_;
  std::unique_ptr<tracker::lake::LakeBatchTracker> tracker_;
};

// Fails the test, saying how to start the servers, when they are not running. The suite's
// SetUp has no null check, so the harness that cannot be made throws: gtest fails the test with
// the message and never runs its body.
std::unique_ptr<BatchTrackerHarness> makeHarness(const S3Server TestServers::*which) {
  std::string error;
  const TestServers* servers = integration::testServers(&error);
  if (servers != nullptr)
    error = integration::prepareBucket(*servers, servers->*which);
  if (error.empty()) {
    auto harness = std::make_unique<S3LakeTrackerHarness>(servers->*which, *servers);
    if (harness->ok())
      return harness;
    error = harness->error();
  }
  throw std::runtime_error(error);  // gtest reports it as the test's failure
}

INSTANTIATE_TEST_SUITE_P(
    S3Servers, BatchTrackerContractTest,
    ::testing::Values(
        BatchTrackerBackend{"Fauxqs", [] { return makeHarness(&TestServers::fauxqs); }},
        BatchTrackerBackend{"S3rver", [] { return makeHarness(&TestServers::s3rver); }},
        BatchTrackerBackend{"Moto", [] { return makeHarness(&TestServers::moto); }}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rawfeed::contract
