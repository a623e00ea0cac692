#include <gtest/gtest.h>

#include "sources/yahoo/yahoo_url.h"

namespace rawfeed::sources::yahoo {
namespace {

TEST(YahooUrlTest, PercentEncodesAllButTheSafeSet) {
  const std::pair<const char*, const char*> cases[] = {
      {"^GSPC", "%5EGSPC"},   {"EURUSD=X", "EURUSD=X"},
      {"BTC-USD", "BTC-USD"}, {"1301.T", "1301.T"},
      {"A_B", "A_B"},         {"A B/C?&#", "A%20B%2FC%3F%26%23"},
      {"\xC3\xA9", "%C3%A9"}, {"", ""},
  };
  for (const auto& [in, out] : cases) {
    EXPECT_EQ(percentEncode(in), out) << in;
  }
}

TEST(YahooUrlTest, LookbackIsYahoosRange) {
  FetchRequest request;
  request.symbol = "^GSPC";
  request.interval = "1d";
  request.lookback = "5d";
  EXPECT_EQ(chartUrl(kDefaultBaseUrl, request),
            "https://query2.finance.yahoo.com/v8/finance/chart/%5EGSPC?interval=1d&range=5d"
            "&events=div%7Csplit%7CcapitalGains&includePrePost=false");
}

TEST(YahooUrlTest, WindowIsPeriod1AndPeriod2) {
  FetchRequest request;
  request.symbol = "AAPL";
  request.interval = "1m";
  request.window = TimeWindow{1727827200, 1727913600};
  EXPECT_EQ(chartUrl("http://127.0.0.1:8080/", request),
            "http://127.0.0.1:8080/v8/finance/chart/AAPL?interval=1m&period1=1727827200"
            "&period2=1727913600&events=div%7Csplit%7CcapitalGains&includePrePost=false");
}

TEST(YahooUrlTest, NegativeStartAndOpenEndedWindow) {
  FetchRequest request;
  request.symbol = "IBM";
  request.window = TimeWindow{-252322200, std::nullopt};
  EXPECT_EQ(chartUrl("https://query1.finance.yahoo.com", request),
            "https://query1.finance.yahoo.com/v8/finance/chart/IBM?interval=1d"
            "&period1=-252322200&events=div%7Csplit%7CcapitalGains&includePrePost=false");
}

}  // namespace
}  // namespace rawfeed::sources::yahoo
