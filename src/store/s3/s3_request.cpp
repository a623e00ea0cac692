#include "store/s3/s3_request.h"

#include <algorithm>

#include "aws/sigv4.h"
#include "core/ascii.h"

namespace rawfeed::store::s3 {

namespace {

bool hasHeader(const http::Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& header) { return core::equalsNoCase(header.first, name); });
}

}  // namespace

core::Result<http::HttpRequest> signCall(const S3Url& url, const S3Call& call,
                                         const SigningContext& signing,
                                         std::chrono::milliseconds timeout) {
  const std::string query = aws::canonicalQuery(call.query);
  auto target = call.stored_key.empty() ? url.bucket(query) : url.object(call.stored_key, query);
  if (!target)
    return target.error();

  aws::SigningRequest request;
  request.method = call.method;
  request.path = target->path;
  request.query = call.query;
  request.headers.emplace_back("Host", target->host);
  for (const auto& header : call.headers)
    request.headers.push_back(header);
  const bool sends_body = call.method == "PUT" || call.method == "POST";
  if (sends_body && !hasHeader(request.headers, "content-type")) {
    request.headers.emplace_back("Content-Type", "application/octet-stream");
  }
  if (sends_body && call.body.empty())
    request.headers.emplace_back("Content-Length", "0");
  request.payload_sha256_hex = call.payload_sha256_hex;

  const aws::SigningScope scope{signing.region, "s3", signing.now};
  if (auto status = aws::sign(request, signing.credentials, scope, signing.cache); !status) {
    return status.error();
  }
  http::HttpRequest out;
  out.method = call.method;
  out.url = std::move(target->url);
  out.headers = std::move(request.headers);
  out.body = call.body;
  out.timeout = timeout;
  // An object is returned as stored: a gzip object stays gzip (the lake's bytes, not HTTP's).
  out.decode_content = false;
  return out;
}

}  // namespace rawfeed::store::s3
