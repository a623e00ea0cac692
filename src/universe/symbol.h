#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::universe {

// contracts §1: 1–20 characters of A–Z a–z 0–9 . - ^ = _
bool isValidSymbol(std::string_view symbol);

// Trims and upper-cases one symbol as a listing wrote it and maps exchange notations Yahoo
// does not use to Yahoo's: a preferred share "ABR$D" becomes "ABR-PD", a warrant "ACHR-W"
// "ACHR-WT", a unit "AAM-U" "AAM-UN". kInvalidInput with the reason otherwise.
core::Result<std::string> normalizeSymbol(std::string_view raw);

struct RejectedSymbol {
  std::string symbol;  // as given
  std::string reason;
};

struct SymbolList {
  std::vector<std::string> symbols;  // normalised, de-duplicated, in first-seen order
  std::vector<RejectedSymbol> rejected;
  int duplicates = 0;
};

// Normalises a whole list: invalid entries are rejected with a reason, never sent.
SymbolList normalizeSymbols(const std::vector<std::string>& raw);

// A list already in a source's notation: entries that break contracts §1 are rejected with the
// reason, duplicates dropped, nothing mapped (a csv_http "ACHR-W" stays "ACHR-W").
SymbolList distinctValidSymbols(const std::vector<std::string>& symbols);

}  // namespace rawfeed::universe
