// [source] session, cookie_url and crumb_url: Yahoo's cookie + crumb session.
#include <gtest/gtest.h>

#include "config/config.h"

namespace rawfeed::config {
namespace {

TEST(SourceSessionConfigTest, DefaultsToAutoAgainstYahoo) {
  auto config = parseConfig("[domains.x]\nsymbols = [\"AAPL\"]\n", "rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const SourceSettings& source = config->domain("x")->source;
  EXPECT_EQ(source.session, "auto");
  EXPECT_EQ(source.cookie_url, "https://fc.yahoo.com");
  EXPECT_EQ(source.crumb_url, "https://query1.finance.yahoo.com/v1/test/getcrumb");
}

TEST(SourceSessionConfigTest, ReadsTheKeys) {
  auto config = parseConfig(R"(
[domains.x]
symbols = ["AAPL"]
[domains.x.source]
session = "always"
cookie_url = "http://127.0.0.1:8080/cookie"
crumb_url = "http://127.0.0.1:8080/v1/test/getcrumb"
)",
                            "rawfeed.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const SourceSettings& source = config->domain("x")->source;
  EXPECT_EQ(source.session, "always");
  EXPECT_EQ(source.cookie_url, "http://127.0.0.1:8080/cookie");
  EXPECT_EQ(source.crumb_url, "http://127.0.0.1:8080/v1/test/getcrumb");
}

TEST(SourceSessionConfigTest, RejectsAnUnknownModeAndUrlsThatAreNotHttp) {
  auto config = parseConfig(R"(
[domains.x]
symbols = ["AAPL"]
[domains.x.source]
session = "sometimes"
cookie_url = "fc.yahoo.com"
crumb_url = "ftp://query1.finance.yahoo.com/v1/test/getcrumb"
)",
                            "bad.toml");
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  for (const char* expected :
       {"domains.x.source.session: must be auto, always or never (got 'sometimes')",
        "domains.x.source.cookie_url: must start with http:// or https:// (got 'fc.yahoo.com')",
        "domains.x.source.crumb_url: must start with http:// or https://"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n"
                                                         << message;
  }
}

}  // namespace
}  // namespace rawfeed::config
