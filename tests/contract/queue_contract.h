#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "queue/queue.h"

namespace rawfeed::contract {

// What the queue contract needs from a backend: a fresh, empty queue and a way to move its time.
class QueueHarness {
 public:
  virtual ~QueueHarness() = default;
  virtual queue::Queue& queue() = 0;
  // Moves the queue's time forward; false when the backend runs on real time (a real service),
  // and the tests that need it skip.
  virtual bool advance(std::chrono::seconds by) = 0;
  virtual std::chrono::seconds defaultVisibility() const = 0;
  virtual int maxReceives() const = 0;
  virtual std::chrono::seconds retention() const = 0;
};

struct QueueBackend {
  std::string name;  // the test-name suffix
  std::function<std::unique_ptr<QueueHarness>()> make;
};

// Test names and failure messages show the backend by name.
inline void PrintTo(const QueueBackend& backend, std::ostream* out) {
  *out << backend.name;
}

// Instantiate once per backend:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, QueueContractTest, ::testing::Values(QueueBackend{...}),
//                            [](const auto& info) { return info.param.name; });
class QueueContractTest : public ::testing::TestWithParam<QueueBackend> {
 protected:
  void SetUp() override { harness_ = GetParam().make(); }
  queue::Queue& queue() { return harness_->queue(); }

  std::unique_ptr<QueueHarness> harness_;
};

}  // namespace rawfeed::contract
