#include "core/crash_point.h"

#include <csignal>

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <string>

namespace rawfeed::core {
namespace {

struct Armed {
  std::string name;  // empty: no crash point armed
  long hit = 1;      // which arrival kills
};

Armed readEnvironment() {
  Armed armed;
  const char* value = std::getenv("RAWFEED_CRASH_AT");
  if (value == nullptr || *value == '\0')
    return armed;
  const std::string_view text(value);
  const auto at = text.find('@');
  armed.name = std::string(text.substr(0, at));
  if (at != std::string_view::npos) {
    const auto count = text.substr(at + 1);
    long hit = 0;
    const auto parsed = std::from_chars(count.data(), count.data() + count.size(), hit);
    // A malformed count arms the first arrival: a test that misspells it still crashes.
    if (parsed.ec == std::errc() && parsed.ptr == count.data() + count.size() && hit > 0)
      armed.hit = hit;
  }
  return armed;
}

}  // namespace

void crashPoint(std::string_view name) {
  static const Armed armed = readEnvironment();
  static std::atomic<long> arrivals{0};
  if (armed.name.empty() || armed.name != name)
    return;
  if (arrivals.fetch_add(1) + 1 == armed.hit)
    std::raise(SIGKILL);
}

}  // namespace rawfeed::core
