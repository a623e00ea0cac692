// Decoder rules on small hand-written bodies: shapes Yahoo rarely sends but might.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sources/yahoo/bar_period.h"
#include "sources/yahoo/yahoo_decoder.h"
#include "unit/sources/yahoo_test_helpers.h"

namespace rawfeed::sources::yahoo {
namespace {

using test::kLongAfter;

// One result with the given meta extras, timestamps and quote arrays (JSON fragments).
std::string chart(
    const std::string& timestamps, const std::string& quote, const std::string& adjclose = "",
    const std::string& meta = R"("exchangeTimezoneName":"America/New_York","gmtoffset":-18000)") {
  std::string indicators = R"("quote":[{)" + quote + "}]";
  if (!adjclose.empty()) {
    indicators += R"(,"adjclose":[{"adjclose":)" + adjclose + "}]";
  }
  return R"({"chart":{"result":[{"meta":{)" + meta + R"(,"dataGranularity":"1d"},"timestamp":)" +
         timestamps + R"(,"indicators":{)" + indicators + R"(}}],"error":null}})";
}

FetchRequest daily() {
  FetchRequest request;
  request.symbol = "TEST";
  return request;
}

// 2020-01-02 and 2020-01-03 14:30 UTC (09:30 New York).
const std::string kTwoStamps = "[1577975400,1578061800]";

TEST(YahooDecoderRulesTest, NegativeOrNonNumericValuesDropTheBarAsInvalid) {
  const std::string body =
      chart(kTwoStamps, R"("open":[-1.5,2],"high":[1,2],"low":[1,2],"close":[1,2],)"
                        R"("volume":[10,"7"])");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_EQ(d.result.outcome, FetchOutcome::kOk);
  EXPECT_TRUE(d.result.days.empty());
  EXPECT_EQ(d.result.invalid_bars.at("negative"), 1);
  EXPECT_EQ(d.result.invalid_bars.at("not_a_number"), 1);
}

TEST(YahooDecoderRulesTest, FractionalVolumeIsInvalidButZeroPricesAreFine) {
  const std::string body =
      chart(kTwoStamps, R"("open":[0.0,0],"high":[1,2],"low":[0,2],"close":[1,2],)"
                        R"("volume":[1.5,0])");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_EQ(d.result.invalid_bars.at("volume_not_integer"), 1);
  ASSERT_EQ(d.result.days.size(), 1u);
  EXPECT_EQ(d.result.days[0].day, "2020-01-03");
  EXPECT_EQ(*d.result.days[0].records[0].open, "0");
  EXPECT_EQ(*d.result.days[0].records[0].volume, "0");
}

TEST(YahooDecoderRulesTest, ArraysShorterThanTimestampsAreATransientMalformedResponse) {
  const std::string body = chart(kTwoStamps, R"("open":[1],"high":[1,2],"low":[1,2],"close":[1,2],)"
                                             R"("volume":[1,2])");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_EQ(d.result.outcome, FetchOutcome::kTransient);
  EXPECT_EQ(d.result.reason, "malformed response: open has 1 values for 2 timestamps");
}

TEST(YahooDecoderRulesTest, AdjcloseOfTheWrongLengthIsMalformedToo) {
  const std::string body = chart(
      kTwoStamps, R"("open":[1,2],"high":[1,2],"low":[1,2],"close":[1,2],"volume":[1,2])", "[1]");
  EXPECT_EQ(decode(200, body, daily(), kLongAfter).result.reason,
            "malformed response: adjclose has 1 values for 2 timestamps");
}

TEST(YahooDecoderRulesTest, MissingQuoteColumnWithTimestampsIsMalformed) {
  const std::string body = chart(kTwoStamps, R"("open":[1,2])");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_EQ(d.result.outcome, FetchOutcome::kTransient);
  EXPECT_EQ(d.result.reason, "malformed response: indicators.quote[0].high missing");
}

TEST(YahooDecoderRulesTest, DuplicateTimestampsKeepTheLastBar) {
  const std::string body = chart("[1577975400,1578061800,1577975400]",
                                 R"("open":[1,2,3],"high":[1,2,3],"low":[1,2,3],"close":[1,2,3],)"
                                 R"("volume":[1,2,3])");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_EQ(d.notes.duplicate_timestamps, 1);
  ASSERT_EQ(d.result.days.size(), 2u);
  EXPECT_EQ(*d.result.days[0].records[0].close, "3");
  EXPECT_EQ(d.result.days[0].day, "2020-01-02");
}

TEST(YahooDecoderRulesTest, UnknownZoneFallsBackToGmtoffsetAndSaysSo) {
  // 2020-01-02 23:30 UTC is 2020-01-03 in a +01:00 zone.
  const std::string body =
      chart("[1578007800]", R"("open":[1],"high":[1],"low":[1],"close":[1],"volume":[1])", "",
            R"("exchangeTimezoneName":"Mars/Olympus","gmtoffset":3600)");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  ASSERT_EQ(d.result.days.size(), 1u);
  EXPECT_EQ(d.result.days[0].day, "2020-01-03");
  EXPECT_EQ(d.notes.timezone_fallback,
            "unknown time zone 'Mars/Olympus': used meta.gmtoffset 3600 s");
  EXPECT_EQ(d.result.exchange_timezone, "Mars/Olympus");
}

TEST(YahooDecoderRulesTest, NoZoneAndNoOffsetUsesUtc) {
  const std::string body =
      chart("[1578007800]", R"("open":[1],"high":[1],"low":[1],"close":[1],"volume":[1])", "",
            R"("currency":"USD")");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_EQ(d.result.days.at(0).day, "2020-01-02");
  EXPECT_EQ(d.notes.timezone_fallback, "no exchangeTimezoneName and no meta.gmtoffset: used UTC");
}

// Found by fuzz/targets/yahoo_chart.cpp: a dataGranularity with a huge count ("2147483647wk")
// overflowed int arithmetic on the bar length (7 * count days, count * 60 seconds, months added
// to a date). Such a granularity is no interval; the request's own is used instead.
TEST(YahooDecoderRulesTest, AnAbsurdGranularityFallsBackToTheRequestedInterval) {
  for (const char* granularity : {"2147483647wk", "35791395m", "1000000h", "10001mo", "0d"}) {
    EXPECT_FALSE(parseInterval(granularity).has_value()) << granularity;
    std::string body =
        chart(kTwoStamps, R"("open":[1,2],"high":[1,2],"low":[1,2],"close":[1,2],"volume":[1,2])");
    const std::string served = R"("dataGranularity":"1d")";
    body.replace(body.find(served), served.size(),
                 std::string(R"("dataGranularity":")") + granularity + "\"");
    const Decoded d = decode(200, body, daily(), kLongAfter);
    EXPECT_EQ(d.result.outcome, FetchOutcome::kOk) << granularity;
    EXPECT_EQ(d.result.days.size(), 2u) << granularity;
  }
  EXPECT_EQ(parseInterval("10000mo")->count, 10000);
  EXPECT_EQ(parseInterval("90m")->count, 90 * 60);
}

TEST(YahooDecoderRulesTest, NumbersAreTrimmedOfWhitespace) {
  const std::string body =
      chart("[ 1577975400 ]",
            "\"open\":[ 75.08750152587891 ],\"high\":[1 ],\"low\":[\n1],\"close\":[1\n],"
            "\"volume\":[ 12 ]");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  ASSERT_EQ(d.result.days.size(), 1u);
  EXPECT_EQ(*d.result.days[0].records[0].open, "75.08750152587891");
  EXPECT_EQ(*d.result.days[0].records[0].close, "1");
  EXPECT_EQ(*d.result.days[0].records[0].volume, "12");
}

struct StatusCase {
  int status;
  const char* body;
  FetchOutcome outcome;
  const char* reason;
};

TEST(YahooDecoderRulesTest, StatusesAndBodiesClassify) {
  const StatusCase cases[] = {
      {200, "<html>Will be right back</html>", FetchOutcome::kTransient,
       "unreadable response body: The JSON element does not have the requested type. (first "
       "bytes \"<html>Will be right back</html>\")"},
      {200, "", FetchOutcome::kTransient, nullptr},
      {200, R"({"chart":{"result":[{"meta":{},"timestamp":[1,2)", FetchOutcome::kTransient,
       nullptr},
      {200, R"({"chart":{"result":null,"error":null}})", FetchOutcome::kTransient,
       "unreadable response body: no chart.result (first bytes "
       "\"{\"chart\":{\"result\":null,\"error\":null}}\")"},
      {200, R"({"chart":{"result":[{"meta":{},"indicators":{"quote":[{}]}}],"error":null}})",
       FetchOutcome::kEmpty, ""},
      {503, "upstream connect error", FetchOutcome::kTransient,
       "503 Service Unavailable: body \"upstream connect error\""},
      {500, "", FetchOutcome::kTransient, "500 Internal Server Error: body \"\""},
      {401,
       R"({"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}})",
       FetchOutcome::kBlocked, "401 Unauthorized: Invalid Crumb"},
      {403, "Forbidden", FetchOutcome::kBlocked, "403 Forbidden: body \"Forbidden\""},
      {404, "<html>nope</html>", FetchOutcome::kNotFound,
       "404 Not Found: body \"<html>nope</html>\""},
      {410, "", FetchOutcome::kNotFound, "410 Gone: body \"\""},
      {405, "", FetchOutcome::kBadRequest, "405 HTTP error: body \"\""},
      {408, "", FetchOutcome::kTransient, "408 Request Timeout: body \"\""},
      {302, "", FetchOutcome::kBlocked, "302 redirect (a consent or login page): blocked"},
      {200, "<!DOCTYPE html><html><form action=\"https://consent.yahoo.com\">",
       FetchOutcome::kBlocked,
       "200 OK with an HTML page instead of JSON (first bytes \"<!DOCTYPE html><html><form "
       "action=\"https://consent.yahoo.com\">\"): blocked"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.status) + " " + c.body);
    const FetchResult r = decode(c.status, c.body, daily(), kLongAfter).result;
    EXPECT_EQ(fetchOutcomeName(r.outcome), std::string(fetchOutcomeName(c.outcome)));
    EXPECT_EQ(r.symbol, "TEST");
    EXPECT_EQ(r.http_status, c.status);
    if (c.reason != nullptr) {
      EXPECT_EQ(r.reason, c.reason);
    } else {
      EXPECT_EQ(r.reason.rfind("unreadable response body: ", 0), 0u) << r.reason;
    }
  }
}

TEST(YahooDecoderRulesTest, LongBodiesAreCutInTheReason) {
  const std::string body(500, 'x');
  const FetchResult r = decode(502, body, daily(), kLongAfter).result;
  EXPECT_EQ(r.reason, "502 Bad Gateway: body \"" + std::string(80, 'x') + "...\"");
}

// Every kind of value that is not a price or a volume drops its bar under a reason of its own
// (issue 10: they vanished without a trace, and 1e309 or a 23-digit volume were written).
TEST(YahooDecoderRulesTest, EveryInvalidValueIsCountedByItsReason) {
  struct Case {
    const char* close;
    const char* volume;
    const char* reason;
  };
  const Case cases[] = {
      {"-0.5", "1", "negative"},
      {"NaN", "1", "not_a_number"},
      {"-Infinity", "1", "not_a_number"},
      {"\"12.5\"", "1", "not_a_number"},
      {"{\"v\":1}", "1", "not_a_number"},
      {"true", "1", "not_a_number"},
      {"1e309", "1", "not_finite"},
      {"1", "2.5", "volume_not_integer"},
      {"1", "1e3", "volume_not_integer"},
      {"1", "-3", "negative"},
      {"1", "99999999999999999999999", "volume_out_of_range"},
      {"1", "9223372036854775808", "volume_out_of_range"},
  };
  for (const Case& c : cases) {
    const std::string body = chart(kTwoStamps, std::string(R"("open":[1,2],"high":[1,2],)") +
                                                   R"("low":[1,2],"close":[)" + c.close +
                                                   R"(,2],"volume":[)" + c.volume + ",3]");
    const Decoded d = decode(200, body, daily(), kLongAfter);
    ASSERT_EQ(d.result.outcome, FetchOutcome::kOk) << c.close << " " << c.volume;
    ASSERT_EQ(d.result.invalid_bars.size(), 1u) << c.close << " " << c.volume;
    EXPECT_EQ(d.result.invalid_bars.begin()->first, c.reason) << c.close << " " << c.volume;
    EXPECT_EQ(d.result.invalid_bars.begin()->second, 1);
    ASSERT_EQ(d.result.days.size(), 1u);  // the other bar lands
    EXPECT_EQ(d.result.days[0].day, "2020-01-03");
  }
}

TEST(YahooDecoderRulesTest, TheLargestVolumeAndTinyPricesAreValid) {
  const std::string body = chart(kTwoStamps, R"("open":[1e-400,2],"high":[1,2],"low":[0,2],)"
                                             R"("close":[1.7976931348623157e308,2],)"
                                             R"("volume":[9223372036854775807,0])");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_TRUE(d.result.invalid_bars.empty());
  ASSERT_EQ(d.result.days.size(), 2u);
  EXPECT_EQ(*d.result.days[0].records[0].volume, "9223372036854775807");
}

// Far-past and far-future stamps made keys such as year=-100/month=-1/day=-0 and collided, so
// bars were counted "already in the lake" and lost. Now they are invalid bars, counted.
TEST(YahooDecoderRulesTest, BarsDatedOutside1800To2200AreInvalidAndTheRestLand) {
  const std::string stamps = "[-93700000000,-1000000000000000,1577975400,7289740800,-5364662400]";
  const std::string body = chart(stamps,
                                 R"("open":[1,1,1,1,1],"high":[1,1,1,1,1],"low":[1,1,1,1,1],)"
                                 R"("close":[1,1,1,1,1],"volume":[1,1,1,1,1])",
                                 "", R"("exchangeTimezoneName":"UTC","gmtoffset":0)");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  ASSERT_EQ(d.result.outcome, FetchOutcome::kOk);
  EXPECT_EQ(d.result.invalid_bars.at("date_out_of_range"), 3);
  ASSERT_EQ(d.result.days.size(), 2u);
  EXPECT_EQ(d.result.days[0].day, "1800-01-01");
  EXPECT_EQ(d.result.days[1].day, "2020-01-02");
}

TEST(YahooDecoderRulesTest, AnAbsurdGmtoffsetOrMarketTimeIsIgnoredNotOverflowed) {
  const std::string body =
      chart(kTwoStamps, R"("open":[1,2],"high":[1,2],"low":[1,2],"close":[1,2],"volume":[1,2])", "",
            R"("exchangeTimezoneName":"Nowhere/Atlantis","gmtoffset":9000000000000000000,)"
            R"("regularMarketTime":-9000000000000000000)");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  ASSERT_EQ(d.result.outcome, FetchOutcome::kOk);
  EXPECT_TRUE(d.result.invalid_bars.empty());
  ASSERT_EQ(d.result.days.size(), 2u);  // UTC days, not garbage
  EXPECT_EQ(d.result.days[0].day, "2020-01-02");
  EXPECT_NE(d.notes.timezone_fallback.find("no UTC offset"), std::string::npos)
      << d.notes.timezone_fallback;
}

// A body of events only (no bars), New York time, with the given "events" object.
std::string eventsOnly(const std::string& events) {
  return R"({"chart":{"result":[{"meta":{"currency":"USD","exchangeTimezoneName":)"
         R"("America/New_York","gmtoffset":-18000,"dataGranularity":"1d"},"events":)" +
         events + R"(}],"error":null}})";
}

TEST(YahooDecoderRulesTest, EventsWithoutBarsAreEmptyForBarsButKeepTheirActions) {
  const std::string body = eventsOnly(
      R"({"dividends":{"1604673000":{"amount":0.2050,"date":1604673000,"currency":"EUR"}},)"
      R"("splits":{"1598880600":{"date":1598880600,"numerator":1.5,"denominator":1,)"
      R"("splitRatio":"3:2"}},"capitalGains":{"1604673000":{"amount":1e-2}}})");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_EQ(d.result.outcome, FetchOutcome::kEmpty);
  EXPECT_TRUE(d.result.invalid_actions.empty());
  ASSERT_EQ(d.result.actions.size(), 3u);
  const auto& split = d.result.actions[0];
  EXPECT_EQ(split.kind, core::CorporateActionKind::kSplit);
  EXPECT_EQ(split.day, "2020-08-31");
  EXPECT_EQ(split.numerator, "1.5");
  EXPECT_EQ(split.denominator, "1");
  EXPECT_EQ(split.ratio, "3:2");
  EXPECT_EQ(split.amount, "");
  EXPECT_EQ(split.currency, "");
  const auto& dividend = d.result.actions[1];
  EXPECT_EQ(dividend.kind, core::CorporateActionKind::kDividend);
  EXPECT_EQ(dividend.amount, "0.2050");  // the text, not a float's
  EXPECT_EQ(dividend.currency, "EUR");   // the event's own beats meta.currency
  // Without a date, the key is the instant; the currency is the response's.
  const auto& gain = d.result.actions[2];
  EXPECT_EQ(gain.kind, core::CorporateActionKind::kCapitalGain);
  EXPECT_EQ(gain.timestamp, 1604673000);
  EXPECT_EQ(gain.day, "2020-11-06");
  EXPECT_EQ(gain.amount, "1e-2");
  EXPECT_EQ(gain.currency, "USD");
}

TEST(YahooDecoderRulesTest, InvalidEventEntriesAreDroppedAndCountedByReason) {
  const std::string body = eventsOnly(
      R"({"dividends":{"1":7,"2":{"date":1604673000},"3":{"amount":"0.2","date":1604673000},)"
      R"("4":{"amount":-0.2,"date":1604673000},"5":{"amount":1e999,"date":1604673000},)"
      R"("6":{"amount":0.2,"date":1.5},"x":{"amount":0.2},)"
      R"("8":{"amount":0.2,"date":99999999999},"9":{"amount":0.2,"date":-7000000000},)"
      R"("10":{"amount":0.2,"date":{"a":1}},"11":{"amount":[1],"date":1604673000},)"
      R"("12":{"amount":0.25,"date":1604673000}},)"
      R"("splits":{"1":{"date":1,"numerator":0,"denominator":1},)"
      R"("2":{"date":1,"numerator":4,"denominator":0.0e3},"3":{"date":1,"numerator":4},)"
      R"("4":null},"capitalGains":[1,2],"earnings":{"1":{}}})");
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_EQ(d.result.outcome, FetchOutcome::kEmpty);
  ASSERT_EQ(d.result.actions.size(), 1u);
  EXPECT_EQ(d.result.actions[0].amount, "0.25");
  const std::map<std::string, int, std::less<>> expected = {
      {"not_an_object", 3},  // "1":7, splits "4":null, capitalGains as an array
      {"missing_field", 2},  // no amount; no denominator
      {"not_a_number", 2},   // "0.2" as a string; an array
      {"negative", 1},          {"not_finite", 1},
      {"bad_date", 3},  // 1.5, an object, and a key that is no number without a date
      {"date_out_of_range", 2}, {"zero", 2}};
  EXPECT_EQ(d.result.invalid_actions, expected);
}

TEST(YahooDecoderRulesTest, ActionsOfAnUnreadableResponseAreNotKept) {
  const std::string body = R"({"chart":{"result":[{"meta":{},"timestamp":[1577975400],)"
                           R"("events":{"dividends":{"1":{"amount":1,"date":1577975400}}},)"
                           R"("indicators":{"quote":[{"open":[]}]}}],"error":null}})";
  const Decoded d = decode(200, body, daily(), kLongAfter);
  EXPECT_EQ(d.result.outcome, FetchOutcome::kTransient);
  EXPECT_TRUE(d.result.actions.empty());
}

}  // namespace
}  // namespace rawfeed::sources::yahoo
