#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/credentials.h"
#include "http/http_client.h"
#include "support/fakes/fake_http_client.h"

namespace rawfeed::queue::sqs::testing {

// One request as the fake saw it.
struct SeenCall {
  std::string action;  // from X-Amz-Target, "AmazonSQS." removed
  nlohmann::json body;
  http::HttpRequest request;
};

// An SQS endpoint in memory: answers each action from its own script, in order, on the caller's
// thread; records every request. An action without a scripted answer gets a 500 naming it, so a
// test that forgot one fails loudly. No socket is opened. The shared HttpClient fake does the
// scripting and recording, routed by action; this adds SQS's JSON. Thread-safe.
class FakeSqs final : public http::HttpClient {
 public:
  FakeSqs()
      : http_([](const http::HttpRequest&) -> fakes::FakeHttpClient::Answer {
          return fakes::FakeHttpClient::response(500, "{\"__type\":\"NoScript\"}");
        }) {
    http_.routeBy(actionOf);
  }

  void send(http::HttpRequest request, Callback done) override {
    http_.send(std::move(request), std::move(done));
  }

  // The next answer to `action`.
  void on(const std::string& action, int status, nlohmann::json body, http::Headers headers = {}) {
    http_.answerFor(action, status, body.is_null() ? std::string() : body.dump(),
                    std::move(headers));
  }
  void onRaw(const std::string& action, int status, std::string body) {
    http_.answerFor(action, status, std::move(body));
  }
  void onFailure(const std::string& action, core::ErrorCode code, std::string message) {
    http_.failFor(action, code, std::move(message));
  }

  std::vector<SeenCall> calls() const {
    std::vector<SeenCall> out;
    for (auto& request : http_.requests()) {
      auto body = nlohmann::json::parse(request.body, nullptr, false);
      out.push_back({actionOf(request), std::move(body), std::move(request)});
    }
    return out;
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
  void clearCalls() { http_.clearRequests(); }

 private:
  // From X-Amz-Target, "AmazonSQS." removed.
  static std::string actionOf(const http::HttpRequest& request) {
    std::string target;
    for (const auto& [name, value] : request.headers) {
      if (name == "X-Amz-Target")
        target = value;
    }
    return target.rfind("AmazonSQS.", 0) == 0 ? target.substr(10) : target;
  }

  fakes::FakeHttpClient http_;
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
