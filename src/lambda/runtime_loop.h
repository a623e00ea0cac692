#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/result.h"
#include "lambda/runtime_client.h"
#include "observe/logger.h"

namespace rawfeed::lambda {

// What a function does with one invocation: the response document, or the error it ends with
// (kInvalidInput: the event was wrong; anything else: rawfeed or a backend failed).
class Handler {
 public:
  virtual ~Handler() = default;
  virtual core::Result<std::string> handle(const Invocation& invocation) = 0;
};

// errorType for an error: "Rawfeed.InvalidEvent", "Rawfeed.Transient", ...
InvocationError invocationErrorFor(const core::Error& error);

struct LoopHooks {
  std::function<void(const Invocation&)> begin;  // before the handler (log context)
  std::function<void(const Invocation&)> end;    // after it, before the reply (flush metrics)
};

// The Runtime API's documented loop: next invocation, handle, response or invocation error; on
// and on. run() returns only when the Runtime API stays unreachable (kTransient after a few
// spaced tries), which in Lambda means the environment is going away. runOnce() is the unit of
// work, callable from a test.
class RuntimeLoop {
 public:
  // `next_backoff`: the first pause after a failed next(), doubling with each further one.
  RuntimeLoop(RuntimeClient& client, Handler& handler, observe::Logger& logger, LoopHooks hooks,
              std::chrono::milliseconds next_backoff = std::chrono::milliseconds(100));

  core::Status runOnce();
  core::Status run();

 private:
  RuntimeClient& client_;
  Handler& handler_;
  observe::Logger& logger_;
  LoopHooks hooks_;
  std::chrono::milliseconds next_backoff_;
};

}  // namespace rawfeed::lambda
