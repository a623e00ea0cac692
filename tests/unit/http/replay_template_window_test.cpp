// ReplayRegistry's template answers to a period1/period2 window: only the window's bars, as
// Yahoo answers a window; registered fixtures stay byte-identical whatever the window.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/replay_registry.h"

namespace rawfeed::testing {
namespace {

using Json = nlohmann::ordered_json;

// The bench's template: 1d bars stamped 2025-06-02..06 at 13:30 UTC (09:30 New York).
constexpr std::int64_t kWindowBar[] = {1748871000, 1748957400, 1749043800, 1749130200, 1749216600};

std::string windowBenchTemplate() {
  std::ifstream in(std::string(RAWFEED_SOURCE_DIR) + "/bench/chart_template_5d_1d.json",
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class ReplayTemplateWindow : public ::testing::Test {
 protected:
  void SetUp() override { registry.setTemplate(windowBenchTemplate()); }

  ReplayRegistry registry;
};

const Json& windowResult(const Json& body) {
  return body.at("chart").at("result").at(0);
}

ReplayWindow windowOf(std::optional<std::int64_t> period1, std::optional<std::int64_t> period2) {
  return ReplayWindow{period1, period2};
}

TEST_F(ReplayTemplateWindow, KeepsOnlyTheBarsInPeriod1ToPeriod2) {
  // [bar 2, bar 4): period2 is exclusive, as Yahoo reads it.
  const ReplayResponse response = registry.lookup("MSFT", windowOf(kWindowBar[2], kWindowBar[4]));
  EXPECT_EQ(response.status, 200);
  const Json body = Json::parse(response.body);
  const Json& result = windowResult(body);
  EXPECT_EQ(result["timestamp"], Json::array({kWindowBar[2], kWindowBar[3]}));
  const Json& quote = result["indicators"]["quote"][0];
  EXPECT_EQ(quote["open"], Json::array({202.91000366210938, 203.5}));
  EXPECT_EQ(quote["high"], Json::array({206.24000549316406, 204.35000610351562}));
  EXPECT_EQ(quote["low"], Json::array({202.0500030517578, 200.8000030517578}));
  EXPECT_EQ(quote["close"], Json::array({202.82000732421875, 200.6300048828125}));
  EXPECT_EQ(quote["volume"], Json::array({36630600, 73188600}));
  EXPECT_EQ(result["indicators"]["adjclose"][0]["adjclose"],
            Json::array({202.57000732421875, 200.3800048828125}));
  EXPECT_EQ(result["meta"]["symbol"], "MSFT");
  EXPECT_EQ(result["meta"]["range"], "");  // Yahoo's meta.range with period1/period2
  EXPECT_EQ(result["meta"]["exchangeTimezoneName"], "America/New_York");
  EXPECT_EQ(body["chart"]["error"], nullptr);
}

TEST_F(ReplayTemplateWindow, ANextDayWindowGetsTheOneNewBar) {
  // What an incremental run asks after a watermark on 2025-06-05: from local midnight of the 6th
  // (04:00 UTC) to local midnight after "today".
  const ReplayResponse response = registry.lookup("AAPL", windowOf(1749182400, 1796706000));
  const Json body = Json::parse(response.body);
  const Json& result = windowResult(body);
  EXPECT_EQ(result["timestamp"], Json::array({kWindowBar[4]}));
  EXPECT_EQ(result["indicators"]["quote"][0]["close"], Json::array({203.9199981689453}));
  EXPECT_EQ(result["indicators"]["adjclose"][0]["adjclose"], Json::array({203.6699981689453}));
  // Smaller than the whole template, which is what the bench measures.
  EXPECT_LT(response.body.size(), registry.lookup("AAPL").body.size());
}

TEST_F(ReplayTemplateWindow, AnOpenBoundKeepsEverythingOnThatSide) {
  const Json from = Json::parse(registry.lookup("A", windowOf(kWindowBar[3], {})).body);
  EXPECT_EQ(windowResult(from)["timestamp"], Json::array({kWindowBar[3], kWindowBar[4]}));
  const Json until = Json::parse(registry.lookup("A", windowOf({}, kWindowBar[1])).body);
  EXPECT_EQ(windowResult(until)["timestamp"], Json::array({kWindowBar[0]}));
  EXPECT_EQ(windowResult(until)["indicators"]["quote"][0]["volume"], Json::array({35423300}));
}

TEST_F(ReplayTemplateWindow, AWindowWithoutBarsIsYahoosNoDataShape) {
  for (const ReplayWindow& window :
       {windowOf(kWindowBar[4] + 1, {}), windowOf(0, kWindowBar[0]),
        windowOf(kWindowBar[2], kWindowBar[2]), windowOf(kWindowBar[3], kWindowBar[1])}) {
    const ReplayResponse response = registry.lookup("Z", window);
    EXPECT_EQ(response.status, 200);
    const Json body = Json::parse(response.body);
    const Json& result = windowResult(body);
    EXPECT_FALSE(result.contains("timestamp")) << response.body;
    EXPECT_EQ(result["indicators"]["quote"], Json::array({Json::object()}));
    EXPECT_EQ(result["indicators"]["adjclose"], Json::array({Json::object()}));
    EXPECT_EQ(result["meta"]["symbol"], "Z");
  }
}

TEST_F(ReplayTemplateWindow, NoWindowServesTheTemplateBytesAsGiven) {
  const std::string expected = substituteSymbol(windowBenchTemplate(), "^GSPC");
  EXPECT_EQ(registry.lookup("^GSPC").body, expected);
  EXPECT_EQ(registry.lookup("^GSPC", ReplayWindow{}).body, expected);
}

TEST_F(ReplayTemplateWindow, RepeatedWindowsGiveTheSameBodyForEachSymbol) {
  const ReplayWindow window = windowOf(kWindowBar[1], kWindowBar[3]);
  const std::string first = registry.lookup("AAA", window).body;
  EXPECT_EQ(registry.lookup("AAA", window).body, first);
  const std::string other = registry.lookup("EURUSD=X", window).body;
  EXPECT_EQ(windowResult(Json::parse(other))["meta"]["symbol"], "EURUSD=X");
  EXPECT_EQ(substituteSymbol(other, "AAA"), first);
}

TEST_F(ReplayTemplateWindow, KeepsTheTemplatesBytesOutsideTheCutArrays) {
  // The lake keeps the source's number text, so a window's values are the template's own
  // (201.35000610351562 stays so; a float round trip could print ...563).
  const std::string cut = registry.lookup("XXX", windowOf(kWindowBar[1], kWindowBar[2])).body;
  EXPECT_NE(cut.find(R"("open":[201.35000610351562])"), std::string::npos) << cut;
  EXPECT_NE(cut.find(R"("volume":[43604000],)"), std::string::npos) << cut;
  EXPECT_NE(cut.find(R"("timestamp":[1748957400],"indicators":)"), std::string::npos) << cut;
  // Everything but the cut arrays and meta.range is the template's text.
  std::string expected = windowBenchTemplate();
  const auto replace = [&expected](std::string_view from, std::string_view to) {
    const auto at = expected.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    expected.replace(at, from.size(), to);
  };
  replace(R"("range":"5d")", R"("range":"")");
  replace(R"([1748871000,1748957400,1749043800,1749130200,1749216600])", "[1748957400]");
  replace(R"([35423300,43604000,36630600,73188600,46607700])", "[43604000]");
  replace(R"([200.27999877929688,201.35000610351562,202.91000366210938,203.5,203.0])",
          "[201.35000610351562]");
  replace(
      R"([200.6199951171875,201.22999572753906,202.0500030517578,200.8000030517578,202.0500030517578])",
      "[201.22999572753906]");
  replace(
      R"([202.1300048828125,203.77000427246094,206.24000549316406,204.35000610351562,205.6999969482422])",
      "[203.77000427246094]");
  replace(
      R"([201.6999969482422,203.27000427246094,202.82000732421875,200.6300048828125,203.9199981689453])",
      "[203.27000427246094]");
  replace(
      R"([201.4499969482422,203.0200042724609,202.57000732421875,200.3800048828125,203.6699981689453])",
      "[203.0200042724609]");
  EXPECT_EQ(cut, expected);
}

TEST_F(ReplayTemplateWindow, RegisteredFixturesAreUntouchedWhateverTheWindow) {
  const std::string fixture =
      R"({"chart":{"result":[{"meta":{"symbol":"AAPL","range":"5d"},"timestamp":[1,2,3],)"
      R"("indicators":{"quote":[{"close":[1.5,2.5,3.5]}],"adjclose":[{"adjclose":[1,2,3]}]}}],)"
      R"("error":null}})";
  const ReplayResponse registered{200, {{"x-recorded", "yes"}}, fixture};
  registry.put("AAPL", registered);
  registry.put("GONE", notFoundResponse());
  for (const ReplayWindow& window :
       {ReplayWindow{}, windowOf(2, 3), windowOf(10, 20), windowOf(2, {}), windowOf({}, 2)}) {
    const ReplayResponse response = registry.lookup("AAPL", window);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, fixture);
    EXPECT_EQ(response.headers, registered.headers);
    EXPECT_EQ(registry.lookup("GONE", window).body, notFoundResponse().body);
  }
}

TEST_F(ReplayTemplateWindow, ATemplateThatIsNoChartIsServedWhole) {
  registry.setTemplate(R"({"meta":{"symbol":"XXX"}})");
  EXPECT_EQ(registry.lookup("MSFT", windowOf(1, 2)).body, R"({"meta":{"symbol":"MSFT"}})");
  registry.setTemplate("not json, \"symbol\":\"XXX\"");
  EXPECT_EQ(registry.lookup("M", windowOf(1, 2)).body, "not json, \"symbol\":\"M\"");
}

TEST_F(ReplayTemplateWindow, EventsOutsideTheWindowAreDropped) {
  registry.setTemplate(
      R"({"chart":{"result":[{"meta":{"symbol":"XXX","range":"1mo"},"timestamp":[100,200,300],)"
      R"("events":{"dividends":{"100":{"amount":0.1,"date":100},"300":{"amount":0.3,"date":300}},)"
      R"("splits":{"100":{"date":100,"numerator":2,"denominator":1,"splitRatio":"2:1"}}},)"
      R"("indicators":{"quote":[{"open":[1,2,3],"close":[1.5,2.5,3.5]}],)"
      R"("adjclose":[{"adjclose":[1.4,2.4,3.4]}]}}],"error":null}})");
  const Json later = Json::parse(registry.lookup("S", windowOf(150, {})).body);
  const Json& result = windowResult(later);
  EXPECT_EQ(result["timestamp"], Json::array({200, 300}));
  EXPECT_EQ(result["indicators"]["quote"][0]["open"], Json::array({2, 3}));
  EXPECT_EQ(result["events"], Json::parse(R"({"dividends":{"300":{"amount":0.3,"date":300}}})"));
  const Json middle = Json::parse(registry.lookup("S", windowOf(150, 250)).body);
  EXPECT_FALSE(windowResult(middle).contains("events"));
  // The key order of the template stays (meta, timestamp, events, indicators).
  EXPECT_EQ(windowResult(middle).begin().key(), "meta");
}

TEST_F(ReplayTemplateWindow, CutsAPrettyPrintedTemplateWithAwkwardStrings) {
  registry.setTemplate(R"( {
  "chart" : {
    "result" : [ {
      "meta" : { "symbol":"XXX", "longName" : "A [b] \"c\" {d}, e\\", "range" : "1mo" },
      "timestamp" : [ 10 , 20 , 30 ],
      "indicators" : {
        "quote" : [ { "close" : [ 1.10 , null , 3.30 ], "note" : "keep [1,2,3]" } ],
        "adjclose" : [ { "adjclose" : [ 1.0, 2.0, 3.0 ] } ],
        "other" : "x"
      }
    } ],
    "error" : null
  }
}
)");
  const Json body = Json::parse(registry.lookup("Q", windowOf(15, 31)).body);
  const Json& result = windowResult(body);
  EXPECT_EQ(result["meta"]["longName"], "A [b] \"c\" {d}, e\\");
  EXPECT_EQ(result["meta"]["symbol"], "Q");
  EXPECT_EQ(result["meta"]["range"], "");
  EXPECT_EQ(result["timestamp"], Json::array({20, 30}));
  EXPECT_EQ(result["indicators"]["quote"][0]["close"], Json::array({nullptr, 3.30}));
  EXPECT_EQ(result["indicators"]["quote"][0]["note"], "keep [1,2,3]");
  EXPECT_EQ(result["indicators"]["adjclose"][0]["adjclose"], Json::array({2.0, 3.0}));
  EXPECT_EQ(result["indicators"]["other"], "x");
  EXPECT_EQ(body["chart"]["error"], nullptr);
}

TEST(ReplayWindowQuery, ParsesPeriod1AndPeriod2) {
  EXPECT_FALSE(parseReplayWindow("", "").bounded());
  const ReplayWindow both = parseReplayWindow("1749182400", "1796706000");
  EXPECT_EQ(both.period1, 1749182400);
  EXPECT_EQ(both.period2, 1796706000);
  EXPECT_EQ(parseReplayWindow("-5", "").period1, -5);
  EXPECT_FALSE(parseReplayWindow("12x", "").bounded());
  EXPECT_FALSE(parseReplayWindow("abc", " 1").bounded());
  EXPECT_EQ(parseReplayWindow("", "7").period2, 7);
  EXPECT_FALSE(parseReplayWindow("", "7").period1.has_value());
}

}  // namespace
}  // namespace rawfeed::testing
