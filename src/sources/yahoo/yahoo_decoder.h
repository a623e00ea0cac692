#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "sources/source.h"

namespace rawfeed::sources::yahoo {

// What the decoder did beyond FetchResult's counters, for logs and metrics.
struct DecodeNotes {
  int dropped_after_period2 = 0;  // Yahoo's stray latest bar at or after the window's end
  int duplicate_timestamps = 0;   // earlier bars replaced by a later one with the same stamp
  std::string timezone_fallback;  // empty when meta.exchangeTimezoneName was found in tzdata
};

struct Decoded {
  FetchResult result;
  DecodeNotes notes;
};

// Turns one chart response into a FetchResult; pure (the time is `now`). attempts is left 0.
//   200 + bars            -> kOk, records grouped by trading day in exchange time (kOk with no
//                            days when every bar was dropped)
//   200 without timestamp -> kEmpty
//   200 unreadable, arrays of unequal length -> kTransient
//   404, 410              -> kNotFound; 400, 422 (other 4xx) -> kBadRequest, with Yahoo's text
//   200 with an HTML page -> kBlocked (a consent or bot-check page)
//   429                   -> kThrottled; 401, 403, 3xx -> kBlocked; 408, 5xx, else -> kTransient
// Bars dropped: at/after the end of request.window (period2), all null, invalid (counted by reason
// in result.invalid_bars: a value that is not a finite non-negative number, a volume that is not an
// integer in 0..2^63-1, a date outside 1800..2200), or of a period not over by `now` or still
// forming when Yahoo answered (it contains meta.regularMarketTime).
// Corporate actions (result[0].events: dividends, splits, capitalGains) come with kOk and kEmpty,
// all of them whatever the window: the timestamp is the entry's `date`, else its key; the day is
// that instant's date in the bars' exchange time zone; numbers keep their text; the currency is
// the entry's, else meta.currency. Invalid entries are counted in result.invalid_actions.
Decoded decode(int status, std::string_view body, const FetchRequest& request,
               core::SystemTime now);

}  // namespace rawfeed::sources::yahoo
