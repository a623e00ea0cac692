#include "aws/signing_key.h"

#include "aws/amz_time.h"
#include "aws/hashing.h"

namespace rawfeed::aws {

std::string signingKey(std::string_view secret_access_key, const SigningScope& scope) {
  std::string seed = "AWS4";
  seed += secret_access_key;
  const std::string day_key = hmacSha256(seed, formatAmzDay(scope.time));
  const std::string region_key = hmacSha256(day_key, scope.region);
  const std::string service_key = hmacSha256(region_key, scope.service);
  return hmacSha256(service_key, "aws4_request");
}

std::string SigningKeyCache::get(std::string_view secret_access_key, const SigningScope& scope) {
  std::string lookup = sha256(secret_access_key);
  lookup += '\n';
  lookup += credentialScope(scope);
  std::lock_guard lock(mutex_);
  if (lookup != lookup_ || key_.empty()) {
    key_ = signingKey(secret_access_key, scope);
    lookup_ = std::move(lookup);
  }
  return key_;
}

}  // namespace rawfeed::aws
