#include "lambda/runtime_loop.h"

#include <chrono>
#include <cstdlib>
#include <thread>

namespace rawfeed::lambda {

namespace {

constexpr int kNextAttempts = 4;  // then the Runtime API is taken to be gone

const char* errorTypeName(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidInput:
      return "Rawfeed.InvalidEvent";
    case core::ErrorCode::kNotFound:
      return "Rawfeed.NotFound";
    case core::ErrorCode::kAlreadyExists:
      return "Rawfeed.AlreadyExists";
    case core::ErrorCode::kUnauthenticated:
      return "Rawfeed.Unauthenticated";
    case core::ErrorCode::kThrottled:
      return "Rawfeed.Throttled";
    case core::ErrorCode::kTransient:
      return "Rawfeed.Transient";
    case core::ErrorCode::kPermanent:
      return "Rawfeed.Permanent";
    case core::ErrorCode::kCancelled:
      return "Rawfeed.Cancelled";
    case core::ErrorCode::kInternal:
      return "Rawfeed.Internal";
  }
  return "Rawfeed.Internal";
}

}  // namespace

InvocationError invocationErrorFor(const core::Error& error) {
  return {errorTypeName(error.code), error.message};
}

RuntimeLoop::RuntimeLoop(RuntimeClient& client, Handler& handler, observe::Logger& logger,
                         LoopHooks hooks, std::chrono::milliseconds next_backoff)
    : client_(client),
      handler_(handler),
      logger_(logger),
      hooks_(std::move(hooks)),
      next_backoff_(next_backoff) {}

core::Status RuntimeLoop::runOnce() {
  auto invocation = client_.next();
  if (!invocation.ok())
    return invocation.error();
  // The AWS SDKs and X-Ray read the trace header from here; one invocation at a time, so the
  // process environment is the invocation's.
  if (!invocation->trace_id.empty()) {
    ::setenv("_X_AMZN_TRACE_ID", invocation->trace_id.c_str(), 1);
  } else {
    ::unsetenv("_X_AMZN_TRACE_ID");
  }
  if (hooks_.begin)
    hooks_.begin(*invocation);
  const auto started = std::chrono::steady_clock::now();
  auto reply = handler_.handle(*invocation);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (reply.ok()) {
    logger_.info("invocation_done", {{"seconds", seconds}});
  } else {
    logger_.error("invocation_failed", {{"seconds", seconds}, {"error", reply.error().describe()}});
  }
  if (hooks_.end)
    hooks_.end(*invocation);
  auto posted = reply.ok()
                    ? client_.respond(invocation->request_id, std::move(reply).value())
                    : client_.fail(invocation->request_id, invocationErrorFor(reply.error()));
  if (!posted.ok()) {
    // Not fatal for the loop: Lambda times the invocation out and the event source retries.
    logger_.error("runtime_api_reply_failed", {{"error", posted.error().describe()}});
  }
  return core::okStatus();
}

core::Status RuntimeLoop::run() {
  int failures = 0;
  for (;;) {
    auto status = runOnce();
    if (status.ok()) {
      failures = 0;
      continue;
    }
    logger_.error("runtime_api_next_failed",
                  {{"error", status.error().describe()}, {"attempt", failures + 1}});
    if (++failures >= kNextAttempts)
      return status;
    std::this_thread::sleep_for(next_backoff_ * (1 << failures));
  }
}

}  // namespace rawfeed::lambda
