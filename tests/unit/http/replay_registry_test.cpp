#include "support/replay_registry.h"

#include <gtest/gtest.h>

#include <fstream>

namespace rawfeed::testing {
namespace {

TEST(ReplayRegistry, UnknownSymbolWithoutTemplateIsYahoos404) {
  ReplayRegistry registry;
  const ReplayResponse response = registry.lookup("NOPE");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(
      response.body,
      R"({"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}})");
}

TEST(ReplayRegistry, KnownSymbolWinsOverTemplate) {
  ReplayRegistry registry;
  registry.setTemplate(R"({"meta":{"symbol":"XXX"}})");
  registry.put("AAPL", ReplayResponse{200, {}, "aapl"});
  EXPECT_EQ(registry.lookup("AAPL").body, "aapl");
  EXPECT_EQ(registry.lookup("MSFT").body, R"({"meta":{"symbol":"MSFT"}})");
  EXPECT_EQ(registry.lookup("MSFT").status, 200);
}

struct SubstituteCase {
  const char* body;
  const char* symbol;
  const char* expected;
};

class SubstituteSymbolTest : public ::testing::TestWithParam<SubstituteCase> {};

TEST_P(SubstituteSymbolTest, Replaces) {
  const SubstituteCase& c = GetParam();
  EXPECT_EQ(substituteSymbol(c.body, c.symbol), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SubstituteSymbolTest,
    ::testing::Values(
        SubstituteCase{R"({"symbol":"XXX","a":1})", "^GSPC", R"({"symbol":"^GSPC","a":1})"},
        SubstituteCase{R"({"symbol": "XXX"})", "EURUSD=X", R"({"symbol": "EURUSD=X"})"},
        SubstituteCase{R"([{"symbol":"A"},{"symbol":"B"}])", "Z",
                       R"([{"symbol":"Z"},{"symbol":"Z"}])"},
        SubstituteCase{R"({"symbol":"XXX"})", "a\"b", R"({"symbol":"a\"b"})"},
        SubstituteCase{R"({"symbol":null})", "Z", R"({"symbol":null})"},
        SubstituteCase{R"({"other":"XXX"})", "Z", R"({"other":"XXX"})"}));

TEST(ReplayRegistry, LoadsPlainBodiesAndWrappersFromADirectory) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("replay_registry_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "AAPL.json") << R"({"chart":{"result":[],"error":null}})";
  std::ofstream(dir / "GONE.json")
      << R"({"request":{"url":"https://x/v8/finance/chart/GONE"},"response":{"status":404,"headers":{"content-type":["application/json;charset=utf-8"]},"bodyJson":{"chart":{"result":null}}}})";
  std::ofstream(dir / "README.md") << "ignored";

  ReplayRegistry registry;
  EXPECT_EQ(registry.loadDirectory(dir), 2u);
  EXPECT_EQ(registry.lookup("AAPL").status, 200);
  EXPECT_EQ(registry.lookup("AAPL").body, R"({"chart":{"result":[],"error":null}})");
  EXPECT_EQ(registry.lookup("GONE").status, 404);
  EXPECT_NE(registry.lookup("GONE").body.find("\"result\""), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rawfeed::testing
