#include "store/s3/s3_errors.h"

#include <fmt/format.h>

#include "aws/aws_error.h"

namespace rawfeed::store::s3 {

core::Error responseError(const http::HttpResponse& response, std::string_view operation,
                          std::string_view subject) {
  const aws::AwsError error = aws::parseAwsError(response);
  std::string message = fmt::format("S3 {} {}: {}", operation, subject, error.code);
  if (!error.message.empty())
    message += fmt::format(": {}", error.message);
  message += fmt::format(" (HTTP {}", error.status);
  if (!error.request_id.empty())
    message += fmt::format(", request id {}", error.request_id);
  message += ')';
  // AWS names the bucket's region when a request went to the wrong one (301, 400): the one
  // hint that turns "PermanentRedirect" into a fix.
  if (auto region = response.header("x-amz-bucket-region")) {
    message += fmt::format("; the bucket is in region {}", *region);
  }
  return core::makeError(aws::classifyAwsError(error.status, error.code), std::move(message));
}

core::Error transportError(const core::Error& error, std::string_view operation,
                           std::string_view subject) {
  return core::makeError(error.code,
                         fmt::format("S3 {} {}: {}", operation, subject, error.message));
}

bool retryable(core::ErrorCode code) {
  return code == core::ErrorCode::kThrottled || code == core::ErrorCode::kTransient;
}

}  // namespace rawfeed::store::s3
