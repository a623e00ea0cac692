#include "lake/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace rawfeed::lake {

namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip wrapper instead of zlib's
constexpr int kAutoWindowBits = 15 + 32;  // inflate: detect gzip or zlib header
constexpr int kOsUnix = 3;  // what zlib writes on Unix by default; pinned for every platform

core::Error zlibError(const char* what, int code, const z_stream& stream) {
  return core::makeError(core::ErrorCode::kInvalidInput,
                         std::string(what) + ": " + (stream.msg ? stream.msg : zError(code)));
}

// zlib counts in uInt; objects never come near 4 GiB, but refuse rather than truncate.
bool fitsUInt(std::size_t size) {
  return size <= UINT_MAX;
}

}  // namespace

core::Result<std::string> gzipCompress(std::string_view bytes, int level) {
  if (level < 0 || level > 9) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "gzip level " + std::to_string(level) + " is outside 0-9");
  }
  if (!fitsUInt(bytes.size())) {
    return core::makeError(core::ErrorCode::kInvalidInput, "gzip input larger than 4 GiB");
  }
  z_stream stream{};
  int code = deflateInit2(&stream, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY);
  if (code != Z_OK)
    return zlibError("deflateInit2", code, stream);

  // An explicit header so no field depends on the platform or the clock.
  gz_header header{};
  header.time = 0;
  header.os = kOsUnix;
  code = deflateSetHeader(&stream, &header);
  if (code != Z_OK) {
    deflateEnd(&stream);
    return zlibError("deflateSetHeader", code, stream);
  }

  // deflateBound is exact enough that one Z_FINISH call always completes.
  std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  code = deflate(&stream, Z_FINISH);
  const uLong written = stream.total_out;
  deflateEnd(&stream);
  if (code != Z_STREAM_END)
    return zlibError("deflate", code, stream);
  out.resize(written);
  return out;
}

core::Result<std::string> gzipDecompress(std::string_view bytes, std::size_t max_bytes) {
  if (!fitsUInt(bytes.size())) {
    return core::makeError(core::ErrorCode::kInvalidInput, "gzip input larger than 4 GiB");
  }
  z_stream stream{};
  int code = inflateInit2(&stream, kAutoWindowBits);
  if (code != Z_OK)
    return zlibError("inflateInit2", code, stream);

  std::string out;
  out.reserve(std::min(bytes.size() * 4, max_bytes));
  char buffer[64 * 1024];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  const char* failure = nullptr;
  while (failure == nullptr) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    code = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = sizeof buffer - stream.avail_out;
    if (produced > max_bytes - out.size()) {
      failure = "output exceeds the limit";
      break;
    }
    out.append(buffer, produced);
    if (code == Z_STREAM_END) {
      if (stream.avail_in == 0)
        break;
      // Another member follows (gzip(1) concatenation): start over on it.
      if (inflateReset(&stream) != Z_OK)
        failure = "inflateReset failed";
    } else if (code != Z_OK && code != Z_BUF_ERROR) {
      failure = stream.msg ? stream.msg : zError(code);
    } else if (stream.avail_in == 0 && stream.avail_out != 0) {
      failure = "truncated input";  // all input used, room left, and the member has not ended
    }
  }
  inflateEnd(&stream);
  if (failure != nullptr) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           std::string("gzip decompress: ") + failure);
  }
  return out;
}

}  // namespace rawfeed::lake
