#include "contract/batch_tracker_contract.h"
#include "contract/temp_dir.h"
#include "tracker/sqlite/sqlite_batch_tracker.h"

namespace rawfeed::contract {
namespace {

class SqliteTrackerHarness final : public BatchTrackerHarness {
 public:
  SqliteTrackerHarness() { open(); }
  tracker::BatchTracker& tracker() override { return *tracker_; }
  tracker::BatchTracker& reopen() override {
    tracker_.reset();  // the file closed first, as when a process ends
    open();
    return *tracker_;
  }
  std::unique_ptr<tracker::BatchTracker> another() override {
    auto opened = tracker::sqlite::SqliteBatchTracker::open({dir_.path() / "tracker.db"});
    if (!opened.ok()) {
      ADD_FAILURE() << opened.error().describe();
      return nullptr;
    }
    return std::move(opened).value();
  }

 private:
  void open() {
    auto opened = tracker::sqlite::SqliteBatchTracker::open({dir_.path() / "tracker.db"});
    if (!opened.ok()) {
      ADD_FAILURE() << opened.error().describe();
      return;
    }
    tracker_ = std::move(opened).value();
  }

  TempDir dir_;
  std::unique_ptr<tracker::sqlite::SqliteBatchTracker> tracker_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, BatchTrackerContractTest,
                         ::testing::Values(BatchTrackerBackend{
                             "Sqlite", [] { return std::make_unique<SqliteTrackerHarness>(); }}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rawfeed::contract
