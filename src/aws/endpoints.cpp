#include "aws/endpoints.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "aws/shared_config.h"
#include "aws/uri_encode.h"
#include "core/ascii.h"

namespace rawfeed::aws {

namespace {

std::string upperCase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// S3's rules for new buckets: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit.
bool validBucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63)
    return false;
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(bucket.front()) || !alnum(bucket.back()))
    return false;
  return std::all_of(bucket.begin(), bucket.end(),
                     [&](char c) { return alnum(c) || c == '-' || c == '.'; });
}

bool isIpHost(std::string_view host) {
  if (!host.empty() && host.front() == '[')
    return true;
  return !host.empty() && std::all_of(host.begin(), host.end(),
                                      [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

std::optional<std::string> environmentEndpoint(const EnvLookup& env, std::string_view service) {
  if (envFlag(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
    return std::nullopt;
  std::string service_variable = "AWS_ENDPOINT_URL_";
  service_variable += upperCase(service);
  if (auto url = envValue(env, service_variable))
    return url;
  if (auto url = envValue(env, "AWS_ENDPOINT_URL"))
    return url;
  return configProfileValue(env, "endpoint_url");
}

}  // namespace

std::string Endpoint::authority() const {
  return port ? fmt::format("{}:{}", host, *port) : host;
}

std::string Endpoint::origin() const {
  return fmt::format("{}://{}", scheme, authority());
}

core::Result<Endpoint> parseEndpoint(std::string_view url) {
  Endpoint endpoint;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return core::invalidInput(
        fmt::format("endpoint '{}' has no scheme (http:// or https://)", url));
  }
  endpoint.scheme = core::asciiLower(url.substr(0, scheme_end));
  if (endpoint.scheme != "http" && endpoint.scheme != "https") {
    return core::invalidInput(fmt::format("endpoint '{}': scheme must be http or https", url));
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#@") != std::string_view::npos) {
    return core::invalidInput(
        fmt::format("endpoint '{}' must not have a query, fragment or user", url));
  }
  const std::size_t path_start = std::min(rest.find('/'), rest.size());
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path = rest.substr(path_start);
  while (!path.empty() && path.back() == '/')
    path.remove_suffix(1);
  endpoint.base_path = std::string(path);

  std::size_t port_colon = std::string_view::npos;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return core::invalidInput(fmt::format("endpoint '{}': bad IPv6", url));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':')
        return core::invalidInput(fmt::format("endpoint '{}': bad host", url));
      port_colon = close + 1;
    }
  } else {
    port_colon = authority.find(':');
  }
  endpoint.host = std::string(authority.substr(0, port_colon));
  if (endpoint.host.empty())
    return core::invalidInput(fmt::format("endpoint '{}' has no host", url));
  if (port_colon != std::string_view::npos) {
    const std::string_view port = authority.substr(port_colon + 1);
    int value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value <= 0 || value > 65535) {
      return core::invalidInput(fmt::format("endpoint '{}' has a bad port", url));
    }
    endpoint.port = value;
  }
  return endpoint;
}

core::Result<std::string> resolveRegion(const EnvLookup& env) {
  if (auto region = envValue(env, "AWS_REGION"))
    return *region;
  if (auto region = envValue(env, "AWS_DEFAULT_REGION"))
    return *region;
  if (auto region = configProfileValue(env, "region"))
    return *region;
  return core::invalidInput(fmt::format(
      "no AWS region: set AWS_REGION, AWS_DEFAULT_REGION or 'region' of profile '{}' in {}",
      activeProfile(env), sharedConfigFiles(env).config.string()));
}

core::Result<Endpoint> resolveEndpoint(const EnvLookup& env, std::string_view service,
                                       std::string_view region,
                                       std::optional<std::string> configured) {
  std::optional<std::string> url = configured ? configured : environmentEndpoint(env, service);
  if (url) {
    auto endpoint = parseEndpoint(*url);
    if (endpoint)
      endpoint->custom = true;
    return endpoint;
  }
  if (region.empty())
    return core::invalidInput(fmt::format("no region for the {} endpoint", service));
  const bool china = region.rfind("cn-", 0) == 0;
  return Endpoint{"https",
                  fmt::format("{}.{}.amazonaws.com{}", service, region, china ? ".cn" : ""),
                  std::nullopt, "", false};
}

core::Result<S3Addressing> parseS3Addressing(std::string_view text) {
  if (text == "auto")
    return S3Addressing::kAuto;
  if (text == "path")
    return S3Addressing::kPath;
  if (text == "virtual")
    return S3Addressing::kVirtualHosted;
  return core::invalidInput(fmt::format("S3 addressing '{}' must be auto, path or virtual", text));
}

core::Result<S3Target> s3Target(const Endpoint& endpoint, std::string_view bucket,
                                std::string_view key, S3Addressing addressing,
                                std::string_view query) {
  if (!validBucket(bucket))
    return core::invalidInput(fmt::format("'{}' is not a valid S3 bucket name", bucket));
  const bool dns_label = bucket.find('.') == std::string_view::npos;
  if (addressing == S3Addressing::kAuto) {
    addressing = !endpoint.custom && dns_label && !isIpHost(endpoint.host)
                     ? S3Addressing::kVirtualHosted
                     : S3Addressing::kPath;
  }
  if (addressing == S3Addressing::kVirtualHosted && isIpHost(endpoint.host)) {
    return core::invalidInput(
        fmt::format("virtual-hosted addressing needs a host name, not {}", endpoint.host));
  }
  S3Target target;
  target.path = endpoint.base_path;
  target.host = endpoint.authority();
  if (addressing == S3Addressing::kPath) {
    target.path += '/';
    target.path += bucket;
    if (!key.empty())
      target.path += '/';
  } else {
    target.host = fmt::format("{}.{}", bucket, target.host);
    target.path += '/';
  }
  target.path += encodeS3Key(key);
  target.url = fmt::format("{}://{}{}", endpoint.scheme, target.host, target.path);
  if (!query.empty())
    target.url += fmt::format("?{}", query);
  return target;
}

}  // namespace rawfeed::aws
