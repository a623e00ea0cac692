#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rawfeed::aws {

// How AWS settings read environment variables. Injected so that tests never mutate the process
// environment (which is shared by every thread) and production reads it through one seam.
// An empty value counts as unset, as in the AWS SDKs.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv), for composition roots.
EnvLookup processEnvironment();

// The value, or nullopt when unset or empty.
std::optional<std::string> envValue(const EnvLookup& env, std::string_view name);

// "true"/"1" in any case: how the SDKs read boolean variables such as AWS_EC2_METADATA_DISABLED.
bool envFlag(const EnvLookup& env, std::string_view name);

}  // namespace rawfeed::aws
