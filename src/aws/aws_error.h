#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "http/http_client.h"

namespace rawfeed::aws {

// What an AWS service said when it refused a request, from whichever of its error forms it used:
// REST-XML (S3: <Error><Code>..), query XML (SQS legacy: <ErrorResponse><Error>..), the JSON
// protocol ({"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": ..}) and the
// x-amzn-query-error header (the legacy code JSON-protocol SQS still sends, preferred when set).
struct AwsError {
  int status = 0;
  std::string code;        // "NoSuchBucket"; for a body-less answer (HEAD) a name for the status
  std::string message;     // the server's words, empty when it gave none
  std::string request_id;  // x-amz-request-id / x-amzn-requestid / <RequestId>, for support cases
};

AwsError parseAwsError(const http::HttpResponse& response);

// The closed classification the worker acts on:
//   SlowDown, Throttling*, RequestThrottled, 429, 503          -> kThrottled
//   other 5xx, RequestTimeout, InternalError                   -> kTransient (501 kPermanent)
//   AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch,
//   ExpiredToken, InvalidClientTokenId, 401/403, ...           -> kUnauthenticated
//   NoSuchBucket, NoSuchKey, QueueDoesNotExist, 404            -> kNotFound (callers tell
//                                                                 a missing bucket/queue, a
//                                                                 start-up error, by `code`)
//   PreconditionFailed/412, *AlreadyExists                     -> kAlreadyExists
//   InvalidArgument, validation errors, other 400              -> kInvalidInput
//   other 3xx/4xx                                              -> kPermanent
core::ErrorCode classifyAwsError(int status, std::string_view code);

// "S3 PutObject: AccessDenied: Access Denied (HTTP 403, request id 4442587FB7D0A2F9)", with the
// classification as its code.
core::Error toCoreError(const AwsError& error, std::string_view operation);

}  // namespace rawfeed::aws
