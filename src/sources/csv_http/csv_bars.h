#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "sources/lookback.h"

namespace rawfeed::sources::csv_http {

// The header every body starts with (docs/architecture.md, "csv_http"): one daily bar a line,
// the date YYYY-MM-DD (UTC), numbers as JSON writes them, an empty cell for null, no quoting.
inline constexpr std::string_view kHeader = "date,open,high,low,close,adj_close,volume";

struct CsvBars {
  std::vector<core::DayRecords> days;  // ascending, one record each, stamped 00:00 UTC
  int bars = 0;                        // data lines read, kept or not
  int dropped_null_bars = 0;           // every value empty
  int dropped_open_bars = 0;           // dated today or later: the day may not be over
  // By invalid_bar reason (sources/source.h): malformed_line, date_out_of_range,
  // outside_window, duplicate_date, not_a_number, negative, not_finite, volume_not_integer,
  // volume_out_of_range. Never written, always reported.
  std::map<std::string, int, std::less<>> invalid_bars;
};

// Reads one answer for the days `window`, `today` being the current UTC day. Every data line
// ends up exactly once in `days`, a dropped count or `invalid_bars`; blank lines are skipped.
// kInvalidInput when the body is not this format (its first line is not kHeader).
core::Result<CsvBars> parseCsvBars(std::string_view body, const DayRange& window,
                                   std::int64_t today);

}  // namespace rawfeed::sources::csv_http
