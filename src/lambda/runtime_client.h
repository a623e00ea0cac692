#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "http/http_client.h"

namespace rawfeed::lambda {

// One invocation as the Runtime API hands it out (GET /2018-06-01/runtime/invocation/next).
struct Invocation {
  std::string request_id;        // Lambda-Runtime-Aws-Request-Id
  std::int64_t deadline_ms = 0;  // Lambda-Runtime-Deadline-Ms: unix time in milliseconds
  std::string function_arn;      // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;          // Lambda-Runtime-Trace-Id (for _X_AMZN_TRACE_ID)
  std::string payload;           // the event document
};

// What the Runtime API records for a failed invocation or a failed start: errorType and
// errorMessage of its error document, errorType also as Lambda-Runtime-Function-Error-Type.
struct InvocationError {
  std::string type;     // e.g. "Rawfeed.InvalidEvent", "Runtime.ConfigError"
  std::string message;  // for people: names what was wrong
};

// {"errorMessage": ..., "errorType": ..., "stackTrace": []}
std::string errorDocument(const InvocationError& error);

// The Lambda Runtime API (2018-06-01) over an HttpClient, so tests run it against a fake client
// or a local server. Every call blocks; next() has no timeout, since it returns only when an
// invocation comes (the environment is frozen meanwhile). Errors are values: kTransient when the
// API could not be reached or answered other than 2xx (the message has the status and body),
// kInternal when next() answered without a request id. Not thread-safe: the loop's one thread
// uses it.
class RuntimeClient {
 public:
  // `api`: AWS_LAMBDA_RUNTIME_API, "host:port".
  RuntimeClient(http::HttpClient& http, std::string api);

  core::Result<Invocation> next();
  core::Status respond(const std::string& request_id, std::string body);
  core::Status fail(const std::string& request_id, const InvocationError& error);
  // Before the first next(): the function could not start (bad configuration, missing variable).
  core::Status failInit(const InvocationError& error);

 private:
  core::Status post(const std::string& path, std::string body, const InvocationError* error);

  http::HttpClient& http_;
  std::string base_;  // "http://host:port/2018-06-01/runtime"
};

}  // namespace rawfeed::lambda
