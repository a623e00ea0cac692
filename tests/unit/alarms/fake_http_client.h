#pragma once

#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "http/http_client.h"

namespace rawfeed::alarms::testing {

// Records every request and answers only when the test says so, one pending request at a time
// in arrival order, on the test's thread: retries become a script. Thread-safe.
class FakeHttpClient final : public http::HttpClient {
 public:
  void send(http::HttpRequest request, Callback done) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    pending_.emplace_back(std::move(done));
  }

  // Answers the oldest pending request; false when none is pending.
  bool respond(int status, std::string body = {}) {
    http::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    return complete(std::move(response));
  }
  bool fail(core::ErrorCode code) { return complete(core::makeError(code, "fake failure")); }

  std::vector<http::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t pending() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
  }

 private:
  bool complete(core::Result<http::HttpResponse> result) {
    Callback done;
    {
      std::lock_guard lock(mutex_);
      if (pending_.empty())
        return false;
      done = std::move(pending_.front());
      pending_.pop_front();
    }
    done(std::move(result));  // outside the lock: a retry sends again from inside
    return true;
  }

  mutable std::mutex mutex_;  // guards requests_ and pending_
  std::vector<http::HttpRequest> requests_;
  std::deque<Callback> pending_;
};

}  // namespace rawfeed::alarms::testing
