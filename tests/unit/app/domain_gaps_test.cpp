#include "app/domain_gaps.h"

#include <gtest/gtest.h>

#include "app/exit_codes.h"
#include "core/time_format.h"

namespace rawfeed::app {
namespace {

config::DomainConfig domain() {
  config::DomainConfig d;
  d.name = "customer-data";
  d.symbols = {"aapl", "ABR$D", "bad symbol", "^gspc"};
  return d;
}

core::SystemTime at(const std::string& day) {
  return core::SystemTime(std::chrono::seconds(*core::parseDate(day) * 86400 + 43200));
}

TEST(DomainGapsTest, TheDomainsTableAndUniverseInTheSourcesNotation) {
  auto gaps = gapScopeFor(domain(), {});
  ASSERT_TRUE(gaps.ok()) << gaps.error().message;
  const auto& scope = gaps->scope;
  EXPECT_EQ(scope.domain, "customer-data");
  EXPECT_EQ(scope.table_name, "prices");
  EXPECT_EQ(scope.interval, "1d");
  EXPECT_EQ(scope.data_source, "yahoo_finance");
  EXPECT_EQ(scope.universe, (std::vector<std::string>{"AAPL", "ABR-PD", "^GSPC"}));
  EXPECT_FALSE(scope.only_universe) << "every symbol in the lake is audited";
  ASSERT_EQ(gaps->rejected.size(), 1u);
  EXPECT_EQ(gaps->rejected[0].symbol, "bad symbol");
}

TEST(DomainGapsTest, TheCommandLineNarrowsIt) {
  GapSelection selection;
  selection.symbols = std::vector<std::string>{"msft"};
  selection.start = "2024-01-01";
  selection.end = "2024-01-31";
  selection.interval = "1h";
  auto gaps = gapScopeFor(domain(), selection);
  ASSERT_TRUE(gaps.ok());
  EXPECT_EQ(gaps->scope.universe, (std::vector<std::string>{"MSFT"}));
  EXPECT_TRUE(gaps->scope.only_universe);
  EXPECT_EQ(gaps->scope.interval, "1h");
  EXPECT_EQ(gaps->scope.start, "2024-01-01");
}

TEST(DomainGapsTest, BadSelectionsAreUsageErrors) {
  GapSelection both;
  both.symbols = std::vector<std::string>{"A"};
  both.universe = "u.txt";
  GapSelection date;
  date.end = "2024-13-01";
  GapSelection reversed;
  reversed.start = "2024-02-01";
  reversed.end = "2024-01-01";
  for (const auto& selection : {both, date, reversed}) {
    auto gaps = gapScopeFor(domain(), selection);
    ASSERT_FALSE(gaps.ok());
    EXPECT_EQ(exitCodeFor(gaps.error()), kExitUsage) << gaps.error().message;
  }
  GapSelection missing_file;
  missing_file.universe = "/nonexistent/universe.txt";
  EXPECT_FALSE(gapScopeFor(domain(), missing_file).ok());
}

TEST(DomainGapsTest, TheSplitterIsTheSourcesHistoryLimits) {
  auto daily = windowSplitterFor("yahoo_finance", "1d", at("2024-06-01"));
  ASSERT_TRUE(daily.ok());
  auto one = (*daily)({"2000-01-01", "2024-05-31"});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);

  // 1m bars: 7 days a request, within the last 30 days. A plan over them fills what the source
  // still has and says which days it no longer reaches.
  auto minute = windowSplitterFor("yahoo_finance", "1m", at("2024-06-01"));
  ASSERT_TRUE(minute.ok());
  audit::GapReport report;
  audit::SymbolGaps gaps;
  gaps.symbol = "AAPL";
  gaps.missing = {"2024-04-02", "2024-05-10", "2024-05-13", "2024-05-14", "2024-05-28"};
  report.symbols.push_back(gaps);
  const auto plan = audit::planFill(report, *minute);
  ASSERT_EQ(plan.symbols.size(), 1u);
  EXPECT_EQ(plan.symbols[0].unreachable, (std::vector<std::string>{"2024-04-02"}));
  EXPECT_EQ(plan.symbols[0].windows, (std::vector<audit::DayRange>{{"2024-05-09", "2024-05-15"},
                                                                   {"2024-05-27", "2024-05-29"}}));
  EXPECT_EQ(symbolWindowsOf(plan),
            (std::vector<pipeline::SymbolWindow>{{"AAPL", "2024-05-09", "2024-05-15", ""},
                                                 {"AAPL", "2024-05-27", "2024-05-29", ""}}));

  EXPECT_FALSE(windowSplitterFor("bloomberg", "1d", at("2024-06-01")).ok());
}

TEST(DomainGapsTest, GapsHaveTheirOwnExitCode) {
  EXPECT_EQ(kExitGaps, 5);
}

}  // namespace
}  // namespace rawfeed::app
