// Yahoo chart responses: parseChartBody and decode() on any body. Status 200 takes the bar path
// (for a daily request and for an intraday window), 404 and 429 read Yahoo's error text. Bars
// that come out must be accounted for, in order, on valid days, and serialise to valid JSON. The
// same text also goes through the session's readers (the crumb, Set-Cookie headers).
#include <nlohmann/json.hpp>

#include <numeric>

#include "core/time_format.h"
#include "fuzz/fuzz_support.h"
#include "lake/record_writer.h"
#include "sources/yahoo/chart_parser.h"
#include "sources/yahoo/yahoo_decoder.h"
#include "sources/yahoo/yahoo_session.h"

namespace {

using namespace rawfeed;
using sources::FetchOutcome;

void checkRecords(const sources::FetchResult& result, const sources::FetchRequest& request) {
  std::string previous_day;
  for (const core::DayRecords& day : result.days) {
    const auto days = core::parseDate(day.day);
    FUZZ_CHECK(days && core::isValidDay(*days), "day " + day.day);
    FUZZ_CHECK(previous_day < day.day, "days out of order: " + previous_day + ", " + day.day);
    previous_day = day.day;
    FUZZ_CHECK(!day.records.empty(), "an empty day " + day.day);
    for (const core::Record& record : day.records) {
      FUZZ_CHECK(record.open || record.high || record.low || record.close ||
                     record.adjusted_close || record.volume,
                 "an all-null bar was kept");
      FUZZ_CHECK(!request.window || !request.window->end || record.timestamp < *request.window->end,
                 "a bar at or after period2 was kept");
    }
    // What the writer makes of them must be JSON, line by line.
    const std::string lines =
        lake::serialize(request.symbol, day.records, lake::Format::kJsonLines);
    std::size_t start = 0;
    while (start < lines.size()) {
      const std::size_t end = lines.find('\n', start);
      FUZZ_CHECK(end != std::string::npos, "a JSON line without its newline");
      const auto line = nlohmann::json::parse(lines.substr(start, end - start), nullptr, false);
      FUZZ_CHECK(!line.is_discarded() && line.is_object(),
                 "the writer made invalid JSON: " + lines.substr(start, end - start));
      start = end + 1;
    }
    (void)lake::serialize(request.symbol, day.records, lake::Format::kCsv);
  }
}

void decodeAs(int status, std::string_view body, const sources::FetchRequest& request,
              const core::Result<sources::yahoo::ChartBody>& chart) {
  const core::SystemTime now{fuzz::kNow};
  const sources::yahoo::Decoded decoded = sources::yahoo::decode(status, body, request, now);
  const sources::FetchResult& result = decoded.result;
  FUZZ_CHECK(result.symbol == request.symbol, "symbol changed");
  FUZZ_CHECK(result.http_status == status, "status changed");
  FUZZ_CHECK(result.dropped_null_bars >= 0 && result.dropped_open_bars >= 0 &&
                 decoded.notes.dropped_after_period2 >= 0 &&
                 decoded.notes.duplicate_timestamps >= 0,
             "a negative count");
  if (result.outcome != FetchOutcome::kOk) {
    FUZZ_CHECK(result.days.empty(), "days without kOk");
    FUZZ_CHECK(result.outcome == FetchOutcome::kEmpty || !result.reason.empty(),
               "a failure without a reason");
    return;
  }
  FUZZ_CHECK(status == 200 && chart.ok() && chart->timestamps, "kOk without a readable chart");
  checkRecords(result, request);
  // Every timestamp is accounted for exactly once: kept, or dropped for one reason.
  std::size_t kept = 0;
  for (const auto& day : result.days)
    kept += day.records.size();
  std::size_t invalid = 0;
  for (const auto& [reason, count] : result.invalid_bars) {
    FUZZ_CHECK(count > 0, "an invalid_bars entry of 0 for " + reason);
    invalid += static_cast<std::size_t>(count);
  }
  const std::size_t accounted = kept + invalid +
                                static_cast<std::size_t>(result.dropped_null_bars) +
                                static_cast<std::size_t>(result.dropped_open_bars) +
                                static_cast<std::size_t>(decoded.notes.dropped_after_period2) +
                                static_cast<std::size_t>(decoded.notes.duplicate_timestamps);
  FUZZ_CHECK(accounted == chart->timestamps->size(),
             std::to_string(accounted) + " bars accounted for, " +
                 std::to_string(chart->timestamps->size()) + " timestamps");
}

// The session's answers come from the same host: a getcrumb body, and Set-Cookie headers (one
// a line of the input). A crumb is one short word; the Cookie header is name=value pairs.
void checkSession(std::string_view body) {
  for (const int status : {200, 401, 429, 503}) {
    const auto crumb = sources::yahoo::crumbOf(status, body);
    if (crumb.ok()) {
      FUZZ_CHECK(status == 200 && !crumb->empty(), "a crumb from " + std::to_string(status));
      FUZZ_CHECK(crumb->find_first_of(" \t\r\n") == std::string::npos, "a crumb with blanks");
    }
  }
  http::HttpResponse response;
  std::string_view rest = body;
  for (int i = 0; i < 8 && !rest.empty(); ++i) {
    const auto [line, after] = fuzz::splitLine(rest);
    response.headers.emplace_back("set-cookie", std::string(line));
    rest = after;
  }
  const std::string cookie = sources::yahoo::cookieHeaderOf(response);
  std::string_view pairs = cookie;
  while (!pairs.empty()) {
    const std::size_t end = pairs.find("; ");
    const std::string_view pair = pairs.substr(0, end);
    FUZZ_CHECK(pair.find('=') != std::string_view::npos && pair.front() != '=' &&
                   pair.find(';') == std::string_view::npos,
               "Cookie header " + cookie);
    pairs.remove_prefix(end == std::string_view::npos ? pairs.size() : end + 2);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = fuzz::asText(data, size);
  const auto chart = sources::yahoo::parseChartBody(body);
  if (!chart.ok())
    FUZZ_CHECK(!chart.error().message.empty(), "an error without a message");

  sources::FetchRequest daily;
  daily.symbol = "AAPL";
  decodeAs(200, body, daily, chart);

  sources::FetchRequest window;
  window.symbol = "BRK-B";
  window.interval = "1m";
  window.window = sources::TimeWindow{1'727'827'200, 1'727'913'600};  // 2024-10-02
  decodeAs(200, body, window, chart);

  decodeAs(404, body, daily, chart);
  decodeAs(429, body, daily, chart);
  checkSession(body);
  return 0;
}
