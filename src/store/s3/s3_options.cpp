#include "store/s3/s3_options.h"

#include <fmt/format.h>

namespace rawfeed::store::s3 {

namespace {

core::Error invalid(std::string message) {
  return core::makeError(core::ErrorCode::kInvalidInput, "S3 options: " + message);
}

}  // namespace

core::Result<Checksum> parseChecksum(std::string_view text) {
  if (text == "sha256")
    return Checksum::kSha256;
  if (text == "md5")
    return Checksum::kMd5;
  return invalid(fmt::format("checksum '{}' must be sha256 or md5", text));
}

core::Result<ConditionalCreate> parseConditionalCreate(std::string_view text) {
  if (text == "auto")
    return ConditionalCreate::kAuto;
  if (text == "always")
    return ConditionalCreate::kAlways;
  if (text == "never")
    return ConditionalCreate::kNever;
  return invalid(fmt::format("conditional_create '{}' must be auto, always or never", text));
}

core::Status validateOptions(const S3Options& options) {
  if (options.bucket.empty())
    return invalid("bucket is empty");
  if (options.region.empty())
    return invalid("region is empty");
  if (!options.verify_tls) {
    return invalid(
        "verify_tls = false is not supported: the HTTP client always verifies certificates "
        "(use an http:// endpoint for a local test server)");
  }
  if (!options.sse.empty() && options.sse != "AES256" && options.sse != "aws:kms") {
    return invalid(fmt::format("sse '{}' must be empty, AES256 or aws:kms", options.sse));
  }
  if (!options.kms_key_id.empty() && options.sse != "aws:kms") {
    return invalid("kms_key_id is set but sse is not aws:kms");
  }
  if (options.request_timeout.count() <= 0)
    return invalid("request_timeout must be positive");
  if (options.max_retries < 0 || options.max_retries > 20) {
    return invalid(fmt::format("max_retries {} must be within 0..20", options.max_retries));
  }
  if (options.retry_base_delay.count() <= 0 || options.retry_max_delay < options.retry_base_delay) {
    return invalid("retry delays must be positive with retry_max_delay >= retry_base_delay");
  }
  if (options.list_page_size < 1 || options.list_page_size > 1000) {
    return invalid(fmt::format("list_page_size {} must be within 1..1000", options.list_page_size));
  }
  return core::okStatus();
}

}  // namespace rawfeed::store::s3
