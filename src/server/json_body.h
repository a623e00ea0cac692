#pragma once

#include <string_view>

#include "core/result.h"
#include "server/service.h"

namespace rawfeed::server {

// The server checks a body's JSON syntax before the Service sees it, so a truncated or mangled
// body is a 400 naming where it broke ("line 1, column 7: ...") and never reaches the pipeline.
// The Service judges meaning. kInvalidInput for an empty body, bad syntax, or a top-level value
// that is not an object.
core::Status checkJsonObject(std::string_view body);

struct RedriveRequest {
  Service::DeadLetterFilter filter;
  bool dry_run = true;
};

// POST /v1/domains/{d}/dlq/redrive — {"symbol","error_class","min_age_seconds","limit",
// "dry_run"}. "dry_run" is required: a redrive moves messages, so the caller must say which.
// Unknown keys and wrong types are kInvalidInput naming the key.
core::Result<RedriveRequest> parseRedriveRequest(std::string_view body);

}  // namespace rawfeed::server
