#pragma once

#include <string>
#include <string_view>

namespace rawfeed::aws {

// The digests SigV4 and S3 need, behind std types so no OpenSSL type leaks out of this module.
// Raw digests are returned as binary strings (32 bytes for SHA-256).
std::string sha256(std::string_view data);
std::string sha256Hex(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view data);
std::string hexEncode(std::string_view bytes);  // lower-case, as SigV4 wants

// SHA-256 of the empty string: the payload hash of every body-less request.
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace rawfeed::aws
