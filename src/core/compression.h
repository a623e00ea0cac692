#pragma once

#include <string_view>

#include "core/result.h"

namespace rawfeed::core {

// How the lake's objects are compressed: one value from the config through the trigger, the
// chunk message and the writer to the key's suffix and the stored Content-Encoding. The codecs
// themselves live in lake/compression.h; this is only the name and its properties, so that
// config and the wire formats can carry it without linking a codec.
enum class Compression { kNone, kGzip, kZstd };

// "none", "gzip" or "zstd" (exactly, lower case); anything else is kInvalidInput naming the
// value and the allowed ones.
Result<Compression> parseCompression(std::string_view text);
// The inverse: "none", "gzip", "zstd".
std::string_view compressionName(Compression compression);
// What follows the format's extension in an object key: "", ".gz", ".zst".
std::string_view keySuffix(Compression compression);
// The HTTP Content-Encoding of a stored object: "" (none), "gzip", "zstd".
std::string_view contentEncoding(Compression compression);

// Levels each codec accepts: gzip 0-9 (default 6), zstd 1-19 (default 3); none only 0.
struct CompressionLevels {
  int min = 0;
  int max = 0;
  int default_level = 0;
};
CompressionLevels compressionLevels(Compression compression);
// kInvalidInput naming the codec and its range when level is outside it.
Status validateCompressionLevel(Compression compression, int level);

}  // namespace rawfeed::core
