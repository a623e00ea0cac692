#include "queue/sqs/sqs_errors.h"

#include <algorithm>
#include <array>
#include <string>

#include <fmt/format.h>

#include "aws/aws_error.h"

namespace rawfeed::queue::sqs {
namespace {

// What servers answer for an X-Amz-Target they do not know: AWS itself, the Query protocol's
// name for it, and the local servers' variants.
constexpr std::array<std::string_view, 6> kUnsupported = {
    "UnknownOperationException", "UnknownOperation", "InvalidAction",
    "UnsupportedOperation",      "NotImplemented",   "AWS.SimpleQueueService.UnsupportedOperation"};

bool unsupported(std::string_view code) {
  return std::find(kUnsupported.begin(), kUnsupported.end(), code) != kUnsupported.end();
}

std::string operation(std::string_view action) {
  return fmt::format("SQS {}", action);
}

}  // namespace

core::Error responseError(const http::HttpResponse& response, std::string_view action) {
  const aws::AwsError parsed = aws::parseAwsError(response);
  core::Error error = aws::toCoreError(parsed, operation(action));
  if (unsupported(parsed.code)) {
    error.code = core::ErrorCode::kPermanent;
  }
  // One purge per queue per 60 s: a request to wait, not a bad request.
  if (parsed.code.find("PurgeQueueInProgress") != std::string::npos) {
    error.code = core::ErrorCode::kThrottled;
  }
  return error;
}

core::Error entryError(std::string_view action, std::string_view code, std::string_view message,
                       bool sender_fault) {
  // The status stands in for SenderFault: 400 classifies unknown codes as kInvalidInput,
  // 500 as kTransient.
  const core::ErrorCode classified = aws::classifyAwsError(sender_fault ? 400 : 500, code);
  std::string text = fmt::format("{}: {}", operation(action), code);
  if (!message.empty())
    text += fmt::format(": {}", message);
  return core::makeError(classified, std::move(text));
}

bool mayFallBack(const core::Error& error) {
  return error.code == core::ErrorCode::kPermanent || error.code == core::ErrorCode::kTransient;
}

}  // namespace rawfeed::queue::sqs
