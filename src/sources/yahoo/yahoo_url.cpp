#include "sources/yahoo/yahoo_url.h"

#include <fmt/format.h>

namespace rawfeed::sources::yahoo {
namespace {

bool isUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '=' || c == '_';
}

}  // namespace

std::string percentEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (isUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string chartUrl(std::string_view base_url, const FetchRequest& request) {
  while (!base_url.empty() && base_url.back() == '/') {
    base_url.remove_suffix(1);
  }
  std::string url = fmt::format("{}/v8/finance/chart/{}?interval={}", base_url,
                                percentEncode(request.symbol), percentEncode(request.interval));
  if (request.window) {
    url += fmt::format("&period1={}", request.window->start);
    if (request.window->end) {
      url += fmt::format("&period2={}", *request.window->end);
    }
  } else {
    url += fmt::format("&range={}", percentEncode(request.lookback));
  }
  url += "&events=div%7Csplit%7CcapitalGains&includePrePost=false";
  return url;
}

}  // namespace rawfeed::sources::yahoo
