#include "contract/batch_tracker_contract.h"
#include "contract/temp_dir.h"
#include "tracker/sqlite/sqlite_batch_tracker.h"

namespace rawfeed::contract {
namespace {

class SqliteTrackerHarness final : public BatchTrackerHarness {
 public:
  SqliteTrackerHarness() {
    auto opened = tracker::sqlite::SqliteBatchTracker::open({dir_.path() / "tracker.db"});
    if (!opened.ok()) {
      ADD_FAILURE() << opened.error().describe();
      return;
    }
    tracker_ = std::move(opened).value();
  }
  tracker::BatchTracker& tracker() override { return *tracker_; }

 private:
  TempDir dir_;
  std::unique_ptr<tracker::sqlite::SqliteBatchTracker> tracker_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, BatchTrackerContractTest,
                         ::testing::Values(BatchTrackerBackend{
                             "Sqlite", [] { return std::make_unique<SqliteTrackerHarness>(); }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace rawfeed::contract
