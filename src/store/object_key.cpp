#include "store/object_key.h"

#include <string>

namespace rawfeed::store {

core::Error invalidObjectKey(std::string_view key, std::string_view reason) {
  std::string message = "object key '";
  message += key;
  message += "': ";
  message += reason;
  return core::makeError(core::ErrorCode::kInvalidInput, std::move(message));
}

core::Status validateObjectKey(std::string_view key) {
  if (key.empty())
    return invalidObjectKey(key, "empty");
  if (key.find('\0') != std::string_view::npos)
    return invalidObjectKey(key, "contains NUL");
  if (key.find('\\') != std::string_view::npos) {
    return invalidObjectKey(key, "contains a backslash");
  }
  if (key.front() == '/')
    return invalidObjectKey(key, "must be relative");
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? key.size() : slash;
    const std::string_view segment = key.substr(start, end - start);
    if (segment.empty())
      return invalidObjectKey(key, "has an empty segment");
    if (segment == "." || segment == "..") {
      return invalidObjectKey(key, "has a '.' or '..' segment");
    }
    if (slash == std::string_view::npos)
      return core::okStatus();
    start = slash + 1;
  }
}

}  // namespace rawfeed::store
