#include "aws/environment.h"

#include <algorithm>
#include <cstdlib>

#include "core/ascii.h"

namespace rawfeed::aws {

EnvLookup processEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr)
      return std::nullopt;
    return std::string(value);
  };
}

std::optional<std::string> envValue(const EnvLookup& env, std::string_view name) {
  if (!env)
    return std::nullopt;
  auto value = env(name);
  if (!value || value->empty())
    return std::nullopt;
  return value;
}

bool envFlag(const EnvLookup& env, std::string_view name) {
  auto value = envValue(env, name);
  if (!value)
    return false;
  const std::string lower = core::asciiLower(*value);
  return lower == "true" || lower == "1";
}

}  // namespace rawfeed::aws
