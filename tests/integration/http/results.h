#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "http/http_client.h"

namespace rawfeed::testing {

// Collects the callbacks of `count` requests, counting calls so "exactly once" is checked, and
// lets the test wait for them on a condition variable rather than sleeping.
class Results {
 public:
  explicit Results(std::size_t count) : results_(count), calls_(count, 0), times_(count) {}

  http::HttpClient::Callback callback(std::size_t id) {
    return [this, id](core::Result<http::HttpResponse> result) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++calls_[id];
      results_[id] = std::make_unique<core::Result<http::HttpResponse>>(std::move(result));
      times_[id] = std::chrono::steady_clock::now();
      ++done_;
      changed_.notify_all();
    };
  }

  bool waitAll(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return done_ >= results_.size(); });
  }

  const core::Result<http::HttpResponse>& at(std::size_t id) const { return *results_.at(id); }
  core::SteadyTime timeOf(std::size_t id) const { return times_.at(id); }
  int calls(std::size_t id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_.at(id);
  }
  bool eachCalledOnce() const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int calls : calls_) {
      if (calls != 1) {
        return false;
      }
    }
    return true;
  }

 private:
  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  std::vector<std::unique_ptr<core::Result<http::HttpResponse>>> results_;
  std::vector<int> calls_;
  std::vector<core::SteadyTime> times_;
  std::size_t done_ = 0;
};

}  // namespace rawfeed::testing
