#pragma once

#include <string_view>

#include "core/result.h"
#include "http/http_client.h"

namespace rawfeed::queue::sqs {

// SQS refusals as the closed ErrorCode the worker acts on, through aws_error's table (the JSON
// `__type`, or the legacy code of x-amzn-query-error when present): throttling -> kThrottled,
// 5xx -> kTransient, refused credentials or signature -> kUnauthenticated with the server's own
// words, QueueDoesNotExist -> kNotFound, bad receipt handles and parameters -> kInvalidInput.
// PurgeQueueInProgress is kThrottled. An action the server does not implement is kPermanent, so
// callers with a fallback can tell it from a passing fault. Messages read "SQS <Action>: <Code>:
// <message> (HTTP n, request id r)".
core::Error responseError(const http::HttpResponse& response, std::string_view action);

// One failed entry of a batch answer ({"Id", "Code", "Message", "SenderFault"}). Sender faults
// the table does not know are kInvalidInput (retrying the same entry will not help); the
// service's own faults are kTransient.
core::Error entryError(std::string_view action, std::string_view code, std::string_view message,
                       bool sender_fault);

// Whether a caller may fall back to another way of doing the same thing: the server lacks the
// action (kPermanent) or failed inside (kTransient: moto answers 500 to StartMessageMoveTask).
bool mayFallBack(const core::Error& error);

}  // namespace rawfeed::queue::sqs
