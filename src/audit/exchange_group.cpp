#include "audit/exchange_group.h"

#include <array>

namespace rawfeed::audit {

namespace {

// The quote currencies of Yahoo's crypto pairs ("BTC-USD"). A share class or preferred series
// after '-' ("BRK-B", "ABR-PD", "ACHR-WT") is never one of these.
constexpr std::array<std::string_view, 14> kCryptoQuotes = {"USD", "USDT", "USDC", "EUR", "GBP",
                                                            "JPY", "KRW",  "CAD",  "AUD", "CHF",
                                                            "CNY", "INR",  "BTC",  "ETH"};

bool isUpperAlpha(std::string_view text) {
  if (text.empty())
    return false;
  for (const char c : text) {
    if (c < 'A' || c > 'Z')
      return false;
  }
  return true;
}

bool isCryptoPair(std::string_view symbol) {
  const std::size_t dash = symbol.rfind('-');
  if (dash == std::string_view::npos || dash == 0)
    return false;
  const std::string_view quote = symbol.substr(dash + 1);
  for (const auto known : kCryptoQuotes) {
    if (quote == known)
      return true;
  }
  return false;
}

// mark + suffix, built by appending: GCC 12 warns (-Wrestrict) about operator+ on a char and a
// temporary string.
std::string exchangeGroupNamed(char mark, std::string_view suffix) {
  std::string name(1, mark);
  name.append(suffix);
  return name;
}

}  // namespace

std::string exchangeGroup(std::string_view symbol) {
  if (!symbol.empty() && symbol.front() == '^')
    return "INDEX";
  if (const std::size_t equals = symbol.rfind('='); equals != std::string_view::npos) {
    const std::string_view kind = symbol.substr(equals + 1);
    if (kind == "X")
      return "FX";
    if (kind == "F")
      return "FUTURES";
    return exchangeGroupNamed('=', kind);
  }
  if (const std::size_t dot = symbol.rfind('.'); dot != std::string_view::npos && dot > 0) {
    const std::string_view suffix = symbol.substr(dot + 1);
    if (suffix.size() <= 4 && isUpperAlpha(suffix))
      return exchangeGroupNamed('.', suffix);
  }
  if (isCryptoPair(symbol))
    return "CRYPTO";
  return "US";
}

}  // namespace rawfeed::audit
