#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rawfeed::core {

// An Amazon Resource Name, arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, split at its first five
// colons (the resource may hold more: "function:NAME:ALIAS"). Read by the config, the AWS
// backends, the SQS queue and the deployment, all through this one reader.
struct Arn {
  std::string partition;
  std::string service;
  std::string region;   // empty for global services (S3, IAM)
  std::string account;  // empty for S3
  std::string resource;
};

// nullopt unless the text starts with "arn:" and has all six fields, with non-empty partition,
// service and resource.
std::optional<Arn> parseArn(std::string_view text);
std::string formatArn(const Arn& arn);

}  // namespace rawfeed::core
