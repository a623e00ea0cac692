// The csv_http source's body parser: every line is a bar kept, a dropped count or an invalid bar
// by reason, never lost.
#include "sources/csv_http/csv_bars.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/time_format.h"

namespace rawfeed::sources::csv_http {
namespace {

const std::string kHead = "date,open,high,low,close,adj_close,volume\n";
// 2024-01-01 .. 2024-01-31, today 2024-03-15.
const DayRange kJanuary{*core::parseDate("2024-01-01"), *core::parseDate("2024-01-31")};
const std::int64_t kToday = *core::parseDate("2024-03-15");

CsvBars parse(const std::string& body, DayRange window = kJanuary, std::int64_t today = kToday) {
  auto bars = parseCsvBars(body, window, today);
  EXPECT_TRUE(bars.ok()) << bars.error().describe();
  return bars.ok() ? std::move(bars).value() : CsvBars{};
}

TEST(CsvBarsTest, KeepsBarsAsTheirTextAscendingByDay) {
  const CsvBars bars = parse(kHead +
                             "2024-01-03,185.5,186.1,183.4,184.25,184.0,58414500\r\n"
                             "2024-01-02,187.15,188.44,183.89,185.64,185.4,82488700\r\n");
  EXPECT_EQ(bars.bars, 2);
  ASSERT_EQ(bars.days.size(), 2u);
  EXPECT_EQ(bars.days[0].day, "2024-01-02");
  ASSERT_EQ(bars.days[0].records.size(), 1u);
  const core::Record& r = bars.days[0].records[0];
  EXPECT_EQ(r.timestamp, 1704153600);  // 2024-01-02T00:00:00Z
  EXPECT_EQ(*r.open, "187.15");
  EXPECT_EQ(*r.high, "188.44");
  EXPECT_EQ(*r.low, "183.89");
  EXPECT_EQ(*r.close, "185.64");
  EXPECT_EQ(*r.adjusted_close, "185.4");
  EXPECT_EQ(*r.volume, "82488700");
  EXPECT_EQ(bars.days[1].day, "2024-01-03");
  EXPECT_TRUE(bars.invalid_bars.empty());
}

TEST(CsvBarsTest, EmptyCellsAreNullAndAnAllEmptyBarIsDroppedAsNull) {
  const CsvBars bars = parse(kHead +
                             "2024-01-02,1,2,0.5,1.5,,\n"
                             "2024-01-03,,,,,,\n");
  ASSERT_EQ(bars.days.size(), 1u);
  EXPECT_FALSE(bars.days[0].records[0].adjusted_close);
  EXPECT_FALSE(bars.days[0].records[0].volume);
  EXPECT_EQ(bars.dropped_null_bars, 1);
}

TEST(CsvBarsTest, HeaderOnlyAndBlankLinesAreNoBars) {
  const CsvBars bars = parse(kHead + "\n\n");
  EXPECT_EQ(bars.bars, 0);
  EXPECT_TRUE(bars.days.empty());
  EXPECT_TRUE(bars.invalid_bars.empty());
}

TEST(CsvBarsTest, TodayAndLaterAreNotClosedYet) {
  const DayRange march{*core::parseDate("2024-03-01"), *core::parseDate("2024-03-20")};
  const CsvBars bars = parse(kHead +
                                 "2024-03-14,1,1,1,1,1,1\n"
                                 "2024-03-15,1,1,1,1,1,1\n"
                                 "2024-03-16,1,1,1,1,1,1\n",
                             march);
  ASSERT_EQ(bars.days.size(), 1u);
  EXPECT_EQ(bars.days[0].day, "2024-03-14");
  EXPECT_EQ(bars.dropped_open_bars, 2);
}

struct InvalidCase {
  const char* name;
  std::string line;
  std::string reason;
};

class CsvBarsInvalidTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(CsvBarsInvalidTest, IsCountedByReasonAndTheOtherBarsStay) {
  const InvalidCase& c = GetParam();
  const CsvBars bars = parse(kHead + "2024-01-02,1,2,0.5,1.5,1.5,100\n" + c.line + "\n");
  EXPECT_EQ(bars.bars, 2);
  ASSERT_EQ(bars.days.size(), 1u) << c.line;
  EXPECT_EQ(bars.days[0].day, "2024-01-02");
  const std::map<std::string, int, std::less<>> want{{c.reason, 1}};
  EXPECT_EQ(bars.invalid_bars, want) << c.line;
  EXPECT_EQ(bars.dropped_null_bars + bars.dropped_open_bars, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CsvBarsInvalidTest,
    ::testing::Values(
        InvalidCase{"TooFewFields", "2024-01-03,1,2,0.5,1.5,100", "malformed_line"},
        InvalidCase{"TooManyFields", "2024-01-03,1,2,0.5,1.5,1.5,100,7", "malformed_line"},
        InvalidCase{"NotADate", "01/03/2024,1,2,0.5,1.5,1.5,100", "malformed_line"},
        InvalidCase{"NoSuchDay", "2024-02-30,1,2,0.5,1.5,1.5,100", "malformed_line"},
        InvalidCase{"Garbage", "<html>", "malformed_line"},
        InvalidCase{"DateBefore1800", "1799-12-31,1,2,0.5,1.5,1.5,100", "date_out_of_range"},
        InvalidCase{"DateAfter2200", "2201-01-01,1,2,0.5,1.5,1.5,100", "date_out_of_range"},
        InvalidCase{"BeforeTheWindow", "2023-12-29,1,2,0.5,1.5,1.5,100", "outside_window"},
        InvalidCase{"AfterTheWindow", "2024-02-01,1,2,0.5,1.5,1.5,100", "outside_window"},
        InvalidCase{"SameDayTwice", "2024-01-02,1,2,0.5,1.5,1.5,100", "duplicate_date"},
        InvalidCase{"PriceNotANumber", "2024-01-03,abc,2,0.5,1.5,1.5,100", "not_a_number"},
        InvalidCase{"PriceQuoted", "2024-01-03,\"1\",2,0.5,1.5,1.5,100", "not_a_number"},
        InvalidCase{"PriceWithSpace", "2024-01-03,1 ,2,0.5,1.5,1.5,100", "not_a_number"},
        InvalidCase{"PriceNaN", "2024-01-03,NaN,2,0.5,1.5,1.5,100", "not_a_number"},
        InvalidCase{"PriceNegative", "2024-01-03,1,2,-0.5,1.5,1.5,100", "negative"},
        InvalidCase{"PriceInfinite", "2024-01-03,1,2,0.5,1e309,1.5,100", "not_finite"},
        InvalidCase{"VolumeFraction", "2024-01-03,1,2,0.5,1.5,1.5,100.5", "volume_not_integer"},
        InvalidCase{"VolumeNegative", "2024-01-03,1,2,0.5,1.5,1.5,-1", "negative"},
        InvalidCase{"VolumeTooLarge", "2024-01-03,1,2,0.5,1.5,1.5,9223372036854775808",
                    "volume_out_of_range"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(CsvBarsTest, EveryLineIsAccountedForOnce) {
  const CsvBars bars = parse(kHead +
                                 "2024-01-02,1,1,1,1,1,1\n"
                                 "2024-01-02,1,1,1,1,1,1\n"
                                 "2024-01-03,,,,,,\n"
                                 "2024-01-04,x,1,1,1,1,1\n"
                                 "bad\n"
                                 "2024-03-15,1,1,1,1,1,1\n",
                             {*core::parseDate("2024-01-01"), *core::parseDate("2024-03-31")});
  int invalid = 0;
  for (const auto& [reason, count] : bars.invalid_bars)
    invalid += count;
  EXPECT_EQ(bars.bars, 6);
  EXPECT_EQ(static_cast<int>(bars.days.size()) + bars.dropped_null_bars + bars.dropped_open_bars +
                invalid,
            bars.bars);
}

TEST(CsvBarsTest, ABodyThatIsNotTheFormatIsAnError) {
  for (const std::string& body :
       {std::string(""), std::string("<html><body>blocked</body></html>"),
        std::string("Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,1,1,1,1,1\n"),
        std::string("date,open,high,low,close,volume\n")}) {
    auto bars = parseCsvBars(body, kJanuary, kToday);
    ASSERT_FALSE(bars.ok()) << body;
    EXPECT_EQ(bars.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(bars.error().message.find("header"), std::string::npos);
  }
}

TEST(CsvBarsTest, AByteOrderMarkBeforeTheHeaderIsAccepted) {
  const CsvBars bars = parse("\xEF\xBB\xBF" + kHead + "2024-01-02,1,1,1,1,1,1\n");
  EXPECT_EQ(bars.days.size(), 1u);
}

}  // namespace
}  // namespace rawfeed::sources::csv_http
