#include "contract/batch_tracker_contract.h"
#include "contract/temp_dir.h"
#include "store/local/local_object_store.h"
#include "support/fakes/in_memory_object_store.h"
#include "tracker/lake/lake_batch_tracker.h"

namespace rawfeed::contract {
namespace {

// The lake tracker over a local directory: the store a single-host deployment uses, with
// create-only puts decided by rename-no-replace.
class LocalLakeTrackerHarness final : public BatchTrackerHarness {
 public:
  tracker::BatchTracker& tracker() override { return *tracker_; }
  tracker::BatchTracker& reopen() override {
    tracker_ = std::make_unique<tracker::lake::LakeBatchTracker>(store_);
    return *tracker_;
  }
  std::unique_ptr<tracker::BatchTracker> another() override {
    return std::make_unique<tracker::lake::LakeBatchTracker>(store_);
  }

 private:
  TempDir dir_;
  store::local::LocalObjectStore store_{dir_.path() / "lake"};
  std::unique_ptr<tracker::lake::LakeBatchTracker> tracker_ =
      std::make_unique<tracker::lake::LakeBatchTracker>(store_);
};

// The lake tracker over a map: the same contract without the file system.
class InMemoryLakeTrackerHarness final : public BatchTrackerHarness {
 public:
  tracker::BatchTracker& tracker() override { return *tracker_; }
  tracker::BatchTracker& reopen() override {
    tracker_ = std::make_unique<tracker::lake::LakeBatchTracker>(store_);
    return *tracker_;
  }
  std::unique_ptr<tracker::BatchTracker> another() override {
    return std::make_unique<tracker::lake::LakeBatchTracker>(store_);
  }

 private:
  fakes::InMemoryObjectStore store_;
  std::unique_ptr<tracker::lake::LakeBatchTracker> tracker_ =
      std::make_unique<tracker::lake::LakeBatchTracker>(store_);
};

INSTANTIATE_TEST_SUITE_P(
    Lake, BatchTrackerContractTest,
    ::testing::Values(
        BatchTrackerBackend{"LocalDirectory",
                            [] { return std::make_unique<LocalLakeTrackerHarness>(); }},
        BatchTrackerBackend{"InMemory",
                            [] { return std::make_unique<InMemoryLakeTrackerHarness>(); }}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rawfeed::contract
