#include "server/bearer_auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>

#include "core/ascii.h"

namespace rawfeed::server {
namespace {

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

Digest digestOf(std::string_view text) {
  Digest digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

}  // namespace

bool constantTimeEquals(std::string_view given, std::string_view expected) {
  const Digest a = digestOf(given);
  const Digest b = digestOf(expected);
  // The length test is folded in without a branch on the digests' comparison.
  const int differs = CRYPTO_memcmp(a.data(), b.data(), a.size());
  return (differs == 0) & (given.size() == expected.size());
}

BearerAuth::BearerAuth(std::string token) : token_(std::move(token)) {}

AuthOutcome BearerAuth::check(std::string_view authorization_header) const {
  if (token_.empty()) {
    return AuthOutcome::kNotConfigured;
  }
  const std::string_view header = core::trimAscii(authorization_header);
  if (header.empty()) {
    return AuthOutcome::kMissing;
  }
  // RFC 7235: the scheme is case-insensitive and followed by at least one space.
  constexpr std::string_view kScheme = "Bearer";
  if (!core::startsWithNoCase(header, kScheme) || header.size() == kScheme.size() ||
      header[kScheme.size()] != ' ') {
    return AuthOutcome::kWrongScheme;
  }
  const std::string_view token = core::trimAscii(header.substr(kScheme.size()));
  return constantTimeEquals(token, token_) ? AuthOutcome::kAccepted : AuthOutcome::kWrongToken;
}

}  // namespace rawfeed::server
