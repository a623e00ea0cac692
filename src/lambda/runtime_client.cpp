#include "lambda/runtime_client.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace rawfeed::lambda {

namespace {

constexpr std::size_t kBodyInMessage = 300;  // enough of an error body to say what was wrong

core::Error unexpected(const std::string& what, const http::HttpResponse& response) {
  return core::makeError(core::ErrorCode::kTransient,
                         fmt::format("Runtime API {}: HTTP {}: {}", what, response.status,
                                     response.body.substr(0, kBodyInMessage)));
}

}  // namespace

std::string errorDocument(const InvocationError& error) {
  nlohmann::ordered_json document;
  document["errorMessage"] = error.message;
  document["errorType"] = error.type;
  document["stackTrace"] = nlohmann::ordered_json::array();
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

RuntimeClient::RuntimeClient(http::HttpClient& http, std::string api)
    : http_(http), base_("http://" + std::move(api) + "/2018-06-01/runtime") {}

core::Result<Invocation> RuntimeClient::next() {
  http::HttpRequest request;
  request.url = base_ + "/invocation/next";
  request.timeout = std::chrono::milliseconds::zero();  // none: it returns when work comes
  auto response = http_.perform(std::move(request));
  if (!response.ok()) {
    return core::makeError(core::ErrorCode::kTransient,
                           "Runtime API next invocation: " + response.error().describe());
  }
  if (response->status != 200)
    return unexpected("next invocation", *response);
  Invocation invocation;
  invocation.request_id = response->header("lambda-runtime-aws-request-id").value_or("");
  if (invocation.request_id.empty()) {
    return core::makeError(core::ErrorCode::kInternal,
                           "Runtime API next invocation: no Lambda-Runtime-Aws-Request-Id");
  }
  if (auto deadline = response->header("lambda-runtime-deadline-ms")) {
    const auto* end = deadline->data() + deadline->size();
    if (std::from_chars(deadline->data(), end, invocation.deadline_ms).ptr != end) {
      invocation.deadline_ms = 0;  // unreadable: handled as no deadline rather than a wrong one
    }
  }
  invocation.function_arn = response->header("lambda-runtime-invoked-function-arn").value_or("");
  invocation.trace_id = response->header("lambda-runtime-trace-id").value_or("");
  invocation.payload = std::move(response->body);
  return invocation;
}

core::Status RuntimeClient::respond(const std::string& request_id, std::string body) {
  return post("/invocation/" + request_id + "/response", std::move(body), nullptr);
}

core::Status RuntimeClient::fail(const std::string& request_id, const InvocationError& error) {
  return post("/invocation/" + request_id + "/error", errorDocument(error), &error);
}

core::Status RuntimeClient::failInit(const InvocationError& error) {
  return post("/init/error", errorDocument(error), &error);
}

core::Status RuntimeClient::post(const std::string& path, std::string body,
                                 const InvocationError* error) {
  http::HttpRequest request;
  request.method = "POST";
  request.url = base_ + path;
  request.body = std::move(body);
  request.headers.emplace_back("Content-Type", "application/json");
  if (error != nullptr)
    request.headers.emplace_back("Lambda-Runtime-Function-Error-Type", error->type);
  auto response = http_.perform(std::move(request));
  if (!response.ok()) {
    return core::makeError(core::ErrorCode::kTransient,
                           "Runtime API POST " + path + ": " + response.error().describe());
  }
  if (response->status < 200 || response->status > 299) {
    return unexpected("POST " + path, *response);
  }
  return core::okStatus();
}

}  // namespace rawfeed::lambda
