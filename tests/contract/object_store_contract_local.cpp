#include "contract/object_store_contract.h"
#include "contract/temp_dir.h"
#include "store/local/local_object_store.h"

namespace rawfeed::contract {
namespace {

class LocalObjectStoreHarness final : public ObjectStoreHarness {
 public:
  LocalObjectStoreHarness() : store_(dir_.path() / "lake") {}
  store::ObjectStore& store() override { return store_; }

 private:
  TempDir dir_;
  store::local::LocalObjectStore store_;
};

INSTANTIATE_TEST_SUITE_P(Local, ObjectStoreContractTest,
                         ::testing::Values(ObjectStoreBackend{
                             "Local", [] { return std::make_unique<LocalObjectStoreHarness>(); }}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rawfeed::contract
