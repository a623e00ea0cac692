#include "http/curl/url_origin.h"

#include <gtest/gtest.h>

namespace rawfeed::http::curl {
namespace {

struct OriginCase {
  const char* url;
  const char* origin;  // nullptr: kInvalidInput
};

class UrlOriginTest : public ::testing::TestWithParam<OriginCase> {};

TEST_P(UrlOriginTest, Origin) {
  const OriginCase& c = GetParam();
  auto origin = urlOrigin(c.url);
  if (c.origin == nullptr) {
    ASSERT_FALSE(origin.ok()) << c.url;
    EXPECT_EQ(origin.error().code, core::ErrorCode::kInvalidInput);
  } else {
    ASSERT_TRUE(origin.ok()) << c.url << ": " << origin.error().describe();
    EXPECT_EQ(*origin, c.origin);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, UrlOriginTest,
    ::testing::Values(
        OriginCase{"https://query2.finance.yahoo.com/v8/finance/chart/AAPL?interval=1d",
                   "https://query2.finance.yahoo.com:443"},
        OriginCase{"HTTP://Example.COM/x", "http://example.com:80"},
        OriginCase{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
        OriginCase{"http://127.0.0.1:8080?q=1", "http://127.0.0.1:8080"},
        OriginCase{"http://user:secret@host:81/p", "http://host:81"},
        OriginCase{"http://[::1]:9000/p", "http://[::1]:9000"},
        OriginCase{"https://[::1]/p", "https://[::1]:443"}, OriginCase{"ftp://host/x", nullptr},
        OriginCase{"host/x", nullptr}, OriginCase{"http:///x", nullptr},
        OriginCase{"http://host:0/", nullptr}, OriginCase{"http://host:99999/", nullptr},
        OriginCase{"http://host:8a/", nullptr}, OriginCase{"http://[::1/", nullptr},
        OriginCase{"", nullptr}));

TEST(UrlForMessage, DropsQueryFragmentAndUserInfo) {
  EXPECT_EQ(urlForMessage("https://u:p@host/path?token=abc#f"), "https://host/path");
  EXPECT_EQ(urlForMessage("http://host/a#frag"), "http://host/a");
  EXPECT_EQ(urlForMessage("not a url?x"), "not a url");
}

TEST(UrlForMessage, CutsLongUrls) {
  const std::string url = "http://host/" + std::string(500, 'a');
  EXPECT_LT(urlForMessage(url).size(), 200u);
}

}  // namespace
}  // namespace rawfeed::http::curl
