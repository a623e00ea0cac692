#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/compression.h"
#include "core/result.h"

namespace rawfeed::lake {

using core::Compression;

// One object holds one symbol's day; far below this, so more is a bomb or not ours.
inline constexpr std::size_t kMaxDecompressedBytes = std::size_t{256} << 20;

// bytes in the codec's deterministic form (lake/gzip.h, lake/zstd.h): identical input and level
// give identical bytes. kNone returns bytes as they are and ignores level; a level outside the
// codec's range (core::compressionLevels) is kInvalidInput.
core::Result<std::string> compress(std::string_view bytes, Compression compression, int level);

// The inverse; concatenated members or frames are read as one stream. Corrupt or truncated input,
// or more than max_bytes of output, is kInvalidInput.
core::Result<std::string> decompress(std::string_view bytes, Compression compression,
                                     std::size_t max_bytes = kMaxDecompressedBytes);

}  // namespace rawfeed::lake
