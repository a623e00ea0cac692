#pragma once

#include <chrono>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "http/http_client.h"

namespace rawfeed::aws {

// The ECS/EKS container credentials endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (appended
// to http://169.254.170.2) or AWS_CONTAINER_CREDENTIALS_FULL_URI, with the Authorization header
// from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (EKS Pod Identity; read on every call because it
// rotates) or AWS_CONTAINER_AUTHORIZATION_TOKEN. As in the SDKs, a full URI over plain http must
// name a loopback or the ECS/EKS link-local host, so a token is never sent elsewhere in clear.
class ContainerProvider final : public CredentialsProvider {
 public:
  ContainerProvider(EnvLookup env, http::HttpClient& http,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5))
      : env_(std::move(env)), http_(http), timeout_(timeout) {}
  core::Result<Credentials> credentials() override;
  std::string describe() const override { return "container"; }

 private:
  EnvLookup env_;
  http::HttpClient& http_;
  std::chrono::milliseconds timeout_;
};

// Whether a full URI may receive the authorization token: https anywhere, http only to
// 127.0.0.0/8, localhost, [::1], 169.254.170.2, 169.254.170.23 or [fd00:ec2::23].
bool containerUriAllowed(std::string_view url);

}  // namespace rawfeed::aws
