#include "audit/gap_audit.h"

#include <gtest/gtest.h>

#include <set>

#include "contract/temp_dir.h"
#include "core/time_format.h"
#include "lake/raw_key.h"
#include "store/local/local_object_store.h"
#include "support/fakes/in_memory_object_store.h"

namespace rawfeed::audit {
namespace {

using core::Compression;

constexpr const char* kDomain = "d";

GapAuditScope scope() {
  GapAuditScope s;
  s.domain = kDomain;
  s.table_name = "prices";
  s.interval = "1d";
  s.data_source = "yahoo_finance";
  return s;
}

std::string key(const std::string& symbol, const std::string& day,
                lake::Format format = lake::Format::kJsonLines,
                Compression compression = Compression::kNone, const std::string& table = "prices",
                const std::string& interval = "1d") {
  return lake::objectKey({kDomain, table, interval, "yahoo_finance", day}, symbol, format,
                         compression);
}

// The days from `first` to `last` that are not weekends and not in `closed`.
std::vector<std::string> sessions(const std::string& first, const std::string& last,
                                  const std::set<std::string>& closed = {}) {
  std::vector<std::string> days;
  for (auto day = *core::parseDate(first); day <= *core::parseDate(last); ++day) {
    const auto weekday = (day + 4) % 7;  // 1970-01-01 was a Thursday: 0 is Sunday
    const std::string text = core::formatDate(day);
    if (weekday != 0 && weekday != 6 && closed.count(text) == 0)
      days.push_back(text);
  }
  return days;
}

class GapAuditTest : public ::testing::Test {
 protected:
  void land(const std::string& symbol, const std::vector<std::string>& days,
            const std::set<std::string>& except = {}) {
    for (const auto& day : days) {
      if (except.count(day) == 0)
        lake_.set(key(symbol, day), "{}\n");
    }
  }
  const SymbolGaps& of(const GapReport& report, const std::string& symbol) {
    for (const auto& s : report.symbols) {
      if (s.symbol == symbol)
        return s;
    }
    ADD_FAILURE() << symbol << " is not in the report";
    static const SymbolGaps none;
    return none;
  }
  GapReport audit(const GapAuditScope& s = scope()) {
    auto report = auditLake(lake_, s);
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : GapReport{};
  }

  fakes::InMemoryObjectStore lake_{"memory://lake"};
  // January 2024 in New York (Martin Luther King Jr. Day on the 15th) and Tokyo (closed the 1st
  // to 3rd, Coming of Age Day on the 8th).
  const std::vector<std::string> us_ = sessions("2024-01-02", "2024-01-31", {"2024-01-15"});
  const std::vector<std::string> tokyo_ = sessions("2024-01-04", "2024-01-31", {"2024-01-08"});
};

TEST_F(GapAuditTest, ReportsExactlyTheDaysOtherSymbolsOfTheExchangeHave) {
  land("AAA", us_);
  land("BBB", us_, {"2024-01-09", "2024-01-10", "2024-01-23"});
  land("CCC", us_, {"2024-01-12", "2024-01-16"});
  const GapReport report = audit();
  ASSERT_EQ(report.symbols.size(), 3u);
  EXPECT_TRUE(of(report, "AAA").missing.empty());
  EXPECT_EQ(of(report, "BBB").missing,
            (std::vector<std::string>{"2024-01-09", "2024-01-10", "2024-01-23"}));
  EXPECT_EQ(of(report, "BBB").missing_ranges,
            (std::vector<DayRange>{{"2024-01-09", "2024-01-10"}, {"2024-01-23", "2024-01-23"}}));
  // Friday the 12th and Tuesday the 16th are one run: the weekend and the holiday between them
  // are no trading day of the group.
  EXPECT_EQ(of(report, "CCC").missing, (std::vector<std::string>{"2024-01-12", "2024-01-16"}));
  EXPECT_EQ(of(report, "CCC").missing_ranges,
            (std::vector<DayRange>{{"2024-01-12", "2024-01-16"}}));
  EXPECT_EQ(of(report, "BBB").group, "US");
  EXPECT_EQ(of(report, "BBB").first_day, "2024-01-02");
  EXPECT_EQ(of(report, "BBB").last_day, "2024-01-31");
  EXPECT_EQ(report.symbolsWithGaps(), 2);
  EXPECT_EQ(report.missingDays(), 5);
  EXPECT_EQ(report.objects, static_cast<std::int64_t>(3 * us_.size() - 5));
  EXPECT_EQ(report.lake, "memory://lake");
  EXPECT_EQ(lake_.requests().lists, 1);
}

TEST_F(GapAuditTest, ExchangesWithOtherHolidaysAreNotEachOthersGaps) {
  land("AAA", us_);
  land("BBB", us_);
  land("7203.T", tokyo_);
  land("1301.T", tokyo_, {"2024-01-15", "2024-01-31"});
  land("EURUSD=X", sessions("2024-01-01", "2024-01-31"));  // FX: every weekday
  const GapReport report = audit();
  EXPECT_TRUE(of(report, "AAA").missing.empty()) << "Tokyo's days are not New York's";
  EXPECT_TRUE(of(report, "BBB").missing.empty());
  EXPECT_TRUE(of(report, "7203.T").missing.empty()) << "MLK day is not a gap in Tokyo";
  EXPECT_TRUE(of(report, "EURUSD=X").missing.empty());
  EXPECT_EQ(of(report, "7203.T").group, ".T");
  // 1301.T's last day is the 30th, so only the 15th is within its own range.
  EXPECT_EQ(of(report, "1301.T").missing, (std::vector<std::string>{"2024-01-15"}));
  EXPECT_EQ(of(report, "1301.T").last_day, "2024-01-30");
}

TEST_F(GapAuditTest, ASymbolListedLaterOrDelistedHasNoGapOutsideItsOwnDays) {
  land("AAA", us_);
  land("NEW", sessions("2024-01-22", "2024-01-31"), {"2024-01-24"});
  land("OLD", sessions("2024-01-02", "2024-01-10"));
  const GapReport report = audit();
  EXPECT_EQ(of(report, "NEW").missing, (std::vector<std::string>{"2024-01-24"}));
  EXPECT_EQ(of(report, "NEW").first_day, "2024-01-22");
  EXPECT_TRUE(of(report, "OLD").missing.empty());
  EXPECT_EQ(of(report, "OLD").last_day, "2024-01-10");
}

TEST_F(GapAuditTest, EveryEncodingCountsAndTwoEncodingsOfADayAreOneDay) {
  land("AAA", us_);
  for (std::size_t i = 0; i < us_.size(); ++i) {
    const auto& day = us_[i];
    if (day == "2024-01-18")
      continue;
    switch (i % 5) {
      case 0:
        lake_.set(key("BBB", day), "x");
        break;
      case 1:
        lake_.set(key("BBB", day, lake::Format::kCsv), "x");
        break;
      case 2:
        lake_.set(key("BBB", day, lake::Format::kJsonLines, Compression::kGzip), "x");
        break;
      case 3:
        lake_.set(key("BBB", day, lake::Format::kCsv, Compression::kZstd), "x");
        break;
      default:  // the same day in two encodings, as after a change of compression
        lake_.set(key("BBB", day, lake::Format::kCsv, Compression::kGzip), "x");
        lake_.set(key("BBB", day, lake::Format::kJsonLines, Compression::kZstd), "x");
    }
  }
  lake_.set(key("^GSPC", "2024-01-02", lake::Format::kJsonLines, Compression::kZstd), "x");
  const GapReport report = audit();
  EXPECT_EQ(of(report, "BBB").missing, (std::vector<std::string>{"2024-01-18"}));
  EXPECT_TRUE(of(report, "^GSPC").missing.empty());
  EXPECT_EQ(of(report, "^GSPC").group, "INDEX");
}

TEST_F(GapAuditTest, ManifestsOtherTablesAndIntervalsAndForeignKeysAreNotObjects) {
  land("AAA", us_);
  land("BBB", us_, {"2024-01-05"});
  lake_.set(lake::manifestKey({kDomain, "prices", "1d", "yahoo_finance", "2024-01-05"}), "{}");
  lake_.set(
      key("BBB", "2024-01-08", lake::Format::kJsonLines, Compression::kNone, "corporate_actions"),
      "x");
  lake_.set(key("CCC", "2024-01-08", lake::Format::kJsonLines, Compression::kNone, "prices", "1h"),
            "x");
  lake_.set("d/prices/interval=1d/data_source=yahoo_finance/README.txt", "notes");
  lake_.set("d/prices/interval=1d/data_source=yahoo_finance/year=2024/month=01/day=05/x.tmp", "");
  const GapReport report = audit();
  EXPECT_EQ(report.symbols.size(), 2u);
  EXPECT_EQ(of(report, "BBB").missing, (std::vector<std::string>{"2024-01-05"}));
  EXPECT_EQ(report.foreign_keys, 2);
  EXPECT_EQ(report.objects, static_cast<std::int64_t>(2 * us_.size() - 1));
}

TEST_F(GapAuditTest, StartAndEndClipTheDaysButNotTheSymbolsOwnRange) {
  land("AAA", us_);
  land("BBB", us_, {"2024-01-03", "2024-01-17", "2024-01-30"});
  GapAuditScope s = scope();
  s.start = "2024-01-10";
  s.end = "2024-01-29";
  const GapReport report = audit(s);
  EXPECT_EQ(of(report, "BBB").missing, (std::vector<std::string>{"2024-01-17"}));
  EXPECT_EQ(of(report, "BBB").first_day, "2024-01-02");
  EXPECT_EQ(report.start, "2024-01-10");
  // A symbol whose days all lie outside the range is audited, with nothing missing.
  s.start = "2024-02-01";
  s.end = "2024-02-29";
  EXPECT_EQ(audit(s).missingDays(), 0);
}

TEST_F(GapAuditTest, UniverseSymbolsWithoutAnyObjectAreNeverLanded) {
  land("AAA", us_);
  land("BBB", us_, {"2024-01-05"});
  GapAuditScope s = scope();
  s.universe = {"AAA", "ZZZ", "^VIX", "ZZZ"};
  GapReport report = audit(s);
  EXPECT_EQ(report.never_landed, (std::vector<std::string>{"ZZZ", "^VIX"}));
  EXPECT_EQ(report.symbols.size(), 2u) << "every symbol of the lake without only_universe";
  s.only_universe = true;
  report = audit(s);
  ASSERT_EQ(report.symbols.size(), 1u);
  EXPECT_EQ(report.symbols[0].symbol, "AAA");
  EXPECT_EQ(report.missingDays(), 0) << "BBB's gap is not AAA's";
  // BBB's days still make the group's calendar: AAA missing the 8th is a gap of AAA.
  ASSERT_TRUE(lake_.remove(key("AAA", "2024-01-08")).ok());
  EXPECT_EQ(audit(s).symbols[0].missing, (std::vector<std::string>{"2024-01-08"}));
}

TEST_F(GapAuditTest, BadRangeAndListingFailuresAreErrors) {
  GapAuditScope s = scope();
  s.start = "2024-02-30";
  auto report = auditLake(lake_, s);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, core::ErrorCode::kInvalidInput);
  s.start = "2024-02-02";
  s.end = "2024-02-01";
  EXPECT_FALSE(auditLake(lake_, s).ok());
  lake_.failLists(core::makeError(core::ErrorCode::kTransient, "connection reset"));
  report = auditLake(lake_, scope());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, core::ErrorCode::kTransient);
}

TEST_F(GapAuditTest, AnEmptyTableHasNothingMissing) {
  const GapReport report = audit();
  EXPECT_TRUE(report.symbols.empty());
  EXPECT_EQ(report.objects, 0);
}

TEST(GapAuditLocalTest, AuditsALakeOnALocalDirectory) {
  contract::TempDir dir;
  store::local::LocalObjectStore lake(dir.path() / "lake");
  for (const auto& day : sessions("2024-01-02", "2024-01-12")) {
    ASSERT_TRUE(lake.put(key("AAA", day), "{}\n", {}).ok());
    if (day != "2024-01-04") {
      ASSERT_TRUE(lake.put(key("BBB", day, lake::Format::kCsv, Compression::kGzip), "x", {}).ok());
    }
  }
  auto report = auditLake(lake, scope());
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->symbols.size(), 2u);
  EXPECT_EQ(report->symbols[1].missing, (std::vector<std::string>{"2024-01-04"}));
  EXPECT_EQ(report->lake, lake.location());
}

TEST(GapAuditPrefixTest, IsTheTablesPartOfTheKeyLayout) {
  EXPECT_EQ(tablePrefix(scope()), "d/prices/interval=1d/data_source=yahoo_finance/");
}

}  // namespace
}  // namespace rawfeed::audit
