#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "lake/format.h"

namespace rawfeed::lake {

inline constexpr std::string_view kCsvHeader =
    "symbol,timestamp,open,high,low,close,adjusted_close,volume\n";

// One raw object's bytes (contracts §5), before any compression. JSON Lines: one object a line,
// keys symbol, timestamp, open, high, low, close, adjusted_close, volume in that order; CSV: the
// header, then one row a record. Every line ends in "\n". Numbers are copied as the source's own
// text, so the caller (the source decoder) must hand over valid JSON number text; an absent
// value is null in JSON and an empty field in CSV. An empty vector gives "" (JSON) or just the
// header (CSV).
std::string serialize(std::string_view symbol, const std::vector<core::Record>& records,
                      Format format);

}  // namespace rawfeed::lake
