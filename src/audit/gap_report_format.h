#pragma once

#include <string>
#include <vector>

#include "audit/fill_plan.h"
#include "audit/gap_audit.h"

namespace rawfeed::audit {

// "2024-01-02", or "2024-01-02..2024-01-05" for a range of more than one day.
std::string formatRange(const DayRange& range);
// The ranges joined with ", ".
std::string formatRanges(const std::vector<DayRange>& ranges);

// For people: a header naming the table and the range, one row per symbol with missing days
// (symbol, group, first and last day, how many days are missing, the missing days as ranges),
// the symbols never landed, and a totals line.
std::string formatGapTable(const GapReport& report);

// The stable document of `rawfeed gaps --json` (README "rawfeed gaps"), schema
// "rawfeed.gaps/1": {"schema","domain","table","interval","data_source","lake",
// "range":{"start","end"} (null when open), "symbols":[{"symbol","group","first_day",
// "last_day","missing":[days],"missing_ranges":[{"start","end"}]}] (every symbol audited, by
// symbol), "never_landed":[symbols], "totals":{"symbols","symbols_with_gaps","missing_days",
// "never_landed","objects","foreign_keys"}}. With a plan, also "fill":{"requests",
// "unreachable_days","symbols":[{"symbol","windows":[{"start","end"}],"unreachable":[days],
// "unreachable_reason"}]}. One line, no trailing newline.
std::string gapReportJson(const GapReport& report, const FillPlan* plan = nullptr);

// For people: each symbol's windows, unreachable days with the reason, the total of requests.
std::string formatFillPlan(const FillPlan& plan);

}  // namespace rawfeed::audit
