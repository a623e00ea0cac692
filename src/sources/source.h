#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/corporate_action.h"
#include "core/record.h"
#include "http/http_client.h"

namespace rawfeed::sources {

// An inclusive range of calendar days (UTC), "YYYY-MM-DD": a backfill as a trigger gives it, and
// the windows a source splits it into (SourceDescriptor::splitBackfill).
struct DateWindow {
  std::string start;
  std::string end;
};

// A half-open window [start, end) of instants, unix seconds (UTC); without `end`, up to now.
struct TimeWindow {
  std::int64_t start = 0;
  std::optional<std::int64_t> end;

  // The calendar days first..last (days since the epoch, inclusive) as [first 00:00 UTC,
  // the midnight after last).
  static TimeWindow ofDays(std::int64_t first_day, std::int64_t last_day);
};

// What to fetch for one symbol, in no source's dialect: `window` when set, else the last
// `lookback` up to now — one of the domain's periods (1d 5d 1mo 3mo 6mo 1y 2y 5y 10y ytd max),
// which each source maps itself (Yahoo sends it as range=1mo; a source without such a
// parameter turns it into days with lookbackDays, sources/lookback.h).
struct FetchRequest {
  std::string symbol;  // in the source's notation, already validated
  std::string interval = "1d";
  std::string lookback = "1mo";
  std::optional<TimeWindow> window;
  // A caller with a deadline (a Lambda invocation): no attempt starts after this instant — a
  // fetch that could not start in time ends kTransient at once — and throttled answers are
  // retried for as long as the retry starts before it, rather than only the source's budget.
  std::optional<core::SteadyTime> start_by;
};

enum class FetchOutcome {
  kOk,          // bars came back (possibly none left after dropping null/unclosed ones)
  kEmpty,       // 200 without bars: holiday, weekend, before listing, dead fund
  kNotFound,    // 404: unknown or delisted symbol; permanent
  kBadRequest,  // 400/422: the source refused the parameters; permanent, with its description
  kThrottled,   // 429, or the source host paused by its rate limit beyond what we may wait
  kTransient,   // 5xx, timeouts, resets, unreadable body, still after the retries
  // The source refuses us rather than the request (401/403, a consent page, HTML where JSON
  // belongs): not a rate limit, so waiting will not help; it needs a session, another User-Agent
  // or another address. Retried later like a transient failure, reported apart.
  kBlocked,
};

const char* fetchOutcomeName(FetchOutcome outcome);

// Why a source's bar was dropped as invalid: the keys of FetchResult::invalid_bars, the summary's
// and the manifest's counts, and the reason label of rawfeed_invalid_bars_total.
namespace invalid_bar {
inline constexpr std::string_view kNotANumber = "not_a_number";  // a string, object, NaN, ...
inline constexpr std::string_view kNegative = "negative";        // a price or volume below 0
inline constexpr std::string_view kNotFinite = "not_finite";     // beyond a double (1e309)
inline constexpr std::string_view kVolumeNotInteger = "volume_not_integer";   // 1.5, 1e3
inline constexpr std::string_view kVolumeOutOfRange = "volume_out_of_range";  // > 2^63 - 1
// Its date in the exchange's time zone is outside 1800-01-01 .. 2200-12-31.
inline constexpr std::string_view kDateOutOfRange = "date_out_of_range";
// Text sources (csv_http): a line that is not a bar (a field missing or too many, a date that is
// not YYYY-MM-DD), a second bar for a day already given, a bar outside the requested window.
inline constexpr std::string_view kMalformedLine = "malformed_line";
inline constexpr std::string_view kDuplicateDate = "duplicate_date";
inline constexpr std::string_view kOutsideWindow = "outside_window";
}  // namespace invalid_bar

// Why a corporate action (a dividend, split or capital gain the source reported) was dropped: the
// keys of FetchResult::invalid_actions. A number's problems are the invalid_bar ones
// (not_a_number, negative, not_finite).
namespace invalid_action {
inline constexpr std::string_view kNotAnObject = "not_an_object";   // an entry that is no object
inline constexpr std::string_view kMissingField = "missing_field";  // no amount, no numerator, ...
inline constexpr std::string_view kZero = "zero";  // a split's numerator or denominator of 0
// Neither its date nor its key is an integer number of seconds.
inline constexpr std::string_view kBadDate = "bad_date";
// Its date in the exchange's time zone is outside 1800-01-01 .. 2200-12-31.
inline constexpr std::string_view kDateOutOfRange = "date_out_of_range";
}  // namespace invalid_action
// Permanent outcomes are reported and never retried; the others may work on a later delivery.
bool isPermanent(FetchOutcome outcome);

// What an HTTP status that is not a success means for any source over HTTP: 404/410 not found;
// 429 throttled; 401/403 and a redirect we were not meant to follow (Yahoo's consent page)
// blocked, the source refusing us rather than the request; 408, 5xx and anything unexpected
// transient; any other 4xx a bad request.
FetchOutcome outcomeOfHttpStatus(int status);

struct FetchResult {
  std::string symbol;
  FetchOutcome outcome = FetchOutcome::kTransient;
  std::string reason;  // empty for kOk/kEmpty; otherwise what the source said, for people
  int http_status = 0;
  int attempts = 0;
  std::string exchange_timezone;  // IANA name from the response, when there was one
  // When the exchange's regular session closes, in local minutes of the day (Yahoo's
  // currentTradingPeriod); -1 when the answer did not say. Incremental fetches use it to know
  // whether today's session has closed.
  int session_close_minute = -1;
  std::vector<core::DayRecords> days;  // ascending by day; only closed, non-null bars
  int dropped_null_bars = 0;           // bars whose values were all null
  int dropped_open_bars = 0;           // bars of a session that has not closed yet
  // Bars dropped because a value or the date was not valid, by invalid_bar reason: never
  // written, always reported (summary, manifest, log, metrics).
  std::map<std::string, int, std::less<>> invalid_bars;
  // Corporate actions the source reported with the bars (or without any: an events-only answer
  // is kEmpty for the bars and still carries them), ascending by timestamp, then kind
  // (dividend, split, capital gain). Sources without actions leave it empty.
  std::vector<core::CorporateAction> actions;
  // Actions dropped as invalid, by invalid_action reason: never written, always reported.
  std::map<std::string, int, std::less<>> invalid_actions;
  // kThrottled: how long the source asked us (or its governor decided) to stay away; zero when
  // unknown.
  std::chrono::milliseconds retry_after{0};
};

// A data source connector; what it is and how it is made is its SourceDescriptor
// (sources/source_descriptor.h). fetch() does not block: `done` runs exactly once, on a thread of
// the source's, and must be quick. Retries (throttled, transient) happen inside, within the
// source's own budget; the result is final for this delivery. Thread-safe.
class Source {
 public:
  using Callback = std::function<void(FetchResult)>;
  virtual ~Source() = default;
  virtual void fetch(FetchRequest request, Callback done) = 0;
  // One cheap request whose answer, whatever its status, shows the source's host is reachable
  // (the commands' probe before a run); nullopt when the source offers none.
  virtual std::optional<http::HttpRequest> probeRequest() const { return std::nullopt; }
};

}  // namespace rawfeed::sources
