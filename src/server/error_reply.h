#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "server/api_exchange.h"

namespace rawfeed::server {

// The mapping service.h promises: invalid input 400, not found 404, unauthenticated 401,
// throttled 429, cancelled (shutting down) 503, anything else 500.
int httpStatusFor(core::ErrorCode code);

// {"error":"<message>","status":N}, the one shape of every error this server sends. Bytes that
// are not UTF-8 (they may come from the request) are replaced rather than failing the reply.
std::string errorJson(int status, std::string_view message);

ApiReply errorReply(int status, std::string_view message);
ApiReply errorReply(const core::Error& error);

// The reason phrase's wording for statuses the HTTP library produces on its own (400 for an
// unparsable request line, 413, 414), so those bodies are JSON as well.
std::string defaultMessageFor(int status);

// A whole HTTP/1.1 response with that JSON error body and "Connection: close", for the replies
// the connection front sends on its own (request timeout, malformed framing, limits reached).
std::string closingErrorResponse(int status, std::string_view message);

}  // namespace rawfeed::server
