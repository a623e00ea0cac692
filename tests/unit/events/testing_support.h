#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "core/random.h"
#include "http/http_client.h"

namespace rawfeed::events::testing {

// Answers each request at once, in order, from a script of responses and transport failures, and
// records every request (with its not_before) so tests check the shape and the backoff without a
// network or a sleep. An exhausted script answers 599 so a runaway retry loop shows up as such.
class ScriptedHttpClient final : public http::HttpClient {
 public:
  ScriptedHttpClient& then(int status, std::string body = {}) {
    http::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    std::lock_guard lock(mutex_);
    script_.emplace_back(std::move(response));
    return *this;
  }
  ScriptedHttpClient& thenFail(core::ErrorCode code) {
    std::lock_guard lock(mutex_);
    script_.emplace_back(core::makeError(code, "connection reset by the fake"));
    return *this;
  }

  void send(http::HttpRequest request, Callback done) override {
    core::Result<http::HttpResponse> answer = http::HttpResponse{599, {}, "script exhausted", 0};
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(request));
      if (!script_.empty()) {
        answer = std::move(script_.front());
        script_.pop_front();
      }
    }
    done(std::move(answer));
  }

  std::vector<http::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;  // guards script_ and requests_
  std::deque<core::Result<http::HttpResponse>> script_;
  std::vector<http::HttpRequest> requests_;
};

// uniform01() answers `value` every time, so backoff delays are exact.
class FixedRandom final : public core::Random {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double uniform01() override { return value_; }
  std::uint64_t next64() override { return 7; }

 private:
  double value_;
};

class StaticCredentials final : public aws::CredentialsProvider {
 public:
  core::Result<aws::Credentials> credentials() override {
    return aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "",
                            std::nullopt};
  }
  std::string describe() const override { return "static"; }
};

inline std::string header(const http::HttpRequest& request, std::string_view name) {
  http::HttpResponse probe;
  probe.headers = request.headers;
  return probe.header(name).value_or("");
}

// A completion event as BatchFinalizer writes it (contracts §7).
inline std::string completionEvent(const std::string& batch_id, const std::string& domain = "d1") {
  return R"({"detail-type":"Extract Batch Completed","source":"rawfeed","detail":{"schema":)"
         R"("rawfeed.completion/1","batch_id":")" +
         batch_id + R"(","batch_ds":"2026-11-26","domain":")" + domain +
         R"(","table_name":"prices","interval":"1d","data_source":"yahoo_finance",)"
         R"("manifest_keys":["k"],"objects_written":3,"objects_skipped":1,)"
         R"("failed_symbols":[],"status":"complete"}})";
}

}  // namespace rawfeed::events::testing
