#include "universe/symbol.h"

#include <unordered_set>

#include "core/ascii.h"

namespace rawfeed::universe {

namespace {

bool isSymbolChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '^' || c == '=' || c == '_';
}

bool endsWith(const std::string& text, std::string_view suffix) {
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool isValidSymbol(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 20)
    return false;
  for (char c : symbol) {
    if (!isSymbolChar(c))
      return false;
  }
  return true;
}

core::Result<std::string> normalizeSymbol(std::string_view raw) {
  const std::string_view trimmed = core::trimAscii(raw, " \t\r\n");
  if (trimmed.empty())
    return core::makeError(core::ErrorCode::kInvalidInput, "empty symbol");
  std::string symbol;
  symbol.reserve(trimmed.size() + 2);
  for (char c : trimmed) {
    symbol.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  // NYSE/Nasdaq listings write a preferred series as ROOT$SERIES; Yahoo writes ROOT-PSERIES.
  if (const auto dollar = symbol.find('$'); dollar != std::string::npos) {
    if (dollar == 0) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             "preferred-share notation '$' without a root symbol");
    }
    if (symbol.find('$', dollar + 1) != std::string::npos) {
      return core::makeError(core::ErrorCode::kInvalidInput, "more than one '$' in the symbol");
    }
    symbol.replace(dollar, 1, "-P");
  }
  // Listings' warrant and unit suffixes; Yahoo spells them -WT and -UN.
  if (endsWith(symbol, "-W"))
    symbol += "T";
  if (endsWith(symbol, "-U"))
    symbol += "N";
  if (symbol.size() > 20) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "longer than 20 characters (" + std::to_string(symbol.size()) + ")");
  }
  for (char c : symbol) {
    if (!isSymbolChar(c)) {
      return core::makeError(
          core::ErrorCode::kInvalidInput,
          std::string("character '") + c + "' is not allowed (only A-Z 0-9 . - ^ = _)");
    }
  }
  return symbol;
}

SymbolList normalizeSymbols(const std::vector<std::string>& raw) {
  SymbolList list;
  std::unordered_set<std::string> seen;
  seen.reserve(raw.size());
  for (const auto& entry : raw) {
    auto normalized = normalizeSymbol(entry);
    if (!normalized.ok()) {
      list.rejected.push_back({entry, normalized.error().message});
      continue;
    }
    if (!seen.insert(*normalized).second) {
      ++list.duplicates;
      continue;
    }
    list.symbols.push_back(std::move(normalized).value());
  }
  return list;
}

SymbolList distinctValidSymbols(const std::vector<std::string>& symbols) {
  SymbolList list;
  std::unordered_set<std::string> seen;
  seen.reserve(symbols.size());
  for (const auto& symbol : symbols) {
    if (!isValidSymbol(symbol)) {
      list.rejected.push_back(
          {symbol, "not a symbol: 1-20 characters of A-Z a-z 0-9 . - ^ = _ (contracts §1)"});
    } else if (!seen.insert(symbol).second) {
      ++list.duplicates;
    } else {
      list.symbols.push_back(symbol);
    }
  }
  return list;
}

}  // namespace rawfeed::universe
