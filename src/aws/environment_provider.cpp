#include "aws/environment_provider.h"

namespace rawfeed::aws {

core::Result<Credentials> EnvironmentProvider::credentials() {
  auto access_key = envValue(env_, "AWS_ACCESS_KEY_ID");
  auto secret = envValue(env_, "AWS_SECRET_ACCESS_KEY");
  if (!access_key && !secret) {
    return core::makeError(core::ErrorCode::kUnauthenticated, "AWS_ACCESS_KEY_ID not set");
  }
  if (!access_key || !secret) {
    // Half a key pair is a mistake worth naming, not a reason to try the next source silently.
    return core::makeError(core::ErrorCode::kUnauthenticated,
                           access_key ? "AWS_ACCESS_KEY_ID set but AWS_SECRET_ACCESS_KEY not set"
                                      : "AWS_SECRET_ACCESS_KEY set but AWS_ACCESS_KEY_ID not set");
  }
  return Credentials{std::move(*access_key), std::move(*secret),
                     envValue(env_, "AWS_SESSION_TOKEN").value_or(""), std::nullopt};
}

}  // namespace rawfeed::aws
