#pragma once

#include <string>
#include <string_view>

namespace rawfeed::store::s3 {

// The digests S3's integrity headers carry, base64 of the raw digest as S3 wants them. The aws
// module has SHA-256 but neither MD5 nor base64, which only S3 puts need.
std::string base64Encode(std::string_view bytes);
std::string contentMd5(std::string_view body);  // the Content-MD5 header's value
// The x-amz-checksum-sha256 value from the raw 32-byte SHA-256 already computed for signing.
inline std::string checksumSha256(std::string_view raw_sha256) {
  return base64Encode(raw_sha256);
}

}  // namespace rawfeed::store::s3
