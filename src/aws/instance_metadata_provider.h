#pragma once

#include <chrono>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "http/http_client.h"

namespace rawfeed::aws {

// EC2 instance metadata, IMDSv2 only: PUT /latest/api/token for a session token, then
// GET /latest/meta-data/iam/security-credentials/ for the role and .../{role} for its keys.
// The endpoint is http://169.254.169.254 unless AWS_EC2_METADATA_SERVICE_ENDPOINT says
// otherwise; AWS_EC2_METADATA_DISABLED=true turns the provider off.
//
// Errors: kUnauthenticated when disabled, when no role is attached, or when the default endpoint
// cannot be reached at all (the usual "not on EC2" case, which must not make a credential chain
// look retryable); kTransient for 5xx answers, and for transport failures at an endpoint the
// environment named explicitly.
class InstanceMetadataProvider final : public CredentialsProvider {
 public:
  InstanceMetadataProvider(EnvLookup env, http::HttpClient& http,
                           std::chrono::milliseconds timeout = std::chrono::seconds(1))
      : env_(std::move(env)), http_(http), timeout_(timeout) {}
  core::Result<Credentials> credentials() override;
  std::string describe() const override { return "instance metadata"; }

 private:
  EnvLookup env_;
  http::HttpClient& http_;
  std::chrono::milliseconds timeout_;
};

}  // namespace rawfeed::aws
