#pragma once

#include <string_view>

#include "core/result.h"
#include "http/http_client.h"

namespace rawfeed::store::s3 {

// S3's refusals as core errors, classified by aws::classifyAwsError from the status and the XML
// <Code>: SlowDown and 503 → kThrottled; other 5xx → kTransient; AccessDenied,
// InvalidAccessKeyId, SignatureDoesNotMatch → kUnauthenticated; NoSuchKey, NoSuchBucket, 404 →
// kNotFound; 412 → kAlreadyExists. The message keeps the server's own words and request id
// (what a support case needs) and never a header of the request, so no secret or token can
// leak: "S3 PutObject 'day=07/AAPL.json' in s3://lake/raw: AccessDenied: Access Denied
// (HTTP 403, request id 4442587FB7D0A2F9)". `subject` names what the call was about.
core::Error responseError(const http::HttpResponse& response, std::string_view operation,
                          std::string_view subject);

// A failure with no response (connect, reset, timeout: already classified by the HttpClient),
// given the same prefix.
core::Error transportError(const core::Error& error, std::string_view operation,
                           std::string_view subject);

// Throttled and transient failures may succeed if asked again later; nothing else will.
bool retryable(core::ErrorCode code);

}  // namespace rawfeed::store::s3
