#include "lambda/function_environment.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <vector>

#include "core/ascii.h"

namespace rawfeed::lambda {

std::optional<std::string> processEnvironment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0')
    return std::nullopt;
  return std::string(value);
}

core::Result<FunctionEnvironment> readFunctionEnvironment(const EnvironmentLookup& lookup) {
  FunctionEnvironment env;
  std::vector<std::string> problems;
  const auto handler = lookup("RAWFEED_HANDLER");
  if (!handler) {
    problems.push_back("RAWFEED_HANDLER is not set (orchestrator or worker)");
  } else if (*handler != "orchestrator" && *handler != "worker") {
    problems.push_back("RAWFEED_HANDLER is '" + *handler + "' (orchestrator or worker)");
  } else {
    env.handler = *handler;
  }
  if (auto domain = lookup("RAWFEED_DOMAIN")) {
    env.domain = *domain;
  } else {
    problems.push_back("RAWFEED_DOMAIN is not set (the [domains.NAME] of the configuration)");
  }
  env.task_root = lookup("LAMBDA_TASK_ROOT").value_or(std::filesystem::current_path().string());
  const std::string config = lookup("RAWFEED_CONFIG").value_or("rawfeed.toml");
  if (config.rfind("s3://", 0) == 0) {
    const auto slash = config.find('/', 5);
    if (slash == std::string::npos || slash == 5 || slash + 1 == config.size()) {
      problems.push_back("RAWFEED_CONFIG '" + config + "' is not s3://bucket/key");
    }
    env.config = config;
  } else if (config.find("://") != std::string::npos) {
    problems.push_back("RAWFEED_CONFIG '" + config + "': a path or s3://bucket/key");
  } else {
    env.config = (env.task_root / config).lexically_normal().string();  // absolute stays
  }
  env.queue = lookup("RAWFEED_QUEUE");
  env.lake = lookup("RAWFEED_LAKE");
  if (env.lake && env.lake->rfind("s3://", 0) != 0) {
    problems.push_back("RAWFEED_LAKE '" + *env.lake +
                       "' is not s3://bucket/prefix (in Lambda "
                       "the lake is on S3)");
  }
  env.events = lookup("RAWFEED_EVENTS");
  env.state_dir = lookup("RAWFEED_STATE_DIR").value_or("/tmp/rawfeed");
  env.function_name = lookup("AWS_LAMBDA_FUNCTION_NAME").value_or("");
  if (auto level =
          lookup("RAWFEED_LOG_LEVEL").value_or(lookup("AWS_LAMBDA_LOG_LEVEL").value_or(""));
      !level.empty()) {
    level = core::asciiLower(level);
    if (level == "trace")
      level = "debug";
    if (level == "fatal")
      level = "error";
    if (level != "debug" && level != "info" && level != "warn" && level != "error") {
      problems.push_back("RAWFEED_LOG_LEVEL '" + level + "' (debug, info, warn or error)");
    } else {
      env.log_level = level;
    }
  }
  if (auto margin = lookup("RAWFEED_DEADLINE_MARGIN_MS")) {
    long long millis = 0;
    const auto* end = margin->data() + margin->size();
    if (std::from_chars(margin->data(), end, millis).ptr != end || millis < 0 || millis > 600000) {
      problems.push_back("RAWFEED_DEADLINE_MARGIN_MS '" + *margin +
                         "' (milliseconds, 0 to 600000)");
    } else {
      env.deadline_margin = std::chrono::milliseconds(millis);
    }
  }
  if (!problems.empty()) {
    std::string message = "the function's environment is wrong:";
    for (const auto& problem : problems)
      message += " " + problem + ";";
    message.pop_back();
    return core::makeError(core::ErrorCode::kInvalidInput, message);
  }
  return env;
}

}  // namespace rawfeed::lambda
