#include "audit/exchange_group.h"

#include <gtest/gtest.h>

namespace rawfeed::audit {
namespace {

TEST(ExchangeGroupTest, ReadsTheExchangeFromTheNotation) {
  const std::pair<const char*, const char*> cases[] = {
      {"AAPL", "US"},           {"BRK-B", "US"},       {"ABR-PD", "US"},      {"ACHR-WT", "US"},
      {"^GSPC", "INDEX"},       {"^N225", "INDEX"},    {"EURUSD=X", "FX"},    {"USDKRW=X", "FX"},
      {"GC=F", "FUTURES"},      {"BTC-USD", "CRYPTO"}, {"ETH-EUR", "CRYPTO"}, {"7203.T", ".T"},
      {"ORSTED.CO", ".CO"},     {"TSCO.L", ".L"},      {"0700.HK", ".HK"},    {"005930.KS", ".KS"},
      {"0P000071W8.TO", ".TO"}, {"X=Y", "=Y"},
  };
  for (const auto& [symbol, group] : cases)
    EXPECT_EQ(exchangeGroup(symbol), group) << symbol;
}

}  // namespace
}  // namespace rawfeed::audit
