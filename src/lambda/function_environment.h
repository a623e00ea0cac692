#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/result.h"

namespace rawfeed::lambda {

// What `rawfeed lambda` reads from the function's environment (README "Running on AWS Lambda").
struct FunctionEnvironment {
  std::string handler;  // RAWFEED_HANDLER: "orchestrator" | "worker"
  std::string domain;   // RAWFEED_DOMAIN
  // RAWFEED_CONFIG: an absolute path (a relative one is taken against LAMBDA_TASK_ROOT) or an
  // s3://bucket/key URI; default LAMBDA_TASK_ROOT/rawfeed.toml.
  std::string config;
  std::optional<std::string> queue;   // RAWFEED_QUEUE: the queue's URL or sqs://NAME
  std::optional<std::string> lake;    // RAWFEED_LAKE: s3://bucket/prefix
  std::optional<std::string> events;  // RAWFEED_EVENTS: the completion-event sink
  std::filesystem::path task_root;    // LAMBDA_TASK_ROOT (default: the working directory)
  std::filesystem::path state_dir;    // RAWFEED_STATE_DIR, default /tmp/rawfeed: Lambda's only
                                      // writable place
  std::string function_name;          // AWS_LAMBDA_FUNCTION_NAME
  // RAWFEED_LOG_LEVEL, else AWS_LAMBDA_LOG_LEVEL; unset: the command line's (info).
  std::optional<std::string> log_level;
  std::chrono::milliseconds deadline_margin{3000};  // RAWFEED_DEADLINE_MARGIN_MS
};

using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;

// The environment through `lookup` (getenv in production). Every problem at once, in one
// kInvalidInput message naming each variable and what is wrong with it.
core::Result<FunctionEnvironment> readFunctionEnvironment(const EnvironmentLookup& lookup);

// getenv, with unset and empty alike.
std::optional<std::string> processEnvironment(const char* name);

}  // namespace rawfeed::lambda
