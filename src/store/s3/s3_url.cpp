#include "store/s3/s3_url.h"

#include "store/object_key.h"

#include <fmt/format.h>

namespace rawfeed::store::s3 {

namespace {

constexpr std::size_t kMaxStoredKeyBytes = 1024;  // S3's limit, UTF-8 bytes of the whole key

core::Error invalidKey(std::string_view key, std::string_view reason) {
  return invalidObjectKey(key, reason);
}

core::Result<aws::Endpoint> endpointOf(const S3Options& options) {
  if (!options.endpoint.empty()) {
    auto endpoint = aws::parseEndpoint(options.endpoint);
    if (endpoint)
      endpoint->custom = true;
    return endpoint;
  }
  const bool china = options.region.rfind("cn-", 0) == 0;
  return aws::Endpoint{"https",
                       fmt::format("s3.{}.amazonaws.com{}", options.region, china ? ".cn" : ""),
                       std::nullopt, "", false};
}

std::string_view trimSlashes(std::string_view text) {
  while (!text.empty() && text.front() == '/')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == '/')
    text.remove_suffix(1);
  return text;
}

}  // namespace

core::Status validateKey(std::string_view key) {
  return validateObjectKey(key);
}

core::Result<S3Url> S3Url::make(const S3Options& options) {
  auto endpoint = endpointOf(options);
  if (!endpoint)
    return endpoint.error();
  const std::string prefix(trimSlashes(options.prefix));
  if (!prefix.empty()) {
    if (auto status = validateKey(prefix); !status) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             fmt::format("S3 prefix '{}' is not a valid key path", options.prefix));
    }
  }
  S3Url url(std::move(endpoint).value(), options.bucket, prefix, options.addressing);
  // Builds one target now so a bad bucket name or addressing fails at start-up, not per request.
  if (auto probe = url.bucket(); !probe)
    return probe.error();
  return url;
}

S3Url::S3Url(aws::Endpoint endpoint, std::string bucket, std::string prefix,
             aws::S3Addressing addressing)
    : endpoint_(std::move(endpoint)),
      bucket_(std::move(bucket)),
      prefix_(std::move(prefix)),
      addressing_(addressing) {}

core::Result<std::string> S3Url::storedKey(std::string_view key) const {
  if (auto status = validateKey(key); !status)
    return status.error();
  std::string stored = storedPrefix(key);
  if (stored.size() > kMaxStoredKeyBytes) {
    return invalidKey(key, "longer than S3's 1024 bytes with the store's prefix");
  }
  return stored;
}

std::string S3Url::storedPrefix(std::string_view prefix) const {
  if (prefix_.empty())
    return std::string(prefix);
  std::string stored = prefix_;
  stored += '/';
  stored += prefix;
  return stored;
}

bool S3Url::relativeKey(std::string_view stored_key, std::string& out) const {
  const std::string root = storedPrefix("");
  if (stored_key.substr(0, root.size()) != root)
    return false;
  out.assign(stored_key.substr(root.size()));
  return !out.empty();
}

core::Result<aws::S3Target> S3Url::object(std::string_view stored_key,
                                          std::string_view query) const {
  return aws::s3Target(endpoint_, bucket_, stored_key, addressing_, query);
}

core::Result<aws::S3Target> S3Url::bucket(std::string_view query) const {
  return aws::s3Target(endpoint_, bucket_, {}, addressing_, query);
}

std::string S3Url::location() const {
  return prefix_.empty() ? fmt::format("s3://{}", bucket_)
                         : fmt::format("s3://{}/{}", bucket_, prefix_);
}

}  // namespace rawfeed::store::s3
