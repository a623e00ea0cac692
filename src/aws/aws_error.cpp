#include "aws/aws_error.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rawfeed::aws {

namespace {

template <std::size_t N>
bool oneOf(std::string_view code, const std::array<std::string_view, N>& codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

constexpr std::array<std::string_view, 9> kThrottled = {"SlowDown",
                                                        "Throttling",
                                                        "ThrottlingException",
                                                        "ThrottledException",
                                                        "RequestThrottled",
                                                        "RequestThrottledException",
                                                        "TooManyRequestsException",
                                                        "RequestLimitExceeded",
                                                        "BandwidthLimitExceeded"};
constexpr std::array<std::string_view, 8> kTransientCodes = {
    "InternalError",    "InternalFailure",         "ServiceUnavailable",
    "RequestTimeout",   "RequestTimeoutException", "ConditionalRequestConflict",
    "OperationAborted", "KMS.KMSInternalException"};
constexpr std::array<std::string_view, 17> kUnauthenticated = {"AccessDenied",
                                                               "AccessDeniedException",
                                                               "InvalidAccessKeyId",
                                                               "SignatureDoesNotMatch",
                                                               "ExpiredToken",
                                                               "ExpiredTokenException",
                                                               "InvalidClientTokenId",
                                                               "InvalidToken",
                                                               "UnrecognizedClientException",
                                                               "MissingAuthenticationToken",
                                                               "IncompleteSignature",
                                                               "InvalidSecurity",
                                                               "AuthFailure",
                                                               "RequestExpired",
                                                               "RequestTimeTooSkewed",
                                                               "AuthorizationHeaderMalformed",
                                                               "KMS.AccessDeniedException"};
constexpr std::array<std::string_view, 8> kNotFound = {"NoSuchBucket",
                                                       "NoSuchKey",
                                                       "NotFound",
                                                       "QueueDoesNotExist",
                                                       "AWS.SimpleQueueService.NonExistentQueue",
                                                       "ResourceNotFoundException",
                                                       "NoSuchUpload",
                                                       "NoSuchVersion"};
constexpr std::array<std::string_view, 6> kAlreadyExists = {
    "PreconditionFailed", "BucketAlreadyOwnedByYou", "BucketAlreadyExists",
    "QueueAlreadyExists", "QueueNameExists",         "QueueDeletedRecently"};

bool isInvalidInput(std::string_view code) {
  static constexpr std::array<std::string_view, 19> kCodes = {"InvalidArgument",
                                                              "InvalidRequest",
                                                              "InvalidParameterValue",
                                                              "InvalidParameterCombination",
                                                              "MissingParameter",
                                                              "ValidationError",
                                                              "ValidationException",
                                                              "MalformedXML",
                                                              "InvalidBucketName",
                                                              "KeyTooLongError",
                                                              "EntityTooLarge",
                                                              "InvalidDigest",
                                                              "BadDigest",
                                                              "TooManyEntriesInBatchRequest",
                                                              "BatchEntryIdsNotDistinct",
                                                              "EmptyBatchRequest",
                                                              "BatchRequestTooLong",
                                                              "ReceiptHandleIsInvalid",
                                                              "InvalidAttributeName"};
  return oneOf(code, kCodes) || code.rfind("InvalidParameter", 0) == 0 ||
         code.find("InvalidBatchEntryId") != std::string_view::npos ||
         code.find("MessageTooLong") != std::string_view::npos;
}

// The text of the first <tag>..</tag>, XML entities decoded. Enough for AWS error bodies, which
// are flat and never use CDATA; no XML library for six fields.
std::string xmlField(std::string_view body, std::string_view tag) {
  const std::string open = fmt::format("<{}>", tag);
  const std::string close = fmt::format("</{}>", tag);
  const std::size_t start = body.find(open);
  if (start == std::string_view::npos)
    return {};
  const std::size_t begin = start + open.size();
  const std::size_t end = body.find(close, begin);
  if (end == std::string_view::npos)
    return {};
  std::string_view raw = body.substr(begin, end - begin);
  static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities = {
      {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}}};
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    bool replaced = false;
    if (raw[i] == '&') {
      for (const auto& [entity, ch] : kEntities) {
        if (raw.substr(i, entity.size()) == entity) {
          out += ch;
          i += entity.size() - 1;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced)
      out += raw[i];
  }
  return out;
}

// "com.amazonaws.sqs#QueueDoesNotExist" and "QueueDoesNotExist:http://..." both name
// QueueDoesNotExist.
std::string shortCode(std::string_view type) {
  if (const std::size_t hash = type.rfind('#'); hash != std::string_view::npos) {
    type = type.substr(hash + 1);
  }
  return std::string(type.substr(0, type.find(':')));
}

void parseJson(std::string_view body, AwsError& error) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object())
    return;
  for (const char* key : {"__type", "code", "Code"}) {
    if (auto it = json.find(key); it != json.end() && it->is_string() && error.code.empty()) {
      error.code = shortCode(it->get<std::string>());
    }
  }
  for (const char* key : {"message", "Message", "errorMessage"}) {
    if (auto it = json.find(key); it != json.end() && it->is_string() && error.message.empty()) {
      error.message = it->get<std::string>();
    }
  }
}

std::string statusCode(int status) {
  switch (status) {
    case 301:
      return "PermanentRedirect";
    case 304:
      return "NotModified";
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 409:
      return "Conflict";
    case 412:
      return "PreconditionFailed";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    default:
      return fmt::format("HTTP{}", status);
  }
}

}  // namespace

AwsError parseAwsError(const http::HttpResponse& response) {
  AwsError error;
  error.status = response.status;
  const std::string_view body = response.body;
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '<') {
    error.code = xmlField(body, "Code");
    error.message = xmlField(body, "Message");
    error.request_id = xmlField(body, "RequestId");
  } else if (first != std::string_view::npos && body[first] == '{') {
    parseJson(body, error);
  }
  // JSON-protocol SQS sends the legacy query code here ("AWS.SimpleQueueService.NonExistentQueue;
  // Sender"): the name existing tooling and documentation use.
  if (auto query_error = response.header("x-amzn-query-error")) {
    if (std::string code = query_error->substr(0, query_error->find(';')); !code.empty()) {
      error.code = std::move(code);
    }
  }
  if (error.code.empty()) {
    if (auto type = response.header("x-amzn-errortype"))
      error.code = shortCode(*type);
  }
  if (error.request_id.empty()) {
    for (const char* name : {"x-amz-request-id", "x-amzn-requestid", "x-amzn-request-id"}) {
      if (auto id = response.header(name)) {
        error.request_id = *id;
        break;
      }
    }
  }
  if (error.code.empty())
    error.code = statusCode(response.status);
  return error;
}

core::ErrorCode classifyAwsError(int status, std::string_view code) {
  using core::ErrorCode;
  // 503 is how S3 says SlowDown when it gives no body (HEAD), so it is a throttle whatever
  // the code.
  if (oneOf(code, kThrottled) || status == 503 || status == 429)
    return ErrorCode::kThrottled;
  if (oneOf(code, kUnauthenticated))
    return ErrorCode::kUnauthenticated;
  if (oneOf(code, kNotFound))
    return ErrorCode::kNotFound;
  if (oneOf(code, kAlreadyExists))
    return ErrorCode::kAlreadyExists;
  if (oneOf(code, kTransientCodes))
    return ErrorCode::kTransient;
  if (code == "NotImplemented")
    return ErrorCode::kPermanent;  // retrying will not add a feature
  if (isInvalidInput(code))
    return ErrorCode::kInvalidInput;
  if (status == 501)
    return ErrorCode::kPermanent;
  if (status >= 500)
    return ErrorCode::kTransient;
  if (status == 401 || status == 403)
    return ErrorCode::kUnauthenticated;
  if (status == 404)
    return ErrorCode::kNotFound;
  if (status == 412)
    return ErrorCode::kAlreadyExists;
  if (status == 400)
    return ErrorCode::kInvalidInput;
  return ErrorCode::kPermanent;
}

core::Error toCoreError(const AwsError& error, std::string_view operation) {
  std::string message = fmt::format("{}: {}", operation, error.code);
  if (!error.message.empty())
    message += fmt::format(": {}", error.message);
  message += fmt::format(" (HTTP {}", error.status);
  if (!error.request_id.empty())
    message += fmt::format(", request id {}", error.request_id);
  message += ')';
  // A request signed for another region than the service's says so in the message (S3:
  // "the region 'x' is wrong; expecting 'y'"); say where our region came from.
  if (error.message.find("region") != std::string::npos &&
      (error.code == "AuthorizationHeaderMalformed" || error.code == "SignatureDoesNotMatch" ||
       error.code == "InvalidRegion")) {
    message +=
        "; the region rawfeed signs for is AWS_REGION (else AWS_DEFAULT_REGION, else the "
        "profile's region): set it to the one the service expects";
  }
  return core::makeError(classifyAwsError(error.status, error.code), std::move(message));
}

}  // namespace rawfeed::aws
