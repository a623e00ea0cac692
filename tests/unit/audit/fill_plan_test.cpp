#include "audit/fill_plan.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/time_format.h"

namespace rawfeed::audit {
namespace {

// Day n of a stretch starting on 2024-01-01 (n = 1): n may run past the month.
std::string day(int n) {
  return core::formatDate(*core::parseDate("2024-01-01") + n - 1);
}

std::vector<std::string> days(std::initializer_list<int> numbers) {
  std::vector<std::string> out;
  for (const int n : numbers)
    out.push_back(day(n));
  return out;
}

// A source's limits: at most `max_days` a request, and nothing that starts before `oldest`.
WindowSplitter splitter(int max_days, int oldest = -100000) {
  return [max_days, oldest](const DayRange& range) -> core::Result<std::vector<DayRange>> {
    const auto first = *core::parseDate(range.start);
    const auto last = *core::parseDate(range.end);
    if (first < *core::parseDate(day(oldest)))
      return core::invalidInput("reaches back only to " + day(oldest));
    std::vector<DayRange> windows;
    for (auto start = first; start <= last; start += max_days) {
      windows.push_back({core::formatDate(start),
                         core::formatDate(std::min<std::int64_t>(last, start + max_days - 1))});
    }
    return windows;
  };
}

GapReport reportWith(std::vector<SymbolGaps> symbols) {
  GapReport report;
  report.symbols = std::move(symbols);
  return report;
}

SymbolGaps gaps(const std::string& symbol, std::vector<std::string> missing) {
  SymbolGaps s;
  s.symbol = symbol;
  s.missing = std::move(missing);
  return s;
}

TEST(FillPlanTest, DailyBarsFillEverySymbolsGapsInOneWindowWiderByADay) {
  const FillPlan plan = planFill(
      reportWith({gaps("AAA", {}), gaps("BBB", days({9, 10, 23})), gaps("CCC", days({3}))}),
      splitter(36500));
  ASSERT_EQ(plan.symbols.size(), 2u) << "a symbol without gaps has nothing to fetch";
  EXPECT_EQ(plan.symbols[0].symbol, "BBB");
  EXPECT_EQ(plan.symbols[0].windows, (std::vector<DayRange>{{day(8), day(24)}}));
  EXPECT_EQ(plan.symbols[0].missing, days({9, 10, 23}));
  EXPECT_EQ(plan.symbols[1].windows, (std::vector<DayRange>{{day(2), day(4)}}));
  EXPECT_TRUE(plan.symbols[1].unreachable.empty());
  EXPECT_EQ(plan.requests(), 2);
  EXPECT_EQ(plan.span(), (DayRange{day(2), day(24)}));
  EXPECT_FALSE(plan.empty());
}

TEST(FillPlanTest, ShortRequestsMergeRunsGreedilyAndNeverCutARunThatFits) {
  // 7 days a request (Yahoo's 1m bars): runs 10, 12-13 | 20 | 30-40 (longer than a request).
  const FillPlan plan = planFill(
      reportWith({gaps("AAA", days({10, 12, 13, 20, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40}))}),
      splitter(7));
  ASSERT_EQ(plan.symbols.size(), 1u);
  EXPECT_EQ(plan.symbols[0].windows,
            (std::vector<DayRange>{
                {day(9), day(14)}, {day(19), day(21)}, {day(29), day(35)}, {day(35), day(41)}}));
  EXPECT_EQ(plan.requests(), 4);
  // Every window is one request the source accepts, and every missing day is in a window.
  for (const auto& w : plan.symbols[0].windows) {
    auto split = splitter(7)(w);
    ASSERT_TRUE(split.ok());
    EXPECT_EQ(split->size(), 1u) << w.start << ".." << w.end;
  }
  for (const auto& d : plan.symbols[0].missing) {
    EXPECT_TRUE(std::any_of(plan.symbols[0].windows.begin(), plan.symbols[0].windows.end(),
                            [&](const DayRange& w) { return w.start <= d && d <= w.end; }))
        << d;
  }
}

TEST(FillPlanTest, ARunThatFitsStartsItsOwnWindowRatherThanBeingCut) {
  // Runs 2 and 6-8 with 7 days a request: [1, 7] would cut 6-8 at 7, so it gets [5, 9].
  const FillPlan plan = planFill(reportWith({gaps("AAA", days({2, 6, 7, 8}))}), splitter(7));
  EXPECT_EQ(plan.symbols[0].windows, (std::vector<DayRange>{{day(1), day(3)}, {day(5), day(9)}}));
}

TEST(FillPlanTest, DaysBeyondTheSourcesHistoryAreUnreachableAndTheRestFilled) {
  const FillPlan plan =
      planFill(reportWith({gaps("AAA", days({10, 14, 16, 20}))}), splitter(36500, 15));
  ASSERT_EQ(plan.symbols.size(), 1u);
  EXPECT_EQ(plan.symbols[0].unreachable, days({10, 14}));
  EXPECT_EQ(plan.symbols[0].unreachable_reason, "reaches back only to " + day(15));
  EXPECT_EQ(plan.symbols[0].windows, (std::vector<DayRange>{{day(15), day(21)}}));
  EXPECT_EQ(plan.unreachableDays(), 2);

  const FillPlan none = planFill(reportWith({gaps("AAA", days({3, 4}))}), splitter(36500, 15));
  EXPECT_TRUE(none.symbols[0].windows.empty());
  EXPECT_EQ(none.symbols[0].unreachable, days({3, 4}));
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.span(), DayRange{});
}

TEST(FillPlanTest, AReportWithoutGapsPlansNothing) {
  const FillPlan plan = planFill(reportWith({gaps("AAA", {})}), splitter(36500));
  EXPECT_TRUE(plan.symbols.empty());
  EXPECT_EQ(plan.requests(), 0);
}

}  // namespace
}  // namespace rawfeed::audit
