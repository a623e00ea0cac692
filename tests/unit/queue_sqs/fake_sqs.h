#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/credentials.h"
#include "core/random.h"
#include "http/http_client.h"

namespace rawfeed::queue::sqs::testing {

// One request as the fake saw it.
struct SeenCall {
  std::string action;  // from X-Amz-Target, "AmazonSQS." removed
  nlohmann::json body;
  http::HttpRequest request;
};

// An SQS endpoint in memory: answers each action from its own script, in order, on the caller's
// thread; records every request. An action without a scripted answer gets a 500 naming it, so a
// test that forgot one fails loudly. No socket is opened. Thread-safe.
class FakeSqs final : public http::HttpClient {
 public:
  void send(http::HttpRequest request, Callback done) override {
    std::string target;
    for (const auto& [name, value] : request.headers) {
      if (name == "X-Amz-Target")
        target = value;
    }
    const std::string action = target.rfind("AmazonSQS.", 0) == 0 ? target.substr(10) : target;
    core::Result<http::HttpResponse> result = reply(500, "{\"__type\":\"NoScript\"}");
    {
      std::lock_guard lock(mutex_);
      calls_.push_back({action, nlohmann::json::parse(request.body, nullptr, false), request});
      auto& script = scripts_[action];
      if (!script.empty()) {
        result = std::move(script.front());
        script.pop_front();
      }
    }
    done(std::move(result));
  }

  // The next answer to `action`.
  void on(const std::string& action, int status, nlohmann::json body, http::Headers headers = {}) {
    script(action, reply(status, body.is_null() ? std::string() : body.dump(), std::move(headers)));
  }
  void onRaw(const std::string& action, int status, std::string body) {
    script(action, reply(status, std::move(body)));
  }
  void onFailure(const std::string& action, core::ErrorCode code, std::string message) {
    script(action, core::makeError(code, std::move(message)));
  }

  std::vector<SeenCall> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<SeenCall> calls(const std::string& action) const {
    std::vector<SeenCall> out;
    for (auto& call : calls()) {
      if (call.action == action)
        out.push_back(call);
    }
    return out;
  }
  std::vector<std::string> actions() const {
    std::vector<std::string> out;
    for (const auto& call : calls())
      out.push_back(call.action);
    return out;
  }
  void clearCalls() {
    std::lock_guard lock(mutex_);
    calls_.clear();
  }

 private:
  static http::HttpResponse reply(int status, std::string body, http::Headers headers = {}) {
    http::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    return response;
  }
  void script(const std::string& action, core::Result<http::HttpResponse> result) {
    std::lock_guard lock(mutex_);
    scripts_[action].push_back(std::move(result));
  }

  mutable std::mutex mutex_;  // guards calls_ and scripts_
  std::vector<SeenCall> calls_;
  std::map<std::string, std::deque<core::Result<http::HttpResponse>>> scripts_;
};

class StaticCredentials final : public aws::CredentialsProvider {
 public:
  explicit StaticCredentials(aws::Credentials credentials) : credentials_(std::move(credentials)) {}
  core::Result<aws::Credentials> credentials() override { return credentials_; }
  std::string describe() const override { return "static"; }

 private:
  aws::Credentials credentials_;
};

class FailingCredentials final : public aws::CredentialsProvider {
 public:
  core::Result<aws::Credentials> credentials() override {
    return core::makeError(core::ErrorCode::kUnauthenticated, "no credentials in the environment");
  }
  std::string describe() const override { return "failing"; }
};

// uniform01() answers `value` every time, so backoff delays are exact.
class FixedRandom final : public core::Random {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double uniform01() override { return value_; }
  std::uint64_t next64() override { return 42; }

 private:
  double value_;
};

inline aws::Credentials testCredentials() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY==", "", std::nullopt};
}

inline std::string header(const http::HttpRequest& request, std::string_view name) {
  http::HttpResponse probe;
  probe.headers = request.headers;
  return probe.header(name).value_or("");
}

}  // namespace rawfeed::queue::sqs::testing
