#pragma once

#include <string>
#include <string_view>

namespace rawfeed::server {

enum class AuthOutcome {
  kAccepted,
  kNotConfigured,  // no token was given to the server: mutating endpoints are off
  kMissing,        // no Authorization header
  kWrongScheme,    // Authorization is not "Bearer <token>"
  kWrongToken,
};

// Checks "Authorization: Bearer <token>" against the configured token. An empty configured token
// never accepts anything, so a server started without one is read-only rather than open.
// Thread-safe (immutable after construction).
class BearerAuth {
 public:
  explicit BearerAuth(std::string token);
  AuthOutcome check(std::string_view authorization_header) const;
  bool configured() const { return !token_.empty(); }

 private:
  std::string token_;
};

// Equal contents, in time that depends on neither the contents nor where they first differ, and
// that does not reveal the expected length either: both sides are hashed to equal-length digests
// first, then compared with CRYPTO_memcmp.
bool constantTimeEquals(std::string_view given, std::string_view expected);

}  // namespace rawfeed::server
