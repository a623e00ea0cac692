#include "http/retry_after.h"

#include <date/date.h>

#include <algorithm>
#include <charconv>
#include <sstream>
#include <string>

namespace rawfeed::http {

std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         core::SystemTime now) {
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  if (value.empty()) {
    return std::nullopt;
  }
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    return std::chrono::seconds(std::max(0LL, seconds));
  }
  std::istringstream in{std::string(value)};
  date::sys_seconds when;
  in >> date::parse("%a, %d %b %Y %H:%M:%S GMT", when);
  if (in.fail()) {
    return std::nullopt;
  }
  const auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
  return std::max(delta, std::chrono::milliseconds(0));
}

}  // namespace rawfeed::http
