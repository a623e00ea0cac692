#include "universe/symbol.h"

#include <gtest/gtest.h>

namespace rawfeed::universe {
namespace {

struct Case {
  const char* raw;
  const char* expected;  // nullptr: rejected
  const char* reason_part;
};

class NormalizeSymbolTest : public ::testing::TestWithParam<Case> {};

TEST_P(NormalizeSymbolTest, NormalisesOrRejectsWithReason) {
  const Case& c = GetParam();
  auto result = normalizeSymbol(c.raw);
  if (c.expected != nullptr) {
    ASSERT_TRUE(result.ok()) << c.raw << ": " << result.error().message;
    EXPECT_EQ(*result, c.expected);
  } else {
    ASSERT_FALSE(result.ok()) << c.raw << " was accepted as " << *result;
    EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(result.error().message.find(c.reason_part), std::string::npos)
        << result.error().message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, NormalizeSymbolTest,
    ::testing::Values(
        Case{"AAPL", "AAPL", ""}, Case{"  aapl \t", "AAPL", ""}, Case{"ABR$D", "ABR-PD", ""},
        Case{"abr$d", "ABR-PD", ""}, Case{"ACHR-W", "ACHR-WT", ""}, Case{"AAM-U", "AAM-UN", ""},
        Case{"BF-B", "BF-B", ""}, Case{"^GSPC", "^GSPC", ""}, Case{"EURUSD=X", "EURUSD=X", ""},
        Case{"7203.T", "7203.T", ""}, Case{"BTC-USD", "BTC-USD", ""}, Case{"A_B", "A_B", ""},
        Case{"", nullptr, "empty"}, Case{"   ", nullptr, "empty"},
        Case{"$D", nullptr, "without a root"}, Case{"A$B$C", nullptr, "more than one"},
        Case{"AAPL US", nullptr, "character ' '"}, Case{"AB/C", nullptr, "character '/'"},
        Case{"ABCDEFGHIJKLMNOPQRSTU", nullptr, "longer than 20"}));

TEST(NormalizeSymbolsTest, DeduplicatesInOrderAndReportsRejections) {
  const auto list = normalizeSymbols({"msft", "AAPL", "MSFT", "bad symbol", "ABR$D", "abr-pd"});
  EXPECT_EQ(list.symbols, (std::vector<std::string>{"MSFT", "AAPL", "ABR-PD"}));
  EXPECT_EQ(list.duplicates, 2);
  ASSERT_EQ(list.rejected.size(), 1u);
  EXPECT_EQ(list.rejected[0].symbol, "bad symbol");
}

TEST(IsValidSymbolTest, FollowsTheContract) {
  EXPECT_TRUE(isValidSymbol("BRK-B"));
  EXPECT_TRUE(isValidSymbol("^VXAPL"));
  EXPECT_FALSE(isValidSymbol("ABR$D"));
  EXPECT_FALSE(isValidSymbol(""));
  EXPECT_FALSE(isValidSymbol(std::string(21, 'A')));
}

}  // namespace
}  // namespace rawfeed::universe
