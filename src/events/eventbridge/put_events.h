#pragma once

#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/http_client.h"

namespace rawfeed::aws {
class SigningKeyCache;
}

namespace rawfeed::events::eventbridge {

// EventBridge's PutEvents as pure functions: the body, the signed request and the reading of
// the answer, so each is tested without a network.

inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";

// {"Entries":[{"Source","DetailType","Detail","EventBusName"}]} for one completion event
// (contracts §7): DetailType is the event's "detail-type", Detail its "detail" as JSON text.
// kInvalidInput when the event is not a JSON object with a string "detail-type" and an object
// "detail".
core::Result<std::string> putEventsBody(std::string_view event_json, std::string_view source,
                                        std::string_view event_bus);

// POST {endpoint}/ with X-Amz-Target: AWSEvents.PutEvents, Content-Type
// application/x-amz-json-1.1, signed with SigV4 for service "events". kInvalidInput when the
// credentials are empty.
core::Result<http::HttpRequest> buildPutEventsRequest(const aws::Endpoint& endpoint,
                                                      std::string_view region, std::string body,
                                                      const aws::Credentials& credentials,
                                                      core::SystemTime now,
                                                      aws::SigningKeyCache* cache = nullptr);

// The outcome of one PutEvents exchange. A refusal of the whole call is classified by aws_error
// (throttling kThrottled, 5xx kTransient, a missing bus kNotFound, refused credentials
// kUnauthenticated). A 200 is a success only when FailedEntryCount is 0: a failed entry is
// kThrottled (ThrottlingException), kTransient (InternalException, InternalFailure) or
// kInvalidInput (anything else: the entry itself was refused), with its ErrorCode and
// ErrorMessage in the text. kPermanent for a 200 that is not a PutEvents answer.
core::Status readPutEventsAnswer(const http::HttpResponse& response);

}  // namespace rawfeed::events::eventbridge
