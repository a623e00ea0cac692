#pragma once

#include <memory>
#include <vector>

#include "aws/credentials.h"

namespace rawfeed::aws {

// Asks each provider in turn and returns the first credentials found. When none has any, one
// error names every provider's reason:
//   "no AWS credentials: environment: AWS_ACCESS_KEY_ID not set; profile 'default': ...".
// The code is kTransient if any provider failed transiently (a configured endpoint that may
// answer later), else kUnauthenticated.
class ChainProvider final : public CredentialsProvider {
 public:
  explicit ChainProvider(std::vector<std::unique_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}
  core::Result<Credentials> credentials() override;
  std::string describe() const override;

 private:
  std::vector<std::unique_ptr<CredentialsProvider>> providers_;
};

}  // namespace rawfeed::aws
