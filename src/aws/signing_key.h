#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "aws/sigv4.h"

namespace rawfeed::aws {

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request"),
// as 32 raw bytes.
std::string signingKey(std::string_view secret_access_key, const SigningScope& scope);

// The derived key changes only with the day, region, service or secret, so signers keep the
// last one. Keyed by a digest of the secret as well, so rotated credentials never reuse a key.
// Thread-safe.
class SigningKeyCache {
 public:
  std::string get(std::string_view secret_access_key, const SigningScope& scope);

 private:
  std::mutex mutex_;    // guards the fields below
  std::string lookup_;  // digest(secret) + day + region + service of key_
  std::string key_;
};

}  // namespace rawfeed::aws
