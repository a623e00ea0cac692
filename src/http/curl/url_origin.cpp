#include "http/curl/url_origin.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/ascii.h"

namespace rawfeed::http::curl {
namespace {

constexpr std::size_t kMaxMessageUrl = 160;

core::Error invalid(std::string_view why, std::string_view url) {
  return core::makeError(core::ErrorCode::kInvalidInput,
                         fmt::format("malformed URL ({}): {}", why, urlForMessage(url)));
}

bool allDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The authority without user info: "host", "host:port", "[v6]" or "[v6]:port".
std::string_view authorityOf(std::string_view rest) {
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  return authority;
}

}  // namespace

core::Result<std::string> urlOrigin(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) {
    return invalid("no scheme", url);
  }
  const std::string scheme = core::asciiLower(url.substr(0, sep));
  std::string_view default_port;
  if (scheme == "http") {
    default_port = "80";
  } else if (scheme == "https") {
    default_port = "443";
  } else {
    return invalid("unsupported scheme", url);
  }
  const std::string_view authority = authorityOf(url.substr(sep + 3));
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return invalid("unclosed IPv6 literal", url);
    }
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return invalid("junk after IPv6 literal", url);
      }
      port = after.substr(1);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of(" \t\r\n") != std::string_view::npos) {
    return invalid("no host", url);
  }
  if (port.empty()) {
    port = default_port;
  } else if (!allDigits(port) || port.size() > 5 || std::stoi(std::string(port)) > 65535 ||
             std::stoi(std::string(port)) == 0) {
    return invalid("bad port", url);
  }
  return fmt::format("{}://{}:{}", scheme, core::asciiLower(host), port);
}

std::string urlForMessage(std::string_view url) {
  std::string_view base = url.substr(0, url.find_first_of("?#"));
  std::string out;
  if (auto sep = base.find("://"); sep != std::string_view::npos) {
    const std::string_view rest = base.substr(sep + 3);
    const std::string_view authority = rest.substr(0, rest.find('/'));
    const auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
      out = fmt::format("{}://{}", base.substr(0, sep), rest.substr(at + 1));
    }
  }
  if (out.empty()) {
    out = std::string(base);
  }
  if (out.size() > kMaxMessageUrl) {
    out.resize(kMaxMessageUrl);
    out += "...";
  }
  return out;
}

}  // namespace rawfeed::http::curl
