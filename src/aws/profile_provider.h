#pragma once

#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/environment.h"

namespace rawfeed::aws {

// Static keys of a profile in the shared credentials file (section "[NAME]"), falling back to
// the config file (section "[profile NAME]"), as the AWS CLI does. The files are read on every
// call, so an edited file takes effect without a restart. Profiles that need another mechanism
// (role_arn, credential_process, sso_*) are reported as unsupported rather than skipped.
class ProfileProvider final : public CredentialsProvider {
 public:
  // profile: nullopt means AWS_PROFILE, else "default".
  explicit ProfileProvider(EnvLookup env, std::optional<std::string> profile = std::nullopt);
  core::Result<Credentials> credentials() override;
  std::string describe() const override;

 private:
  EnvLookup env_;
  std::string profile_;
};

}  // namespace rawfeed::aws
