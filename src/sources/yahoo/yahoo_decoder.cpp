#include "sources/yahoo/yahoo_decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <utility>

#include "core/time_format.h"
#include "sources/number_text.h"
#include "sources/yahoo/bar_period.h"
#include "sources/yahoo/chart_parser.h"

namespace rawfeed::sources::yahoo {
namespace {

constexpr std::size_t kSnippetBytes = 80;

// The first bytes of a body, printable, for a reason string.
std::string snippet(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, kSnippetBytes)) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (body.size() > kSnippetBytes) {
    out += "...";
  }
  return fmt::format("\"{}\"", out);
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 307:
      return "Temporary Redirect";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "HTTP error";
  }
}

// "404 Not Found: No data found, symbol may be delisted"; Yahoo's own code is added when it is
// not the status's reason phrase; a non-JSON body is quoted.
std::string errorReason(int status, std::string_view body) {
  const std::string head = fmt::format("{} {}", status, reasonPhrase(status));
  auto parsed = parseChartBody(body);
  if (parsed.ok() && parsed->error) {
    const ChartError& error = *parsed->error;
    std::string reason = fmt::format("{}: {}", head, error.description);
    if (!error.code.empty() && error.code != reasonPhrase(status)) {
      reason += fmt::format(" (Yahoo code \"{}\")", error.code);
    }
    return reason;
  }
  if (status == 429) {
    return fmt::format("{}: Yahoo is rate limiting; body {}", head, snippet(body));
  }
  if (status >= 300 && status < 400) {
    return fmt::format("{} redirect (a consent or login page): blocked", status);
  }
  return fmt::format("{}: body {}", head, snippet(body));
}

bool looksLikeHtml(std::string_view body) {
  std::size_t i = 0;
  while (i < body.size() &&
         (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
    ++i;
  return i < body.size() && body[i] == '<';
}

struct Bar {
  std::int64_t timestamp = 0;
  core::Record record;
};

core::Record recordAt(const ChartBody& chart, std::size_t i, std::int64_t timestamp) {
  auto at = [i](const Column& column) -> std::optional<std::string> {
    return column ? (*column)[i] : std::nullopt;
  };
  core::Record record;
  record.timestamp = timestamp;
  record.open = at(chart.open);
  record.high = at(chart.high);
  record.low = at(chart.low);
  record.close = at(chart.close);
  record.adjusted_close = at(chart.adjclose);
  record.volume = at(chart.volume);
  return record;
}

bool allNull(const core::Record& r) {
  return !r.open && !r.high && !r.low && !r.close && !r.adjusted_close && !r.volume;
}

// Why the bar cannot be written, as an invalid_bar reason; nullopt when every value is valid.
std::optional<std::string_view> invalidValue(const core::Record& r) {
  for (const auto* price : {&r.open, &r.high, &r.low, &r.close, &r.adjusted_close}) {
    if (*price) {
      if (auto problem = priceProblem(**price))
        return problem;
    }
  }
  return r.volume ? volumeProblem(*r.volume) : std::nullopt;
}

// Unix seconds a bar may start at and still fall on a valid day in any time zone (offsets stay
// within a day); outside, it is invalid before any calendar arithmetic can overflow.
constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kEarliestBar = (core::kFirstValidDay - 1) * kSecondsPerDay;
constexpr std::int64_t kLatestBar = (core::kLastValidDay + 2) * kSecondsPerDay;

std::optional<std::int64_t> saneInstant(std::optional<std::int64_t> unix_seconds) {
  if (unix_seconds && (*unix_seconds < kEarliestBar || *unix_seconds > kLatestBar))
    return std::nullopt;
  return unix_seconds;
}

// Unequal arrays are treated as transient: the likeliest cause is a response cut or spliced on
// the way (a CDN edge, a partial cache fill), a later fetch usually reads whole, and declaring
// it permanent would dead-letter a symbol for one bad answer. The worker's budget bounds it.
std::optional<std::string> shapeProblem(const ChartBody& chart) {
  const std::size_t n = chart.timestamps->size();
  const std::pair<const char*, const Column*> columns[] = {
      {"open", &chart.open},   {"high", &chart.high},     {"low", &chart.low},
      {"close", &chart.close}, {"volume", &chart.volume}, {"adjclose", &chart.adjclose}};
  for (const auto& [name, column] : columns) {
    if (!*column) {
      if (std::string_view(name) == "adjclose") {
        continue;  // absent for intraday intervals
      }
      return fmt::format("indicators.quote[0].{} missing", name);
    }
    if ((*column)->size() != n) {
      return fmt::format("{} has {} values for {} timestamps", name, (*column)->size(), n);
    }
  }
  return std::nullopt;
}

BarInterval intervalOf(const ChartBody& chart, const FetchRequest& request) {
  // Yahoo may answer another granularity than asked (VFINX: 1d asked, 3mo served); the bars
  // follow meta.dataGranularity.
  if (auto served = parseInterval(chart.meta.data_granularity)) {
    return *served;
  }
  return parseInterval(request.interval).value_or(BarInterval{});
}

// The bar is not final: its period has not ended by `now`, or Yahoo answered while it was
// still forming: regularMarketTime falls inside the period (the "live bar" is even stamped with
// it) and no bar of a later period proves the answer came after the period's end.
bool isOpen(std::int64_t start, std::int64_t end, std::int64_t now,
            std::optional<std::int64_t> market_time, std::int64_t latest_start) {
  if (now < end) {
    return true;
  }
  const std::int64_t effective_end = std::max(end, start + 1);
  if (latest_start >= effective_end) {
    return false;
  }
  return market_time && *market_time >= start && *market_time < effective_end;
}

void assembleDays(const ChartBody& chart, const FetchRequest& request, core::SystemTime now,
                  Decoded& out) {
  // Instants in meta that no market could have (a hostile or broken response) are ignored
  // rather than fed to calendar arithmetic.
  ChartMeta meta = chart.meta;
  meta.regular_market_time = saneInstant(meta.regular_market_time);
  meta.regular_start = saneInstant(meta.regular_start);
  meta.regular_end = saneInstant(meta.regular_end);
  ExchangeTime time = ExchangeTime::forExchange(meta.exchange_timezone, meta.gmtoffset);
  out.notes.timezone_fallback = time.fallback();
  if (meta.regular_end)
    out.result.session_close_minute =
        static_cast<int>(time.localSecondsOfDay(*meta.regular_end) / 60);
  const BarPeriods periods(intervalOf(chart, request), std::move(time), meta.regular_start,
                           meta.regular_end);
  const std::int64_t now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();

  std::map<std::int64_t, std::size_t> last_index;  // duplicate stamps: the last one wins
  for (std::size_t i = 0; i < chart.timestamps->size(); ++i) {
    last_index[(*chart.timestamps)[i]] = i;
  }
  out.notes.duplicate_timestamps = static_cast<int>(chart.timestamps->size() - last_index.size());

  // The latest bar that could be real: proof that an earlier period had ended when Yahoo
  // answered (a garbage stamp far in the future proves nothing).
  std::int64_t latest_valid = kEarliestBar;
  for (const auto& [timestamp, index] : last_index) {
    if (timestamp <= kLatestBar)
      latest_valid = std::max(latest_valid, timestamp);
  }
  std::map<std::int64_t, std::vector<core::Record>> by_day;
  for (const auto& [timestamp, index] : last_index) {
    if (request.window && request.window->end && timestamp >= *request.window->end) {
      ++out.notes.dropped_after_period2;
      continue;
    }
    core::Record record = recordAt(chart, index, timestamp);
    if (allNull(record)) {
      ++out.result.dropped_null_bars;
      continue;
    }
    std::optional<std::string_view> problem = invalidValue(record);
    std::int64_t day = 0;
    if (!problem && (timestamp < kEarliestBar || timestamp > kLatestBar)) {
      problem = invalid_bar::kDateOutOfRange;
    } else if (!problem) {
      day = periods.partitionDay(timestamp);
      if (!core::isValidDay(day))
        problem = invalid_bar::kDateOutOfRange;
    }
    if (problem) {
      ++out.result.invalid_bars[std::string(*problem)];
    } else if (isOpen(timestamp, periods.periodEnd(timestamp), now_seconds,
                      meta.regular_market_time, latest_valid)) {
      ++out.result.dropped_open_bars;
    } else {
      by_day[day].push_back(std::move(record));
    }
  }
  for (auto& [day, records] : by_day) {
    out.result.days.push_back(core::DayRecords{core::formatDate(day), std::move(records)});
  }
}

std::optional<std::int64_t> chartEventSeconds(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

// Why a split's numerator or denominator cannot be written; nullopt when it is a positive number.
std::optional<std::string_view> splitTermProblem(const Cell& cell) {
  if (!cell) {
    return invalid_action::kMissingField;
  }
  if (auto problem = priceProblem(*cell)) {
    return problem;
  }
  // 0, 0.0, 0e5: no significant digit before the exponent.
  const std::string_view mantissa = std::string_view(*cell).substr(0, cell->find_first_of("eE"));
  if (mantissa.find_first_of("123456789") == std::string_view::npos) {
    return invalid_action::kZero;
  }
  return std::nullopt;
}

// One event entry as an action, or why it is invalid. `currency` is the response's.
std::optional<std::string_view> chartEventToAction(const ChartEvent& event,
                                                   const ExchangeTime& time,
                                                   const std::string& currency,
                                                   core::CorporateAction& action) {
  if (!event.is_object) {
    return invalid_action::kNotAnObject;
  }
  if (event.group == "splits") {
    action.kind = core::CorporateActionKind::kSplit;
    if (auto problem = splitTermProblem(event.numerator)) {
      return problem;
    }
    if (auto problem = splitTermProblem(event.denominator)) {
      return problem;
    }
    action.numerator = *event.numerator;
    action.denominator = *event.denominator;
    action.ratio = event.split_ratio.value_or(std::string());
  } else {
    action.kind = event.group == "dividends" ? core::CorporateActionKind::kDividend
                                             : core::CorporateActionKind::kCapitalGain;
    if (!event.amount) {
      return invalid_action::kMissingField;
    }
    if (auto problem = priceProblem(*event.amount)) {
      return problem;
    }
    action.amount = *event.amount;
    action.currency = event.currency.value_or(currency);
  }
  // The real date when given (3mo data keys an event by its bar, VFINX), else the key.
  const std::optional<std::int64_t> seconds =
      event.date ? chartEventSeconds(*event.date) : chartEventSeconds(event.key);
  if (!seconds) {
    return invalid_action::kBadDate;
  }
  if (*seconds < kEarliestBar || *seconds > kLatestBar) {
    return invalid_action::kDateOutOfRange;
  }
  const std::int64_t day = time.localDay(*seconds);
  if (!core::isValidDay(day)) {
    return invalid_action::kDateOutOfRange;
  }
  action.timestamp = *seconds;
  action.day = core::formatDate(day);
  return std::nullopt;
}

void assembleActions(const ChartBody& chart, FetchResult& result) {
  const ExchangeTime time =
      ExchangeTime::forExchange(chart.meta.exchange_timezone, chart.meta.gmtoffset);
  if (chart.malformed_event_groups > 0) {
    result.invalid_actions[std::string(invalid_action::kNotAnObject)] +=
        chart.malformed_event_groups;
  }
  for (const ChartEvent& event : chart.events) {
    core::CorporateAction action;
    if (auto problem = chartEventToAction(event, time, chart.meta.currency, action)) {
      ++result.invalid_actions[std::string(*problem)];
    } else {
      result.actions.push_back(std::move(action));
    }
  }
  std::stable_sort(result.actions.begin(), result.actions.end(),
                   [](const core::CorporateAction& a, const core::CorporateAction& b) {
                     return std::pair(a.timestamp, a.kind) < std::pair(b.timestamp, b.kind);
                   });
}

void decodeSuccess(std::string_view body, const FetchRequest& request, core::SystemTime now,
                   Decoded& out) {
  FetchResult& result = out.result;
  if (looksLikeHtml(body) && body.find("Will be right back") == std::string_view::npos) {
    // (Yahoo's own outage page, "Will be right back", is transient; the rest is a wall.)
    // A consent or bot-check page under 200: the source wants a browser, not this request.
    result.outcome = FetchOutcome::kBlocked;
    result.reason = fmt::format(
        "200 OK with an HTML page instead of JSON (first bytes {}): blocked", snippet(body));
    return;
  }
  auto parsed = parseChartBody(body);
  if (!parsed.ok()) {
    result.outcome = FetchOutcome::kTransient;
    result.reason = fmt::format("unreadable response body: {} (first bytes {})",
                                parsed.error().message, snippet(body));
    return;
  }
  const ChartBody& chart = *parsed;
  if (chart.error) {
    // An error envelope under 200: classify it by the status its code names.
    result.outcome =
        chart.error->code == "Not Found" ? FetchOutcome::kNotFound : FetchOutcome::kBadRequest;
    result.reason =
        fmt::format("200 OK with error \"{}\": {}", chart.error->code, chart.error->description);
    return;
  }
  if (!chart.is_chart || !chart.has_result) {
    result.outcome = FetchOutcome::kTransient;
    result.reason =
        fmt::format("unreadable response body: no chart.result (first bytes {})", snippet(body));
    return;
  }
  result.exchange_timezone = chart.meta.exchange_timezone;
  if (!chart.timestamps || chart.timestamps->empty()) {
    result.outcome = FetchOutcome::kEmpty;
    assembleActions(chart, result);
    return;
  }
  if (auto problem = shapeProblem(chart)) {
    result.outcome = FetchOutcome::kTransient;
    result.reason = fmt::format("malformed response: {}", *problem);
    return;
  }
  result.outcome = FetchOutcome::kOk;
  assembleDays(chart, request, now, out);
  assembleActions(chart, result);
}

}  // namespace

Decoded decode(int status, std::string_view body, const FetchRequest& request,
               core::SystemTime now) {
  Decoded out;
  out.result.symbol = request.symbol;
  out.result.http_status = status;
  if (status == 200) {
    decodeSuccess(body, request, now, out);
  } else {
    out.result.outcome = outcomeOfHttpStatus(status);
    out.result.reason = errorReason(status, body);
  }
  return out;
}

}  // namespace rawfeed::sources::yahoo
