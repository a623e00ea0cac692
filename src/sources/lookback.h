#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace rawfeed::sources {

// Inclusive calendar days (days since the epoch, UTC).
struct DayRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

// The days a lookback period covers, ending `today` (for a source that takes dates, not
// Yahoo's range=): Nd the N days up to today; Nmo and Ny from the same date N months or years
// before (the 31st falling back to the month's last day); ytd from 1 January; max from
// 1800-01-01, the first date a bar may have. kInvalidInput for any other period.
core::Result<DayRange> lookbackDays(std::string_view period, std::int64_t today);

}  // namespace rawfeed::sources
