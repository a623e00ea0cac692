#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "http/http_client.h"

namespace rawfeed::aws::testing {

// Answers each request at once, on the caller's thread, from a script of canned results in
// order; records every request. No socket is ever opened, so tests can name 169.254.x hosts
// without traffic leaving the process. Thread-safe.
class FakeHttpClient final : public http::HttpClient {
 public:
  void send(http::HttpRequest request, Callback done) override {
    core::Result<http::HttpResponse> result =
        core::makeError(core::ErrorCode::kInternal, "fake: no scripted answer left");
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(request));
      if (!script_.empty()) {
        result = std::move(script_.front());
        script_.pop_front();
      }
    }
    done(std::move(result));
  }

  void answer(int status, std::string body = {}, http::Headers headers = {}) {
    http::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    std::lock_guard lock(mutex_);
    script_.emplace_back(std::move(response));
  }
  void fail(core::ErrorCode code, std::string message = "connection refused") {
    std::lock_guard lock(mutex_);
    script_.emplace_back(core::makeError(code, std::move(message)));
  }

  std::vector<http::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;  // guards requests_ and script_
  std::vector<http::HttpRequest> requests_;
  std::deque<core::Result<http::HttpResponse>> script_;
};

// The first value of a header (case-insensitive), or "" when absent.
inline std::string headerValue(const http::Headers& headers, std::string_view name) {
  http::HttpResponse probe;
  probe.headers = headers;
  return probe.header(name).value_or("");
}

}  // namespace rawfeed::aws::testing
