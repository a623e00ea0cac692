#include "digest/sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

namespace rawfeed::digest {
namespace {

// Fetched once: OpenSSL 3's implicit fetch behind EVP_sha256() takes a lock on every call, which
// shows up when thousands of objects are hashed from several threads.
const EVP_MD* sha256Algorithm() {
  static const EVP_MD* const algorithm = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return algorithm;
}

}  // namespace

std::string sha256(std::string_view bytes) {
  std::string digest(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()),
                 &length, sha256Algorithm(), nullptr) != 1) {
    // Only an allocation failure inside OpenSSL gets here; there is no sensible hash to return.
    std::abort();
  }
  digest.resize(length);
  return digest;
}

std::string sha256Hex(std::string_view bytes) {
  return hexEncode(sha256(bytes));
}

std::string hmacSha256(std::string_view key, std::string_view data) {
  std::string digest(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  // HMAC() only fails on allocation failure; there is no sensible way to sign without it.
  if (HMAC(sha256Algorithm(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(digest.data()), &length) == nullptr) {
    std::abort();
  }
  digest.resize(length);
  return digest;
}

std::string hexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(bytes.size() * 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    hex[2 * i] = kHex[byte >> 4];
    hex[2 * i + 1] = kHex[byte & 0xF];
  }
  return hex;
}

}  // namespace rawfeed::digest
