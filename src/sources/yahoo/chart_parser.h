#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::sources::yahoo {

// One JSON value of a bar column, as its own text ("75.08750152587891", "0", "\"x\"");
// nullopt for null. Validation (number, sign) is the decoder's job.
using Cell = std::optional<std::string>;
using Column = std::optional<std::vector<Cell>>;  // nullopt: the key was absent

struct ChartError {
  std::string code;  // Yahoo puts the HTTP reason phrase here ("Not Found")
  std::string description;
};

struct ChartMeta {
  std::string exchange_timezone;
  std::optional<std::int64_t> gmtoffset;
  std::optional<std::int64_t> regular_market_time;
  std::optional<std::int64_t> regular_start;  // currentTradingPeriod.regular
  std::optional<std::int64_t> regular_end;
  std::string data_granularity;
};

// The parts of a chart response the decoder uses: {"chart":{"result":[...],"error":...}}, or
// another Yahoo endpoint's {"finance":{...}} error envelope.
struct ChartBody {
  bool is_chart = false;  // a "chart" envelope (as opposed to "finance" or nothing known)
  std::optional<ChartError> error;
  bool has_result = false;  // result[0] exists
  ChartMeta meta;
  std::optional<std::vector<std::int64_t>> timestamps;
  Column open, high, low, close, volume, adjclose;
};

// Parses with simdjson; an error carries simdjson's message (truncated, not JSON, wrong types
// where the structure matters).
core::Result<ChartBody> parseChartBody(std::string_view body);

}  // namespace rawfeed::sources::yahoo
