#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "aws/credentials.h"

namespace rawfeed::fakes {

// AWS's documentation example keys: never valid anywhere, fine in signatures under test.
inline constexpr std::string_view kExampleAccessKeyId = "AKIDEXAMPLE";
inline constexpr std::string_view kExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
inline constexpr std::string_view kExampleSessionToken = "FQoGZXIvYXdzEXAMPLETOKEN";

// Answers the same keys every time (by default the example keys), or, after failWith(), the same
// error (a provider with no credentials, or one that refuses). Header-only: aws::Credentials
// and the provider interface are plain types. Thread-safe.
class StaticCredentials final : public aws::CredentialsProvider {
 public:
  explicit StaticCredentials(aws::Credentials credentials = {std::string(kExampleAccessKeyId),
                                                             std::string(kExampleSecret), "",
                                                             std::nullopt})
      : credentials_(std::move(credentials)) {}
  StaticCredentials(std::string access_key_id, std::string secret)
      : StaticCredentials(
            aws::Credentials{std::move(access_key_id), std::move(secret), "", std::nullopt}) {}

  core::Result<aws::Credentials> credentials() override {
    std::lock_guard lock(mutex_);
    if (error_)
      return *error_;
    return credentials_;
  }
  std::string describe() const override { return "static"; }

  // Temporary keys from now on.
  void withToken(std::string token = std::string(kExampleSessionToken)) {
    std::lock_guard lock(mutex_);
    credentials_.session_token = std::move(token);
  }
  void failWith(core::Error error) {
    std::lock_guard lock(mutex_);
    error_ = std::move(error);
  }

 private:
  mutable std::mutex mutex_;  // guards credentials_ and error_
  aws::Credentials credentials_;
  std::optional<core::Error> error_;
};

}  // namespace rawfeed::fakes
