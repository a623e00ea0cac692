#include "server/json_body.h"

#include <gtest/gtest.h>

namespace rawfeed::server {
namespace {

TEST(CheckJsonObject, AcceptsObjects) {
  EXPECT_TRUE(checkJsonObject("{}").ok());
  EXPECT_TRUE(checkJsonObject(R"( {"symbols":["AAPL"],"period":"1mo"} )").ok());
}

TEST(CheckJsonObject, NamesTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"  \n", "empty"},
      {"{\"a\":", "malformed JSON"},
      {"{\"a\" 1}", "column 6"},
      {"[1,2]", "must be a JSON object, got array"},
      {"42", "got number"},
      {"{} trailing", "malformed JSON"},
  };
  for (const auto& [body, needle] : cases) {
    SCOPED_TRACE(body);
    auto status = checkJsonObject(body);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(status.error().message.find(needle), std::string::npos) << status.error().message;
    EXPECT_EQ(status.error().message.find("[json.exception"), std::string::npos);
  }
}

TEST(ParseRedriveRequest, ReadsFiltersAndDryRun) {
  auto request = parseRedriveRequest(
      R"({"symbol":"AAPL","error_class":"throttled","min_age_seconds":60,"limit":5,"dry_run":false})");
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->filter.symbol, "AAPL");
  EXPECT_EQ(request->filter.error_class, "throttled");
  EXPECT_DOUBLE_EQ(*request->filter.min_age_seconds, 60);
  EXPECT_EQ(request->filter.limit, 5);
  EXPECT_FALSE(request->dry_run);
}

TEST(ParseRedriveRequest, NullMeansAnyAndLimitDefaults) {
  auto request = parseRedriveRequest(R"({"symbol":null,"error_class":null,"dry_run":true})");
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_FALSE(request->filter.symbol);
  EXPECT_FALSE(request->filter.error_class);
  EXPECT_EQ(request->filter.limit, 100);
  EXPECT_TRUE(request->dry_run);
}

TEST(ParseRedriveRequest, RejectsBadFieldsNamingThem) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({})", "dry_run"},
      {R"({"dry_run":"yes"})", "dry_run"},
      {R"({"dry_run":true,"symbol":5})", "symbol"},
      {R"({"dry_run":true,"symbol":""})", "symbol"},
      {R"({"dry_run":true,"limit":0})", "limit"},
      {R"({"dry_run":true,"limit":2.5})", "limit"},
      {R"({"dry_run":true,"min_age_seconds":-3})", "min_age_seconds"},
      {R"({"dry_run":true,"sybmol":"A"})", "sybmol"},
      {R"([true])", "object"},
  };
  for (const auto& [body, needle] : cases) {
    SCOPED_TRACE(body);
    auto request = parseRedriveRequest(body);
    ASSERT_FALSE(request.ok());
    EXPECT_NE(request.error().message.find(needle), std::string::npos) << request.error().message;
  }
}

}  // namespace
}  // namespace rawfeed::server
