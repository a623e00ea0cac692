#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rawfeed::core {

// What a corporate action is: a cash dividend, a share split (or reverse split), or a fund's
// capital-gain distribution.
enum class CorporateActionKind { kDividend, kSplit, kCapitalGain };

// The action's `type` in the lake ("dividend", "split", "capital_gain").
constexpr std::string_view corporateActionKindName(CorporateActionKind kind) {
  switch (kind) {
    case CorporateActionKind::kDividend:
      return "dividend";
    case CorporateActionKind::kSplit:
      return "split";
    case CorporateActionKind::kCapitalGain:
      return "capital_gain";
  }
  return "dividend";
}

// One corporate action of one symbol, a row of the domain's corporate-actions table. Numbers are
// kept as the source's own text, as the bars' are; an empty text is a field the kind has not
// (a dividend has no numerator) or the source did not give (a currency).
struct CorporateAction {
  CorporateActionKind kind = CorporateActionKind::kDividend;
  std::int64_t timestamp = 0;  // the action's date (ex-date), unix seconds UTC
  std::string day;             // YYYY-MM-DD of `timestamp` in the exchange's time zone
  std::string amount;          // dividend, capital gain: per share, in `currency`
  std::string currency;        // the event's own, else the response's
  std::string numerator;       // split: new shares ...
  std::string denominator;     // ... for this many old ones
  std::string ratio;           // split: the source's text, "4:1"
};

}  // namespace rawfeed::core
