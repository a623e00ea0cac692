#pragma once

#include <string>
#include <string_view>

namespace rawfeed::aws {

// Percent-encoding exactly as SigV4 defines it: the RFC 3986 unreserved bytes A-Za-z0-9-_.~ stay,
// every other byte becomes %XX with upper-case hex. With keep_slash, '/' stays too (paths).
// Note '=' is not unreserved: an S3 key "day=07/AAPL.json" encodes to "day%3D07/AAPL.json",
// the one place naive signers (and curl 7.88) diverge from what S3 computes.
std::string uriEncode(std::string_view text, bool keep_slash = false);

// An S3 object key as it goes on the wire and into the canonical URI: encoded once, '/' kept.
inline std::string encodeS3Key(std::string_view key) {
  return uriEncode(key, true);
}

// Inverse of uriEncode for any %XX escape; a '%' not followed by two hex digits stays literal,
// as servers treat it. '+' is not a space here (that is form encoding, not URI encoding).
std::string percentDecode(std::string_view text);

}  // namespace rawfeed::aws
