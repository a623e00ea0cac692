#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/http_client.h"

namespace rawfeed::fakes {

// An HttpClient with no socket: every request is recorded, then answered from
//   1. the script for its route (answerFor/failFor), in order, if one is left; a request's route
//      is its URL unless routeBy() says otherwise (an AWS action from X-Amz-Target, say);
//   2. the script for any request (answer/fail), in order;
//   3. the responder set with otherwise() (a computed answer: a status for every request, or a
//      whole service such as an in-memory bucket);
//   4. else a kInternal error naming the request, so a test that forgot an answer fails loudly.
// Answers come at once on the sending thread, unless hold() is on: then callbacks wait until
// the test answers them with respond()/failHeld(), oldest first (several requests in flight, or
// retries sent from inside a callback). Callbacks never run under the fake's lock, so a callback
// may send again. Thread-safe.
class FakeHttpClient final : public http::HttpClient {
 public:
  using Answer = core::Result<http::HttpResponse>;
  using Responder = std::function<Answer(const http::HttpRequest&)>;

  static http::HttpResponse response(int status, std::string body = {},
                                     http::Headers headers = {}) {
    http::HttpResponse answer;
    answer.status = status;
    answer.body = std::move(body);
    answer.headers = std::move(headers);
    return answer;
  }
  // A responder answering `status` to everything.
  static Responder always(int status, std::string body = {}) {
    return [status, body](const http::HttpRequest&) -> Answer { return response(status, body); };
  }

  FakeHttpClient() = default;
  explicit FakeHttpClient(Responder otherwise) : otherwise_(std::move(otherwise)) {}

  void send(http::HttpRequest request, Callback done) override {
    std::optional<Answer> answer;
    Responder responder;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      if (holding_) {
        held_.push_back(std::move(done));
        return;
      }
      answer = takeScripted(route_ ? route_(request) : request.url);
      if (!answer)
        responder = otherwise_;
    }
    if (!answer) {
      answer = responder ? responder(request)
                         : Answer(core::makeError(core::ErrorCode::kInternal,
                                                  "fake http: nothing scripted for " +
                                                      request.method + " " + request.url));
    }
    done(std::move(*answer));
  }

  // The next answer to any request: a response, or an error for an exchange without one.
  FakeHttpClient& answer(Answer answer) { return script(std::nullopt, std::move(answer)); }
  FakeHttpClient& answer(int status, std::string body = {}, http::Headers headers = {}) {
    return answer(response(status, std::move(body), std::move(headers)));
  }
  // The next request fails without a response (reset, timeout, cancelled).
  FakeHttpClient& fail(core::ErrorCode code, std::string message = "connection reset by the fake") {
    return script(std::nullopt, core::makeError(code, std::move(message)));
  }
  // The same for requests of one route (by default: to exactly that URL), which take their own
  // script first.
  FakeHttpClient& answerFor(const std::string& route, Answer answer) {
    return script(route, std::move(answer));
  }
  FakeHttpClient& answerFor(const std::string& route, int status, std::string body = {},
                            http::Headers headers = {}) {
    return answerFor(route, response(status, std::move(body), std::move(headers)));
  }
  FakeHttpClient& failFor(const std::string& route, core::ErrorCode code,
                          std::string message = "connection reset by the fake") {
    return script(route, core::makeError(code, std::move(message)));
  }
  void routeBy(std::function<std::string(const http::HttpRequest&)> route) {
    std::lock_guard lock(mutex_);
    route_ = std::move(route);
  }
  // Answers whatever no script answers.
  void otherwise(Responder responder) {
    std::lock_guard lock(mutex_);
    otherwise_ = std::move(responder);
  }

  // From now on requests wait for respond()/failHeld() (or, with false, answer at once again).
  void hold(bool on = true) {
    std::lock_guard lock(mutex_);
    holding_ = on;
  }
  // Answers the oldest held request; false when none is held.
  bool respond(http::HttpResponse response) { return complete(std::move(response)); }
  bool respond(int status, std::string body = {}) {
    return complete(response(status, std::move(body)));
  }
  bool failHeld(core::ErrorCode code, std::string message = "fake failure") {
    return complete(core::makeError(code, std::move(message)));
  }
  std::size_t held() const {
    std::lock_guard lock(mutex_);
    return held_.size();
  }

  // Every request so far, in the order sent.
  std::vector<http::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  void clearRequests() {
    std::lock_guard lock(mutex_);
    requests_.clear();
  }
  std::size_t requestCount() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }
  // Scripted answers not used yet, of every route.
  std::size_t unusedAnswers() const {
    std::lock_guard lock(mutex_);
    std::size_t count = 0;
    for (const auto& [route, script] : scripts_)
      count += script.size();
    return count;
  }

 private:
  FakeHttpClient& script(std::optional<std::string> route, Answer answer) {
    std::lock_guard lock(mutex_);
    scripts_[std::move(route)].push_back(std::move(answer));
    return *this;
  }
  // Caller holds mutex_.
  std::optional<Answer> takeScripted(const std::string& route) {
    for (const auto& key : {std::optional<std::string>(route), std::optional<std::string>()}) {
      auto found = scripts_.find(key);
      if (found != scripts_.end() && !found->second.empty()) {
        Answer answer = std::move(found->second.front());
        found->second.pop_front();
        return answer;
      }
    }
    return std::nullopt;
  }
  bool complete(Answer answer) {
    Callback done;
    {
      std::lock_guard lock(mutex_);
      if (held_.empty())
        return false;
      done = std::move(held_.front());
      held_.pop_front();
    }
    done(std::move(answer));
    return true;
  }

  mutable std::mutex mutex_;  // guards everything below
  // nullopt: the script for any request.
  std::map<std::optional<std::string>, std::deque<Answer>> scripts_;
  std::function<std::string(const http::HttpRequest&)> route_;  // empty: the URL
  Responder otherwise_;
  bool holding_ = false;
  std::deque<Callback> held_;
  std::vector<http::HttpRequest> requests_;
};

// The first value of a header (case-insensitive), or "" when absent.
inline std::string headerValue(const http::Headers& headers, std::string_view name) {
  http::HttpResponse probe;
  probe.headers = headers;
  return probe.header(name).value_or("");
}

}  // namespace rawfeed::fakes
