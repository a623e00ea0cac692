#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

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
  // Why this backend cannot meet the named case ("VisibilityExpiryRedelivers...", without the
  // instantiation's suffix), or nullopt. For a real service's documented differences and a test
  // server's known bugs: the case is skipped with this reason printed, never silently.
  virtual std::optional<std::string> unsupported(std::string_view test_name) const {
    (void)test_name;
    return std::nullopt;
  }
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
//                            [](const auto& param_info) { return param_info.param.name; });
class QueueContractTest : public ::testing::TestWithParam<QueueBackend> {
 protected:
  void SetUp() override {
    harness_ = GetParam().make();
    if (HasFatalFailure())
      return;
    std::string_view name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    if (auto why = harness_->unsupported(name.substr(0, name.find('/')))) {
      GTEST_SKIP() << GetParam().name << " cannot meet this case: " << *why;
    }
  }
  queue::Queue& queue() { return harness_->queue(); }

  std::unique_ptr<QueueHarness> harness_;
};

}  // namespace rawfeed::contract
