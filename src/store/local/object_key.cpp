#include "store/local/object_key.h"

#include "store/object_key.h"

#include <string>

namespace rawfeed::store::local {

namespace {

core::Status invalidKey(std::string_view key, const char* reason) {
  return invalidObjectKey(key, reason);
}

}  // namespace

core::Status validateKey(std::string_view key) {
  if (key.size() > kMaxKeyBytes)
    return invalidKey(key, "longer than 1024 bytes");
  if (auto valid = validateObjectKey(key); !valid.ok())
    return valid;
  // This store's own limits on top of the contract's: file-name length, and the temporaries'
  // reserved prefix, which a key must never take.
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? key.size() : slash;
    const std::string_view segment = key.substr(start, end - start);
    if (segment.size() > kMaxSegmentBytes)
      return invalidKey(key, "has a segment over 255 bytes");
    if (segment.substr(0, kTempPrefix.size()) == kTempPrefix)
      return invalidKey(key, "has a segment starting with '.tmp-' (reserved)");
    if (slash == std::string_view::npos)
      return core::okStatus();
    start = slash + 1;
  }
}

}  // namespace rawfeed::store::local
