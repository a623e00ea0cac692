#include "store/local/object_key.h"

#include <string>

namespace rawfeed::store::local {

namespace {

core::Status invalidKey(std::string_view key, const char* reason) {
  return core::makeError(core::ErrorCode::kInvalidInput,
                         "object key '" + std::string(key) + "': " + reason);
}

}  // namespace

core::Status validateKey(std::string_view key) {
  if (key.empty())
    return invalidKey(key, "empty");
  if (key.size() > kMaxKeyBytes)
    return invalidKey(key, "longer than 1024 bytes");
  if (key.find('\0') != std::string_view::npos)
    return invalidKey(key, "contains NUL");
  if (key.find('\\') != std::string_view::npos)
    return invalidKey(key, "contains a backslash");
  if (key.front() == '/')
    return invalidKey(key, "must be relative");
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? key.size() : slash;
    const std::string_view segment = key.substr(start, end - start);
    if (segment.empty())
      return invalidKey(key, "has an empty segment");
    if (segment == "." || segment == "..")
      return invalidKey(key, "has a '.' or '..' segment");
    if (segment.size() > kMaxSegmentBytes)
      return invalidKey(key, "has a segment over 255 bytes");
    if (segment.substr(0, kTempPrefix.size()) == kTempPrefix) {
      return invalidKey(key, "has a segment starting with '.tmp-' (reserved)");
    }
    if (slash == std::string_view::npos)
      return core::okStatus();
    start = slash + 1;
  }
}

}  // namespace rawfeed::store::local
