#include "server/request_params.h"

#include <gtest/gtest.h>

namespace rawfeed::server {
namespace {

TEST(ParseLimit, AcceptsOneToTheMaximum) {
  EXPECT_EQ(*parseLimit(std::nullopt, 20), 20);
  EXPECT_EQ(*parseLimit(std::string("1"), 20), 1);
  EXPECT_EQ(*parseLimit(std::string("1000"), 20), 1000);
}

TEST(ParseLimit, RejectsTheRest) {
  for (const char* text : {"", "0", "-1", "1001", "abc", "5x", " 5", "1e3", "99999999999"}) {
    SCOPED_TRACE(text);
    auto limit = parseLimit(std::string(text), 20);
    ASSERT_FALSE(limit.ok());
    EXPECT_EQ(limit.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(limit.error().message.find("limit"), std::string::npos);
  }
}

TEST(ParseBoolParam, TrueFalseOneZero) {
  EXPECT_TRUE(*parseBoolParam("dry_run", std::string("true"), false));
  EXPECT_TRUE(*parseBoolParam("dry_run", std::string("1"), false));
  EXPECT_FALSE(*parseBoolParam("dry_run", std::string("false"), true));
  EXPECT_FALSE(*parseBoolParam("dry_run", std::string("0"), true));
  EXPECT_TRUE(*parseBoolParam("dry_run", std::nullopt, true));
  auto bad = parseBoolParam("dry_run", std::string("yes"), false);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("dry_run"), std::string::npos);
}

TEST(DeadLetterFilterFromQuery, ReadsEveryFilter) {
  auto filter = deadLetterFilterFromQuery(
      {{"symbol", "AAPL"}, {"error_class", "poison"}, {"min_age_seconds", "90.5"}, {"limit", "7"}});
  ASSERT_TRUE(filter.ok()) << filter.error().message;
  EXPECT_EQ(filter->symbol, "AAPL");
  EXPECT_EQ(filter->error_class, "poison");
  EXPECT_DOUBLE_EQ(*filter->min_age_seconds, 90.5);
  EXPECT_EQ(filter->limit, 7);
}

TEST(DeadLetterFilterFromQuery, DefaultsWhenAbsent) {
  auto filter = deadLetterFilterFromQuery({});
  ASSERT_TRUE(filter.ok());
  EXPECT_FALSE(filter->symbol);
  EXPECT_FALSE(filter->error_class);
  EXPECT_FALSE(filter->min_age_seconds);
  EXPECT_EQ(filter->limit, kDefaultDeadLettersLimit);
}

TEST(DeadLetterFilterFromQuery, RejectsBadInputNamingIt) {
  const std::pair<QueryParams, const char*> cases[] = {
      {{{"symbl", "AAPL"}}, "symbl"},
      {{{"symbol", "A"}, {"symbol", "B"}}, "more than once"},
      {{{"symbol", ""}}, "symbol"},
      {{{"min_age_seconds", "-1"}}, "min_age_seconds"},
      {{{"min_age_seconds", "nan"}}, "min_age_seconds"},
      {{{"min_age_seconds", "inf"}}, "min_age_seconds"},
      {{{"limit", "0"}}, "limit"},
  };
  for (const auto& [query, needle] : cases) {
    SCOPED_TRACE(needle);
    auto filter = deadLetterFilterFromQuery(query);
    ASSERT_FALSE(filter.ok());
    EXPECT_EQ(filter.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(filter.error().message.find(needle), std::string::npos) << filter.error().message;
  }
}

}  // namespace
}  // namespace rawfeed::server
