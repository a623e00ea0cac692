#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "audit/gap_audit.h"
#include "core/result.h"

namespace rawfeed::audit {

// A fetch window is a DayRange of UTC days: one request.
// The source's history limits: a range of days as the windows one request may ask for, oldest
// first (SourceDescriptor::splitBackfill at a fixed `now`). An error when the range reaches back
// further than the interval's history — then every later start must be accepted, the rule the
// plan's search for the oldest reachable day relies on.
using WindowSplitter = std::function<core::Result<std::vector<DayRange>>(const DayRange&)>;

struct SymbolFill {
  std::string symbol;
  std::vector<DayRange> windows;  // oldest first; each one request
  std::vector<std::string> missing;
  // Missing days the source's history no longer reaches, and why; not in any window.
  std::vector<std::string> unreachable;
  std::string unreachable_reason;

  bool operator==(const SymbolFill&) const = default;
};

struct FillPlan {
  std::vector<SymbolFill> symbols;  // the symbols with missing days, by symbol

  std::int64_t requests() const;  // windows over every symbol
  std::int64_t unreachableDays() const;
  bool empty() const { return requests() == 0; }
  // The earliest start and latest end of every window ("" when there is none).
  DayRange span() const;
};

// The windows that fetch exactly each symbol's missing days. Each missing day d is fetched with
// its neighbours, [d-1, d+1], so a bar an Asia-Pacific exchange stamps on the previous UTC day
// (or an evening bar stamped on the next) is inside the window; consecutive missing days form a
// run, and a run is never cut by a window edge while it fits in one request (an intraday day cut
// would land half its bars, and the create-only writer would keep that half). Runs are merged
// into as few windows as `split` allows: one window from the first missing day to the last when
// the source serves the whole range in one request (daily bars: 100 years); only the source's
// limits split it. What lies between two runs in a window is either in the lake already (the
// create-only writer skips it) or a day the group did not trade. Pure.
FillPlan planFill(const GapReport& report, const WindowSplitter& split);

}  // namespace rawfeed::audit
