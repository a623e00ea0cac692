#include "lake/compression.h"

#include "lake/gzip.h"
#include "lake/zstd.h"

namespace rawfeed::lake {

core::Result<std::string> compress(std::string_view bytes, Compression compression, int level) {
  switch (compression) {
    case Compression::kGzip:
      return gzipCompress(bytes, level);
    case Compression::kZstd:
      return zstdCompress(bytes, level);
    case Compression::kNone:
      break;
  }
  return std::string(bytes);
}

core::Result<std::string> decompress(std::string_view bytes, Compression compression,
                                     std::size_t max_bytes) {
  switch (compression) {
    case Compression::kGzip:
      return gzipDecompress(bytes, max_bytes);
    case Compression::kZstd:
      return zstdDecompress(bytes, max_bytes);
    case Compression::kNone:
      break;
  }
  if (bytes.size() > max_bytes) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "object exceeds " + std::to_string(max_bytes) + " bytes");
  }
  return std::string(bytes);
}

}  // namespace rawfeed::lake
