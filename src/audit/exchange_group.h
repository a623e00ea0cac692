#pragma once

#include <string>
#include <string_view>

namespace rawfeed::audit {

// The group of symbols whose trading days a symbol is judged against, read from its Yahoo-style
// notation alone (the lake keeps no exchange: a raw object holds bars, a manifest keys and
// hashes). A proxy for "the same exchange", so that one market's holiday is never another's gap:
//   "^GSPC"                  -> "INDEX"    (indices)
//   "EURUSD=X"               -> "FX"       (currencies trade every weekday)
//   "GC=F"                   -> "FUTURES"
//   "BTC-USD", "ETH-EUR"     -> "CRYPTO"   (every day of the week)
//   "7203.T", "ORSTED.CO"    -> ".T", ".CO" (the exchange suffix)
//   "AAPL", "BRK-B", "ABR-PD"-> "US"       (no suffix: a US listing)
// Any other "=SUFFIX" is its own group "=SUFFIX". Upper-case input is expected (the lake's).
std::string exchangeGroup(std::string_view symbol);

}  // namespace rawfeed::audit
