#pragma once

#include <string_view>

#include "core/result.h"

namespace rawfeed::store {

// The ObjectStore contract's key rules, the same for every backend: a '/'-separated relative
// path, not empty, without NUL or backslash, empty, "." or ".." segments. kInvalidInput naming
// the key and the rule; a backend adds its own limits on top.
core::Status validateObjectKey(std::string_view key);

core::Error invalidObjectKey(std::string_view key, std::string_view reason);

}  // namespace rawfeed::store
