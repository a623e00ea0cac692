#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rawfeed::core {

// One bar of contracts §5. Numbers are kept as the source's own text (e.g. "75.08750152587891")
// so that nothing is rounded through a float on the way to the lake; nullopt is null.
struct Record {
  std::int64_t timestamp = 0;  // the bar's start, unix seconds UTC
  std::optional<std::string> open;
  std::optional<std::string> high;
  std::optional<std::string> low;
  std::optional<std::string> close;
  std::optional<std::string> adjusted_close;
  std::optional<std::string> volume;  // an integer's text
};

// One symbol's records of one trading day, the content of one raw object (contracts §4).
struct DayRecords {
  std::string day;  // YYYY-MM-DD, the trading date in the exchange's own time zone
  std::vector<Record> records;
};

}  // namespace rawfeed::core
