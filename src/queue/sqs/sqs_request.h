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

namespace rawfeed::queue::sqs {

inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";

// Where SQS calls go and the region they are signed for. The endpoint is kept even when a server
// hands out QueueUrls on another host (fauxqs: sqs.us-east-1.localhost, which does not resolve):
// the queue travels in the body, never in the request line.
struct SqsTarget {
  aws::Endpoint endpoint;
  std::string region;
};

// One call of SQS's JSON protocol, signed with SigV4 for service "sqs": POST to the endpoint's
// root (a POST to the queue's path is taken for S3 by fauxqs, which answers 200 with XML),
// X-Amz-Target: AmazonSQS.<action>, Content-Type application/x-amz-json-1.0, and
// x-amzn-query-mode so that errors also carry the legacy code in x-amzn-query-error.
// kInvalidInput when the credentials are empty.
core::Result<http::HttpRequest> buildSqsRequest(const SqsTarget& target, std::string_view action,
                                                std::string body,
                                                const aws::Credentials& credentials,
                                                core::SystemTime now,
                                                aws::SigningKeyCache* cache = nullptr);

}  // namespace rawfeed::queue::sqs
