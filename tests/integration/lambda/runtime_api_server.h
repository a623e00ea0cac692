#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

// Test support: a local stand-in for the Lambda Runtime API (2018-06-01) that a `rawfeed lambda`
// process polls: GET /runtime/invocation/next blocks until the test queues an invocation and
// answers with the documented headers (request id, deadline, function ARN, trace id);
// POST /runtime/invocation/{id}/response and /error, and POST /runtime/init/error are recorded
// (body, Lambda-Runtime-Function-Error-Type, arrival time) for the test to wait on. An unknown
// request id is refused with 400 as Lambda does. httplib stays in the .cpp.
namespace rawfeed::testing {

struct RuntimeApiOutcome {
  bool error = false;      // /error (or /init/error) rather than /response
  std::string body;        // the response document, or the error document
  std::string error_type;  // Lambda-Runtime-Function-Error-Type
  std::chrono::system_clock::time_point at;
};

class RuntimeApiServer {
 public:
  RuntimeApiServer();
  ~RuntimeApiServer();  // stop()
  RuntimeApiServer(const RuntimeApiServer&) = delete;
  RuntimeApiServer& operator=(const RuntimeApiServer&) = delete;

  void start();                 // 127.0.0.1, any free port; accepting on return
  void stop();                  // ends blocked next() calls with 500, closes, joins; idempotent
  std::string address() const;  // "127.0.0.1:PORT", for AWS_LAMBDA_RUNTIME_API

  // Queues an invocation; its request id. `deadline`: when the function must have answered.
  std::string invoke(std::string payload, std::chrono::system_clock::time_point deadline);
  std::optional<RuntimeApiOutcome> waitFor(const std::string& request_id,
                                           std::chrono::milliseconds timeout);
  std::optional<RuntimeApiOutcome> waitForInitError(std::chrono::milliseconds timeout);
  int nextCalls() const;  // GET /next received so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rawfeed::testing
