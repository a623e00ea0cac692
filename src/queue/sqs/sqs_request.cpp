#include "queue/sqs/sqs_request.h"

#include "aws/hashing.h"
#include "aws/sigv4.h"

namespace rawfeed::queue::sqs {

core::Result<http::HttpRequest> buildSqsRequest(const SqsTarget& target, std::string_view action,
                                                std::string body,
                                                const aws::Credentials& credentials,
                                                core::SystemTime now, aws::SigningKeyCache* cache) {
  std::string path = target.endpoint.base_path;
  path += '/';
  std::string amz_target = "AmazonSQS.";
  amz_target += action;

  aws::SigningRequest signing;
  signing.method = "POST";
  signing.path = path;
  signing.headers = {{"Host", target.endpoint.authority()},
                     {"Content-Type", std::string(kJsonContentType)},
                     {"X-Amz-Target", std::move(amz_target)},
                     {"x-amzn-query-mode", "true"}};
  signing.payload_sha256_hex = aws::sha256Hex(body);
  const aws::SigningScope scope{target.region, "sqs", now};
  if (auto signed_ok = aws::sign(signing, credentials, scope, cache); !signed_ok) {
    return signed_ok.error();
  }

  http::HttpRequest request;
  request.method = "POST";
  request.url = target.endpoint.origin();
  request.url += path;
  request.headers = std::move(signing.headers);
  request.body = std::move(body);
  return request;
}

}  // namespace rawfeed::queue::sqs
