#include "support/yahoo_fixtures.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace rawfeed::testing {
namespace {

std::string readBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string headerOf(const RecordedResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return "";
}

RecordedResponse loadOne(const std::string& name) {
  auto all = loadYahooFixture(yahooFixtureDir() / name);
  EXPECT_EQ(all.size(), 1u) << name;
  return all.at(0);
}

class YahooFixturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(yahooFixturesPresent()) << "fixture folder missing: " << yahooFixtureDir();
  }
};

TEST_F(YahooFixturesTest, EveryFixtureLoadsWithABody) {
  const auto files = listYahooFixtures();
  ASSERT_EQ(files.size(), 48u);
  for (const auto& file : files) {
    const auto responses = loadYahooFixture(file);
    ASSERT_FALSE(responses.empty()) << file;
    for (const auto& response : responses) {
      EXPECT_FALSE(response.body.empty()) << file;
      EXPECT_EQ(response.fixture, file.filename().string());
      EXPECT_GE(response.status, 200) << file;
    }
  }
}

TEST_F(YahooFixturesTest, ListIsSortedAndSkipsDocumentation) {
  const auto files = listYahooFixtures();
  EXPECT_EQ(files.front().filename(), "0P000071W8.TO_MUTUALFUND_1d_2020-01-01.json");
  EXPECT_EQ(files.back().filename(), "^VXAPL_INDEX_1d_2020_no_timestamps.json");
  for (const auto& file : files) {
    EXPECT_NE(file.extension(), ".md") << file;
  }
}

TEST_F(YahooFixturesTest, RawBodiesAreServedVerbatimWithTheStatusTheirErrorImplies) {
  struct Case {
    const char* file;
    int status;
  };
  const Case cases[] = {
      {"1301.T_1d_1mo_2024-11.json", 200},
      {"ERROR_400_invalid_interval_5h.json", 400},
      {"ERROR_400_invalid_interval_1s_newer_list_with_4h.json", 400},
      {"ERROR_422_5m_older_than_60_days.json", 422},
      {"ERROR_422_1h_older_than_730_days_GC=F.json", 422},
  };
  for (const auto& c : cases) {
    const auto response = loadOne(c.file);
    EXPECT_EQ(response.status, c.status) << c.file;
    EXPECT_EQ(response.body, readBytes(yahooFixtureDir() / c.file)) << c.file;
    EXPECT_EQ(headerOf(response, "content-type"), "application/json;charset=utf-8");
    EXPECT_TRUE(response.url.empty());
  }
}

TEST_F(YahooFixturesTest, TextBodiesAre429Html) {
  const auto edge = loadOne("RATE_LIMIT_429_edge_body.txt");
  EXPECT_EQ(edge.status, 429);
  EXPECT_EQ(edge.body, "Edge: Too Many Requests");
  EXPECT_EQ(headerOf(edge, "content-type"), "text/html");
  EXPECT_EQ(loadOne("RATE_LIMIT_429_too_many_requests_crlf_body.txt").body,
            "Too Many Requests\r\n");
}

TEST_F(YahooFixturesTest, WrappersGiveStatusUrlHeadersAndBody) {
  const auto si = loadOne("SI_ERROR_404_not_found_delisted.json");
  EXPECT_EQ(si.status, 404);
  EXPECT_EQ(si.url.rfind("https://query2.finance.yahoo.com/v8/finance/chart/SI?", 0), 0u);
  EXPECT_EQ(headerOf(si, "content-type"), "application/json;charset=utf-8");
  EXPECT_EQ(headerOf(si, "content-length"), "") << "transfer headers are dropped";
  EXPECT_NE(si.body.find("No data found, symbol may be delisted"), std::string::npos);

  const auto aapl = loadOne("AAPL_1d_2020_full_year_div_split_4for1.json");
  EXPECT_EQ(aapl.status, 200);
  EXPECT_EQ(aapl.body.rfind("{\"chart\":{\"result\":[{\"meta\":", 0), 0u) << "key order kept";
  EXPECT_NE(aapl.body.find("75.0875015258789,"), std::string::npos) << "number text kept";

  const auto other = loadOne("OTHER_ERROR_404_finance_envelope_nonExistingURL.json");
  EXPECT_EQ(other.status, 404);
  EXPECT_NE(other.body.find("\"finance\""), std::string::npos);
}

TEST_F(YahooFixturesTest, CassetteYieldsBothInteractionsWithTheGzipBodyInflated) {
  const auto responses = loadYahooFixture(
      yahooFixtureDir() / "^GSPC_INDEX_1d_openbb_vcr_cassette_range1d_and_period_gzip.yaml");
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_EQ(responses[0].url,
            "https://query2.finance.yahoo.com/v8/finance/chart/"
            "%5EGSPC?crumb=MOCK_CRUMB&interval=1d&range=1d");
  EXPECT_EQ(responses[0].body.rfind("{\"chart\":{\"result\":[{\"meta\":", 0), 0u);
  EXPECT_EQ(responses[0].body.back(), '}');
  EXPECT_EQ(headerOf(responses[0], "date"), "Thu, 29 Feb 2024 18:46:31 GMT");
  EXPECT_EQ(headerOf(responses[0], "age"), "0");
  EXPECT_EQ(responses[1].status, 200);
  EXPECT_EQ(responses[1].body,
            readBytes(yahooFixtureDir() /
                      "^GSPC_INDEX_1d_2023-01-03_2024-02-29_gunzipped_from_cassette.json"));
  EXPECT_EQ(headerOf(responses[1], "content-encoding"), "") << "body is already decoded";
  EXPECT_EQ(headerOf(responses[1], "content-type"), "application/json;charset=utf-8");
}

TEST_F(YahooFixturesTest, UnknownFormatThrowsNamingTheFile) {
  EXPECT_THROW(loadYahooFixture(yahooFixtureDir() / "README.md"), std::runtime_error);
}

}  // namespace
}  // namespace rawfeed::testing
