#pragma once

#include <string>
#include <string_view>

namespace rawfeed::digest {

// SHA-256 of bytes: raw (32 bytes as a binary string) or as 64 lower-case hex digits (the
// manifest's "sha256", contracts §6; SigV4's payload hash). Thread-safe.
std::string sha256(std::string_view bytes);
std::string sha256Hex(std::string_view bytes);
// HMAC-SHA256 of data under key, raw (32 bytes): SigV4's signing chain.
std::string hmacSha256(std::string_view key, std::string_view data);
// Lower-case hex of raw bytes.
std::string hexEncode(std::string_view bytes);

}  // namespace rawfeed::digest
