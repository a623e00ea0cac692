#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "contract/temp_dir.h"
#include "observe/metrics_registry.h"
#include "pipeline/batch_finalizer.h"
#include "pipeline/orchestrator.h"
#include "pipeline/worker.h"
#include "support/fakes/batch_request_builder.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/in_memory_object_store.h"
#include "support/fakes/in_memory_queue.h"
#include "tracker/sqlite/sqlite_batch_tracker.h"
#include "unit/pipeline/fakes.h"

namespace rawfeed::pipeline::testing {

// A Worker (max_receives 3) over fakes, a lake in memory and a SQLite tracker in a temporary
// directory, for the tests of the worker and of what drives it (pool, Lambda handler).
class WorkerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = tracker::sqlite::SqliteBatchTracker::open({dir_.path() / "tracker.db"});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    tracker_ = std::move(opened).value();
    finalizer_ = std::make_unique<BatchFinalizer>(store_, *tracker_, events_, "test", clock_);
    worker_ = std::make_unique<Worker>(source_, store_, *tracker_, *finalizer_, metrics_, logger_,
                                       clock_, WorkerOptions{3});
  }

  // Orchestrates `symbols` of `request` onto `queue` in chunks of 2.
  void orchestrateOnto(queue::Queue& queue, const std::vector<std::string>& symbols,
                       const BatchRequest& request) {
    Orchestrator orchestrator(queue, *tracker_, clock_, {2, 10});
    auto result = orchestrator.orchestrate(request, symbols);
    ASSERT_TRUE(result.ok()) << result.error().message;
  }

  contract::TempDir dir_;
  fakes::FakeClock clock_;
  fakes::InMemoryObjectStore store_;
  RecordingEventSink events_;
  ScriptedSource source_;
  observe::MetricsRegistry registry_;
  observe::DomainMetrics metrics_{registry_, "customer-data"};
  observe::NullLogger logger_;
  fakes::InMemoryQueue queue_;
  std::unique_ptr<tracker::BatchTracker> tracker_;
  std::unique_ptr<BatchFinalizer> finalizer_;
  std::unique_ptr<Worker> worker_;
};

}  // namespace rawfeed::pipeline::testing
