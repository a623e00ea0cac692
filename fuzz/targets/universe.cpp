// Universe files: parseUniverse (a JSON array of strings, or one symbol a line with comments)
// and the normalisation every entry then goes through. Entries of the line form are trimmed
// single lines that read back the same when written one a line; normalised symbols are valid,
// unique, a fixed point of normalisation, and every entry is either kept, a duplicate or
// rejected with a reason.
#include <algorithm>

#include "fuzz/fuzz_support.h"
#include "universe/symbol.h"
#include "universe/universe_file.h"

namespace {

using namespace rawfeed;

void checkLines(const std::vector<std::string>& entries) {
  std::string joined;
  for (const auto& entry : entries) {
    FUZZ_CHECK(!entry.empty(), "an empty entry");
    FUZZ_CHECK(entry.find_first_of("\n#") == std::string::npos, "entry '" + entry + "'");
    FUZZ_CHECK(entry.front() != ' ' && entry.front() != '\t' && entry.back() != ' ' &&
                   entry.back() != '\t' && entry.back() != '\r',
               "an untrimmed entry '" + entry + "'");
    joined += entry;
    joined += '\n';
  }
  if (!entries.empty() && entries.front().front() == '[')
    return;  // written back, it would read as JSON
  const auto again = universe::parseUniverse(joined, "again");
  FUZZ_CHECK(again.ok() && *again == entries, "entries do not read back one a line");
}

void checkNormalized(const std::vector<std::string>& entries) {
  const universe::SymbolList list = universe::normalizeSymbols(entries);
  FUZZ_CHECK(
      list.symbols.size() + list.rejected.size() + static_cast<std::size_t>(list.duplicates) ==
          entries.size(),
      "entries lost in normalisation");
  std::vector<std::string> sorted = list.symbols;
  std::sort(sorted.begin(), sorted.end());
  FUZZ_CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), "a duplicate kept");
  for (const auto& symbol : list.symbols) {
    FUZZ_CHECK(universe::isValidSymbol(symbol), "invalid symbol '" + symbol + "' kept");
    const auto again = universe::normalizeSymbol(symbol);
    FUZZ_CHECK(again.ok() && *again == symbol, "'" + symbol + "' is no fixed point");
  }
  for (const auto& rejected : list.rejected)
    FUZZ_CHECK(!rejected.reason.empty(), "'" + rejected.symbol + "' rejected without a reason");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  const auto entries = universe::parseUniverse(text, "fuzz.txt");
  if (!entries.ok()) {
    FUZZ_CHECK(entries.error().code == core::ErrorCode::kInvalidInput, "not kInvalidInput");
    FUZZ_CHECK(entries.error().message.rfind("fuzz.txt", 0) == 0, "an error not naming the file");
    return 0;
  }
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '[')
    checkLines(*entries);
  checkNormalized(*entries);
  return 0;
}
