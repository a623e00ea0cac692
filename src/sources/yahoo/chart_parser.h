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
  std::string currency;  // meta.currency ("USD"), empty when absent
};

// One entry of result[0].events (dividends, splits, capitalGains), unchecked: numbers as their
// own JSON text like the bar columns, nullopt when the field is absent. Validation is the
// decoder's job.
struct ChartEvent {
  std::string group;       // "dividends", "splits" or "capitalGains"
  std::string key;         // the entry's key, a timestamp's text
  bool is_object = false;  // false: the entry is not an object and has no fields
  Cell amount, date, numerator, denominator;
  std::optional<std::string> currency;     // a JSON string's value; nullopt if absent or not one
  std::optional<std::string> split_ratio;  // "4:1", likewise
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
  std::vector<ChartEvent> events;  // in the order of the response
  // Groups of events that were not objects ("dividends":[...]): one each, counted invalid.
  int malformed_event_groups = 0;
};

// Parses with simdjson; an error carries simdjson's message (truncated, not JSON, wrong types
// where the structure matters).
core::Result<ChartBody> parseChartBody(std::string_view body);

}  // namespace rawfeed::sources::yahoo
