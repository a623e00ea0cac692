#include "aws/container_provider.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "aws/credential_document.h"

namespace rawfeed::aws {

namespace {

constexpr std::string_view kEcsHost = "http://169.254.170.2";

std::string_view hostOf(std::string_view url) {
  const std::size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  rest = rest.substr(rest.find('@') == std::string_view::npos ? 0 : rest.find('@') + 1);
  if (!rest.empty() && rest.front() == '[')
    return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

// 127.0.0.0/8 as a dotted quad; "127.0.0.1.example.com" is a host name, not loopback.
bool isLoopbackIpv4(std::string_view host) {
  int octets = 0;
  int first = -1;
  while (!host.empty()) {
    const std::size_t dot = std::min(host.find('.'), host.size());
    const std::string_view part = host.substr(0, dot);
    if (part.empty() || part.size() > 3 ||
        part.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
    const int value = std::stoi(std::string(part));
    if (value > 255)
      return false;
    if (first < 0)
      first = value;
    ++octets;
    host.remove_prefix(std::min(host.size(), dot + 1));
  }
  return octets == 4 && first == 127;
}

core::Result<std::string> authorizationToken(const EnvLookup& env) {
  if (auto file = envValue(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    std::ifstream in(*file, std::ios::binary);
    if (!in)
      return core::unauthenticated(
          fmt::format("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {}", *file));
    std::ostringstream text;
    text << in.rdbuf();
    std::string token = text.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r'))
      token.pop_back();
    return token;
  }
  return envValue(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or("");
}

}  // namespace

bool containerUriAllowed(std::string_view url) {
  if (url.starts_with("https://"))
    return true;
  if (!url.starts_with("http://"))
    return false;
  const std::string_view host = hostOf(url);
  return isLoopbackIpv4(host) || host == "localhost" || host == "[::1]" ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

core::Result<Credentials> ContainerProvider::credentials() {
  std::string url;
  if (auto relative = envValue(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    url = std::string(kEcsHost);
    if (relative->front() != '/')
      url += '/';
    url += *relative;
  } else if (auto full = envValue(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    if (!containerUriAllowed(*full)) {
      return core::unauthenticated(fmt::format(
          "AWS_CONTAINER_CREDENTIALS_FULL_URI host '{}' is not allowed over http", hostOf(*full)));
    }
    url = *full;
  } else {
    return core::unauthenticated("not configured");
  }
  auto token = authorizationToken(env_);
  if (!token)
    return token.error();
  if (token->find_first_of("\r\n") != std::string::npos) {
    return core::unauthenticated("authorization token contains a line break");
  }

  http::HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.timeout = timeout_;
  request.headers.emplace_back("Accept", "application/json");
  if (!token->empty())
    request.headers.emplace_back("Authorization", *token);
  auto response = http_.perform(std::move(request));
  if (!response) {
    return core::makeError(core::ErrorCode::kTransient,
                           fmt::format("{}: {}", url, response.error().message));
  }
  if (response->status >= 500 || response->status == 429) {
    return core::makeError(core::ErrorCode::kTransient,
                           fmt::format("{} answered {}", url, response->status));
  }
  if (response->status != 200) {
    return core::unauthenticated(fmt::format("{} answered {}", url, response->status));
  }
  auto parsed = parseCredentialDocument(response->body);
  if (!parsed)
    return core::unauthenticated(fmt::format("{}: {}", url, parsed.error().message));
  return parsed;
}

}  // namespace rawfeed::aws
