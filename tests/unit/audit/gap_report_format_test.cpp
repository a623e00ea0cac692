#include "audit/gap_report_format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace rawfeed::audit {
namespace {

GapReport sample() {
  GapReport report;
  report.domain = "customer-data";
  report.table_name = "prices";
  report.interval = "1d";
  report.data_source = "yahoo_finance";
  report.lake = "file:///lake";
  report.start = "2024-01-01";
  report.symbols = {
      {"AAPL", "US", "2024-01-02", "2024-01-31", {}, {}},
      {"MSFT",
       "US",
       "2024-01-02",
       "2024-01-31",
       {"2024-01-09", "2024-01-10", "2024-01-23"},
       {{"2024-01-09", "2024-01-10"}, {"2024-01-23", "2024-01-23"}}},
  };
  report.never_landed = {"NOPE"};
  report.objects = 39;
  return report;
}

TEST(GapReportFormatTest, TableListsSymbolsWithGapsAsRangesAndTotals) {
  const std::string table = formatGapTable(sample());
  EXPECT_EQ(table,
            "gaps in customer-data/prices interval=1d data_source=yahoo_finance in file:///lake, "
            "days 2024-01-01 to the last\n"
            "  symbol  group     first       last        missing  days\n"
            "  MSFT    US        2024-01-02  2024-01-31        3  2024-01-09..2024-01-10, "
            "2024-01-23\n"
            "  never landed (1): NOPE\n"
            "2 symbols checked (39 objects): 1 with gaps, 3 missing days; 1 never landed\n");
}

TEST(GapReportFormatTest, JsonHasTheDocumentedSchemaInItsOrder) {
  const std::string text = gapReportJson(sample());
  EXPECT_EQ(
      text.rfind(R"({"schema":"rawfeed.gaps/1","domain":"customer-data","table":"prices",)", 0), 0u)
      << text;
  const auto document = nlohmann::json::parse(text);
  EXPECT_EQ(document["range"]["start"], "2024-01-01");
  EXPECT_TRUE(document["range"]["end"].is_null());
  ASSERT_EQ(document["symbols"].size(), 2u);
  EXPECT_EQ(document["symbols"][0]["missing"], nlohmann::json::array());
  EXPECT_EQ(document["symbols"][1]["missing"],
            (nlohmann::json{"2024-01-09", "2024-01-10", "2024-01-23"}));
  EXPECT_EQ(document["symbols"][1]["missing_ranges"][0],
            (nlohmann::json{{"start", "2024-01-09"}, {"end", "2024-01-10"}}));
  EXPECT_EQ(document["symbols"][1]["group"], "US");
  EXPECT_EQ(document["never_landed"], (nlohmann::json{"NOPE"}));
  EXPECT_EQ(document["totals"], (nlohmann::json{{"symbols", 2},
                                                {"symbols_with_gaps", 1},
                                                {"missing_days", 3},
                                                {"never_landed", 1},
                                                {"objects", 39},
                                                {"foreign_keys", 0}}));
  EXPECT_FALSE(document.contains("fill"));
}

TEST(GapReportFormatTest, PlanInTextAndJson) {
  FillPlan plan;
  SymbolFill fill;
  fill.symbol = "MSFT";
  fill.missing = {"2024-01-09", "2024-01-10", "2024-01-23"};
  fill.windows = {{"2024-01-08", "2024-01-24"}};
  plan.symbols.push_back(fill);
  SymbolFill old;
  old.symbol = "OLD";
  old.missing = {"2020-01-02"};
  old.unreachable = {"2020-01-02"};
  old.unreachable_reason = "interval 1m reaches back only 30 days";
  plan.symbols.push_back(old);
  EXPECT_EQ(formatFillPlan(plan),
            "  MSFT    3 missing day(s) in 1 request(s): 2024-01-08..2024-01-24\n"
            "  OLD     1 missing day(s) out of the source's reach (2020-01-02..2020-01-02): "
            "interval 1m reaches back only 30 days\n"
            "fill plan: 1 request(s) for 1 symbol(s) (windows are inclusive UTC days, one day "
            "wider than the gaps on each side); 1 missing day(s) cannot be fetched\n");
  const auto document = nlohmann::json::parse(gapReportJson(sample(), &plan));
  EXPECT_EQ(document["fill"]["requests"], 1);
  EXPECT_EQ(document["fill"]["unreachable_days"], 1);
  EXPECT_EQ(document["fill"]["symbols"][0]["windows"][0]["end"], "2024-01-24");
  EXPECT_EQ(document["fill"]["symbols"][1]["unreachable"], (nlohmann::json{"2020-01-02"}));
}

TEST(GapReportFormatTest, RangesOfOneDayAreTheDay) {
  EXPECT_EQ(formatRange({"2024-01-02", "2024-01-02"}), "2024-01-02");
  EXPECT_EQ(formatRanges({{"2024-01-02", "2024-01-03"}, {"2024-01-09", "2024-01-09"}}),
            "2024-01-02..2024-01-03, 2024-01-09");
}

}  // namespace
}  // namespace rawfeed::audit
