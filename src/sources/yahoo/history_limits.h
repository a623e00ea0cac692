#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "sources/source.h"

namespace rawfeed::sources::yahoo {

using sources::DateWindow;

// Splits a backfill [start, end] into windows Yahoo will serve for `interval`
// (../shared/fixtures/yahoo/API_NOTES.md §3): 1m at most 7 days per request and only within the
// last 30 days; 2m–90m (except 60m) within the last 60 days; 60m/1h within the last 730 days;
// daily and longer at most 100 years per request. A range reaching further back than the
// interval allows is kInvalidInput naming the limit — rather than a batch of certain 422s.
core::Result<std::vector<DateWindow>> splitBackfill(std::string_view interval,
                                                    std::string_view start, std::string_view end,
                                                    core::SystemTime now);

}  // namespace rawfeed::sources::yahoo
