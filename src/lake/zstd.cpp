#include "lake/zstd.h"

#include <zstd.h>

#include <algorithm>
#include <memory>
#include <utility>

namespace rawfeed::lake {

namespace {

core::Error zstdError(const char* what, std::size_t code) {
  return core::makeError(core::ErrorCode::kInvalidInput,
                         std::string("zstd ") + what + ": " + ZSTD_getErrorName(code));
}

struct FreeCCtx {
  void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
};
struct FreeDCtx {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

// Every parameter that shapes the frame, set explicitly rather than left to the library's
// defaults: a later default must not change the bytes of a re-written object.
std::size_t setParameters(ZSTD_CCtx* context, int level) {
  for (const auto& [parameter, value] :
       {std::pair{ZSTD_c_compressionLevel, level}, std::pair{ZSTD_c_contentSizeFlag, 1},
        std::pair{ZSTD_c_checksumFlag, 1}, std::pair{ZSTD_c_dictIDFlag, 0},
        std::pair{ZSTD_c_nbWorkers, 0}}) {
    const std::size_t code = ZSTD_CCtx_setParameter(context, parameter, value);
    if (ZSTD_isError(code))
      return code;
  }
  return 0;
}

}  // namespace

core::Result<std::string> zstdCompress(std::string_view bytes, int level) {
  if (level < 1 || level > 19) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "zstd level " + std::to_string(level) + " is outside 1-19");
  }
  const std::unique_ptr<ZSTD_CCtx, FreeCCtx> context(ZSTD_createCCtx());
  if (!context)
    return core::makeError(core::ErrorCode::kInternal, "zstd: cannot allocate a context");
  if (const std::size_t code = setParameters(context.get(), level); ZSTD_isError(code))
    return zstdError("parameters", code);
  // ZSTD_compressBound is the worst case, so one call always completes (ZSTD_compress2 is the
  // one-shot call that honours the parameters above; ZSTD_compressCCtx would reset them).
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t written =
      ZSTD_compress2(context.get(), out.data(), out.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(written))
    return zstdError("compress", written);
  out.resize(written);
  return out;
}

core::Result<std::string> zstdDecompress(std::string_view bytes, std::size_t max_bytes) {
  if (bytes.empty())
    return core::makeError(core::ErrorCode::kInvalidInput, "zstd decompress: empty input");
  const std::unique_ptr<ZSTD_DCtx, FreeDCtx> context(ZSTD_createDCtx());
  if (!context)
    return core::makeError(core::ErrorCode::kInternal, "zstd: cannot allocate a context");
  std::string out;
  // The first frame's declared size is only a hint (it may lie): bounded before it is trusted.
  const unsigned long long declared = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR)
    out.reserve(static_cast<std::size_t>(std::min<unsigned long long>(declared, max_bytes)));

  char buffer[64 * 1024];
  ZSTD_inBuffer input{bytes.data(), bytes.size(), 0};
  // 0 once a frame is fully decoded and flushed (the next call starts on the following frame);
  // otherwise the frame wants more input or has more output to flush.
  std::size_t pending = 0;
  do {
    ZSTD_outBuffer output{buffer, sizeof buffer, 0};
    const std::size_t consumed_before = input.pos;
    pending = ZSTD_decompressStream(context.get(), &output, &input);
    if (ZSTD_isError(pending))
      return zstdError("decompress", pending);
    if (output.pos > max_bytes - out.size()) {
      return core::makeError(
          core::ErrorCode::kInvalidInput,
          "zstd decompress: output exceeds " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buffer, output.pos);
    // Nothing taken and nothing produced: with the input used up, the frame was cut short.
    if (pending != 0 && output.pos == 0 && input.pos == consumed_before) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             input.pos == input.size ? "zstd decompress: truncated input"
                                                     : "zstd decompress: no progress");
    }
  } while (input.pos < input.size || pending != 0);
  return out;
}

}  // namespace rawfeed::lake
