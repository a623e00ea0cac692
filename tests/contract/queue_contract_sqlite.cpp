#include "contract/queue_contract.h"
#include "contract/temp_dir.h"
#include "queue/sqlite/sqlite_queue.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::contract {
namespace {

class SqliteQueueHarness final : public QueueHarness {
 public:
  SqliteQueueHarness() {
    queue::sqlite::SqliteQueueOptions options;
    options.db_path = dir_.path() / "queues" / "prices.db";
    options.queue_name = "prices";
    auto opened = queue::sqlite::SqliteQueue::open(options, clock_);
    if (!opened.ok()) {
      ADD_FAILURE() << opened.error().describe();
      return;
    }
    options_ = options;
    queue_ = std::move(opened).value();
  }
  queue::Queue& queue() override { return *queue_; }
  bool advance(std::chrono::seconds by) override {
    clock_.advance(by);
    return true;
  }
  std::chrono::seconds defaultVisibility() const override { return options_.visibility_timeout; }
  int maxReceives() const override { return options_.max_receives; }
  std::chrono::seconds retention() const override { return options_.retention; }

 private:
  TempDir dir_;
  fakes::FakeClock clock_;
  queue::sqlite::SqliteQueueOptions options_;
  std::unique_ptr<queue::sqlite::SqliteQueue> queue_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, QueueContractTest,
                         ::testing::Values(QueueBackend{
                             "Sqlite", [] { return std::make_unique<SqliteQueueHarness>(); }}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rawfeed::contract
