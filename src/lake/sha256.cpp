#include "lake/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace rawfeed::lake {

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

std::string sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, sha256Algorithm(), nullptr) != 1) {
    // Only an allocation failure inside OpenSSL gets here; there is no sensible hash to return.
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(static_cast<std::size_t>(length) * 2, '\0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

}  // namespace rawfeed::lake
