#pragma once

#include <string>
#include <string_view>

#include "sources/source.h"

namespace rawfeed::sources::yahoo {

inline constexpr std::string_view kDefaultBaseUrl = "https://query2.finance.yahoo.com";

// Percent-encodes everything but A-Z a-z 0-9 . - = _ ("^GSPC" -> "%5EGSPC"; "EURUSD=X" stays).
std::string percentEncode(std::string_view text);

// {base_url}/v8/finance/chart/{symbol}?interval=..&(range=..|period1=..[&period2=..])
// &events=div%7Csplit%7CcapitalGains&includePrePost=false. A window is period1/period2 (Yahoo reads
// a missing period2 as "now"); a lookback is Yahoo's range, which takes the domain's periods as
// they are.
std::string chartUrl(std::string_view base_url, const FetchRequest& request);

}  // namespace rawfeed::sources::yahoo
