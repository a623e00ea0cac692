#include "core/compression.h"

#include <string>

namespace rawfeed::core {

Result<Compression> parseCompression(std::string_view text) {
  if (text == "none")
    return Compression::kNone;
  if (text == "gzip")
    return Compression::kGzip;
  if (text == "zstd")
    return Compression::kZstd;
  return makeError(ErrorCode::kInvalidInput,
                   "unknown compression '" + std::string(text) + "' (one of none, gzip, zstd)");
}

std::string_view compressionName(Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kNone:
      break;
  }
  return "none";
}

std::string_view keySuffix(Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return ".gz";
    case Compression::kZstd:
      return ".zst";
    case Compression::kNone:
      break;
  }
  return "";
}

std::string_view contentEncoding(Compression compression) {
  return compression == Compression::kNone ? std::string_view() : compressionName(compression);
}

CompressionLevels compressionLevels(Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return {0, 9, 6};
    case Compression::kZstd:
      // 20-22 are zstd's "ultra" levels, which need far more memory to decompress.
      return {1, 19, 3};
    case Compression::kNone:
      break;
  }
  return {0, 0, 0};
}

Status validateCompressionLevel(Compression compression, int level) {
  const CompressionLevels levels = compressionLevels(compression);
  if (level >= levels.min && level <= levels.max)
    return okStatus();
  if (compression == Compression::kNone) {
    return makeError(ErrorCode::kInvalidInput, "compression level " + std::to_string(level) +
                                                   " given without a compression (gzip or zstd)");
  }
  return makeError(ErrorCode::kInvalidInput, std::string(compressionName(compression)) + " level " +
                                                 std::to_string(level) + " is outside " +
                                                 std::to_string(levels.min) + "-" +
                                                 std::to_string(levels.max));
}

}  // namespace rawfeed::core
