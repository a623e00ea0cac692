#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

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
