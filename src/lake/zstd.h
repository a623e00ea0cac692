#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace rawfeed::lake {

inline constexpr int kDefaultZstdLevel = 3;

// One zstd frame (RFC 8878) of bytes, compressed in one call on one thread with every parameter
// pinned (level, content size and XXH64 checksum in the frame, no dictionary id), so identical
// input gives byte-identical output for one libzstd build. level is 1-19; anything else is
// kInvalidInput.
core::Result<std::string> zstdCompress(std::string_view bytes, int level = kDefaultZstdLevel);

// The inverse, accepting concatenated frames (and skippable frames) as zstd(1) does. Corrupt or
// truncated input, a wrong checksum, or output beyond max_bytes is kInvalidInput.
core::Result<std::string> zstdDecompress(std::string_view bytes, std::size_t max_bytes);

}  // namespace rawfeed::lake
