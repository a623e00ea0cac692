#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/signing_key.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/http_client.h"
#include "store/s3/s3_url.h"

namespace rawfeed::store::s3 {

// One S3 API call before signing: what the store wants, independent of time and credentials,
// so that each retry signs it afresh.
struct S3Call {
  std::string operation;   // "PutObject": names the call in errors and logs
  std::string method;      // "GET", "PUT", "HEAD", "DELETE"
  std::string stored_key;  // the key in the bucket; empty for bucket calls (ListObjectsV2)
  std::vector<std::pair<std::string, std::string>> query;  // raw names and values
  http::Headers headers;  // the call's own: Content-Type, If-None-Match, checksum, SSE
  std::string body;
  std::string payload_sha256_hex;  // of body; empty means the empty body's
  // A non-2xx answer that still means success (DELETE of a key that is already gone).
  std::function<bool(const http::HttpResponse&)> accept;
};

struct SigningContext {
  const aws::Credentials& credentials;
  const std::string& region;
  core::SystemTime now;
  aws::SigningKeyCache* cache = nullptr;
};

// The HttpRequest for `call`, signed with SigV4 (service s3) over Host, X-Amz-Date,
// x-amz-content-sha256 (the real payload hash: the body is signed, not UNSIGNED-PAYLOAD) and
// every header of the call. A request with a body always names its Content-Type — libcurl
// would otherwise send a form type that some servers reject — and an empty PUT says
// Content-Length: 0, which curl omits and S3 requires. The URL and the signed path come from
// the same S3Url target, so the encoding sent is the encoding signed.
core::Result<http::HttpRequest> signCall(const S3Url& url, const S3Call& call,
                                         const SigningContext& signing,
                                         std::chrono::milliseconds timeout);

}  // namespace rawfeed::store::s3
