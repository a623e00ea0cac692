#pragma once

#include <string_view>

#include "digest/sha256.h"

namespace rawfeed::aws {

// The digests SigV4 and S3 need (digest/), by the names the signing code reads.
using digest::hexEncode;
using digest::hmacSha256;
using digest::sha256;
using digest::sha256Hex;

// SHA-256 of the empty string: the payload hash of every body-less request.
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace rawfeed::aws
