#pragma once

#include <string_view>

#include "core/result.h"

namespace rawfeed::store::local {

// Names starting with this are a put in progress (or the leftovers of a crashed one): listings
// skip them, and keys may not contain such a segment.
inline constexpr std::string_view kTempPrefix = ".tmp-";

inline constexpr std::size_t kMaxKeyBytes = 1024;
inline constexpr std::size_t kMaxSegmentBytes = 255;  // NAME_MAX of Linux file systems

// kInvalidInput naming the key unless it is a relative '/'-separated path of at most 1024 bytes
// whose segments are non-empty, at most 255 bytes, not "." or "..", not a temp name, and free of
// '\\' and NUL — the keys the ObjectStore contract allows that a directory tree can hold.
core::Status validateKey(std::string_view key);

}  // namespace rawfeed::store::local
