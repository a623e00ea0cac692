#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace rawfeed::lake {

inline constexpr int kDefaultGzipLevel = 6;

// One gzip member (RFC 1952) of bytes. The header carries no file name and mtime 0, and the OS
// byte is pinned, so identical input gives byte-identical output (for one zlib build): a
// re-written object hashes the same. level is 0-9; anything else is kInvalidInput.
core::Result<std::string> gzipCompress(std::string_view bytes, int level = kDefaultGzipLevel);

// The inverse, accepting concatenated members as gzip(1) does. Corrupt or truncated input, or more
// than max_bytes of output, is kInvalidInput.
core::Result<std::string> gzipDecompress(std::string_view bytes, std::size_t max_bytes = SIZE_MAX);

}  // namespace rawfeed::lake
