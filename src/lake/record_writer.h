#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/corporate_action.h"
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

inline constexpr std::string_view kActionsCsvHeader =
    "symbol,date,timestamp,type,amount,currency,numerator,denominator,split_ratio\n";

// One object of the corporate-actions table (one symbol's actions of one day), before any
// compression. JSON Lines: one object a line, keys symbol, date (YYYY-MM-DD, the exchange's),
// timestamp (ISO-8601 UTC), type (dividend, split, capital_gain), amount, currency, numerator,
// denominator, split_ratio in that order: amount, numerator and denominator are numbers copied as
// the source's text, currency and split_ratio strings, and a field the action has not (a split's
// amount, a dividend's numerator) is null. CSV: the header, then one row an action, an absent
// field empty, text fields quoted as RFC 4180 needs. Every line ends in "\n".
std::string serializeActions(std::string_view symbol,
                             const std::vector<core::CorporateAction>& actions, Format format);

}  // namespace rawfeed::lake
