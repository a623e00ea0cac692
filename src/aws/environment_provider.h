#pragma once

#include "aws/credentials.h"
#include "aws/environment.h"

namespace rawfeed::aws {

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the optional AWS_SESSION_TOKEN.
class EnvironmentProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(EnvLookup env) : env_(std::move(env)) {}
  core::Result<Credentials> credentials() override;
  std::string describe() const override { return "environment"; }

 private:
  EnvLookup env_;
};

}  // namespace rawfeed::aws
