#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>

#include "core/clock.h"
#include "sources/source.h"

namespace rawfeed::sources::yahoo::test {

inline core::SystemTime at(std::int64_t unix_seconds) {
  return core::SystemTime(std::chrono::seconds(unix_seconds));
}

// 2030-01-01T00:00:00Z: well after every recording (TSCO.L is stamped 2026-06).
inline const core::SystemTime kLongAfter = at(1893456000);

// The window a recorded URL asked for; masked values (MOCK_PERIOD_1) count as absent.
inline FetchRequest requestFromUrl(const std::string& url, const std::string& symbol = "X") {
  FetchRequest request;
  request.symbol = symbol;
  std::smatch match;
  // Only the window's end matters to the decoder: a masked period1 reads as 0.
  if (std::regex_search(url, match, std::regex("[?&]period1=(-?[0-9]+)"))) {
    request.window = TimeWindow{std::stoll(match[1]), std::nullopt};
  }
  if (std::regex_search(url, match, std::regex("[?&]period2=(-?[0-9]+)"))) {
    if (!request.window)
      request.window = TimeWindow{};
    request.window->end = std::stoll(match[1]);
  }
  if (std::regex_search(url, match, std::regex("[?&]interval=([0-9a-z]+)"))) {
    request.interval = match[1];
  }
  return request;
}

}  // namespace rawfeed::sources::yahoo::test
