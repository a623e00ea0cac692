// Retry-After from any server (Yahoo's 429s, AWS's throttles): delta-seconds or an HTTP date,
// read relative to a fixed now. Whatever the header says, the wait is never negative.
#include "http/retry_after.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rawfeed;
  const std::string_view value = fuzz::asText(data, size);
  for (const auto now : {core::SystemTime(fuzz::kNow), core::SystemTime{}}) {
    const auto wait = http::parseRetryAfter(value, now);
    if (wait)
      FUZZ_CHECK(wait->count() >= 0, "a negative wait for '" + std::string(value) + "'");
  }
  return 0;
}
