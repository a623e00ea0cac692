#include "contract/object_store_contract.h"
#include "unit/store_s3/s3_world.h"

namespace rawfeed::contract {
namespace {

using store::s3::testing::FakeS3;
using store::s3::testing::FakeWorld;

// The contract on the in-memory S3, once per way a server treats If-None-Match, with small
// listing pages so that every listing crosses page boundaries.
class FakeS3Harness final : public ObjectStoreHarness {
 public:
  explicit FakeS3Harness(FakeS3::IfNoneMatch mode) {
    world_.s3.setIfNoneMatch(mode);
    auto options = FakeWorld::options();
    options.list_page_size = 2;
    store_ = world_.make(options);
  }
  store::ObjectStore& store() override { return *store_; }

 private:
  FakeWorld world_;
  std::unique_ptr<store::s3::S3ObjectStore> store_;
};

INSTANTIATE_TEST_SUITE_P(
    FakeS3, ObjectStoreContractTest,
    ::testing::Values(
        ObjectStoreBackend{
            "Honours",
            [] { return std::make_unique<FakeS3Harness>(FakeS3::IfNoneMatch::kHonour); }},
        ObjectStoreBackend{
            "Ignores",
            [] { return std::make_unique<FakeS3Harness>(FakeS3::IfNoneMatch::kIgnore); }}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rawfeed::contract
