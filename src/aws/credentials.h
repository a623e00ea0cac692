#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace rawfeed::aws {

// An AWS key pair, with a session token and an expiry when temporary (STS, container, EC2).
// Deliberately no operator<< and no describe(): a secret must never reach a log line.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  std::optional<core::SystemTime> expiration;
};

// One source of credentials (environment, shared files, container endpoint, instance metadata,
// or a chain of those). credentials() returns kUnauthenticated when the source has none or
// refuses, kTransient when its endpoint failed and asking again later may work. Error messages
// say why without ever quoting a secret. Implementations are thread-safe.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  virtual core::Result<Credentials> credentials() = 0;
  // A short name for error messages and logs, e.g. "environment", "profile 'prod'".
  virtual std::string describe() const = 0;
};

}  // namespace rawfeed::aws
