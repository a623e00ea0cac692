#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "tracker/batch_tracker.h"

namespace rawfeed::contract {

// A fresh tracker with no batches, owning its storage (a temp folder, a bucket prefix).
class BatchTrackerHarness {
 public:
  virtual ~BatchTrackerHarness() = default;
  virtual tracker::BatchTracker& tracker() = 0;
  // A new tracker over the same storage, as after a restart or on another host (nothing in
  // memory); tracker() answers the new one from then on.
  virtual tracker::BatchTracker& reopen() = 0;
  // Another tracker over the same storage, alive beside tracker(): another process or host.
  virtual std::unique_ptr<tracker::BatchTracker> another() = 0;
  // Why the backend cannot keep the promise test `test_name` checks, when it cannot: the test
  // is skipped with the reason printed. Asked once the test has registered a batch.
  virtual std::optional<std::string> unsupported(std::string_view /*test_name*/) {
    return std::nullopt;
  }
};

struct BatchTrackerBackend {
  std::string name;  // the test-name suffix
  std::function<std::unique_ptr<BatchTrackerHarness>()> make;
};

// Test names and failure messages show the backend by name.
inline void PrintTo(const BatchTrackerBackend& backend, std::ostream* out) {
  *out << backend.name;
}

// Instantiate once per backend, like QueueContractTest.
class BatchTrackerContractTest : public ::testing::TestWithParam<BatchTrackerBackend> {
 protected:
  void SetUp() override { harness_ = GetParam().make(); }
  tracker::BatchTracker& tracker() { return harness_->tracker(); }
  tracker::BatchTracker& reopen() { return harness_->reopen(); }

  std::unique_ptr<BatchTrackerHarness> harness_;
};

}  // namespace rawfeed::contract
