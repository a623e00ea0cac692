#include "aws/instance_metadata_provider.h"

#include <fmt/format.h>

#include "aws/credential_document.h"

namespace rawfeed::aws {

namespace {

constexpr std::string_view kDefaultEndpoint = "http://169.254.169.254";
constexpr std::string_view kRolesPath = "/latest/meta-data/iam/security-credentials/";
// Six hours, the SDKs' value; one token per credentials() call is plenty at refresh rates.
constexpr std::string_view kTokenTtlSeconds = "21600";

struct Exchange {
  const std::string& endpoint;
  bool explicit_endpoint;
  http::HttpClient& http;
  std::chrono::milliseconds timeout;

  // The answer, whatever its status; only a failed exchange is an error here.
  core::Result<http::HttpResponse> call(std::string method, std::string_view path,
                                        http::Headers headers, std::string_view what) const {
    http::HttpRequest request;
    request.method = std::move(method);
    request.url = endpoint + std::string(path);
    request.headers = std::move(headers);
    request.timeout = timeout;
    auto response = http.perform(std::move(request));
    if (!response) {
      return core::makeError(
          explicit_endpoint ? core::ErrorCode::kTransient : core::ErrorCode::kUnauthenticated,
          fmt::format("{} unreachable ({}): {}", endpoint, what, response.error().message));
    }
    return response;
  }
};

// The body of a 200 answer, or the failure classified by status.
core::Result<std::string> bodyOf(core::Result<http::HttpResponse> response, std::string_view what) {
  if (!response)
    return response.error();
  if (response->status == 200)
    return std::move(response->body);
  const auto code = response->status >= 500 || response->status == 429
                        ? core::ErrorCode::kTransient
                        : core::ErrorCode::kUnauthenticated;
  return core::makeError(code, fmt::format("{} answered {}", what, response->status));
}

std::string firstLine(std::string_view text) {
  std::string_view line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.remove_suffix(1);
  return std::string(line);
}

}  // namespace

core::Result<Credentials> InstanceMetadataProvider::credentials() {
  if (envFlag(env_, "AWS_EC2_METADATA_DISABLED")) {
    return core::makeError(core::ErrorCode::kUnauthenticated,
                           "disabled (AWS_EC2_METADATA_DISABLED)");
  }
  auto configured = envValue(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  std::string endpoint = configured.value_or(std::string(kDefaultEndpoint));
  while (!endpoint.empty() && endpoint.back() == '/')
    endpoint.pop_back();
  const Exchange exchange{endpoint, configured.has_value(), http_, timeout_};

  auto token = bodyOf(
      exchange.call("PUT", "/latest/api/token",
                    {{"X-aws-ec2-metadata-token-ttl-seconds", std::string(kTokenTtlSeconds)}},
                    "token request"),
      "token request");
  if (!token)
    return token.error();
  const http::Headers with_token{{"X-aws-ec2-metadata-token", *token}};

  auto listing = exchange.call("GET", kRolesPath, with_token, "role listing");
  if (listing && listing->status == 404) {
    return core::makeError(core::ErrorCode::kUnauthenticated, "no IAM role attached");
  }
  auto roles = bodyOf(std::move(listing), "role listing");
  if (!roles)
    return roles.error();
  const std::string role = firstLine(*roles);
  if (role.empty())
    return core::makeError(core::ErrorCode::kUnauthenticated, "no IAM role attached");

  const std::string what = fmt::format("role '{}'", role);
  auto document =
      bodyOf(exchange.call("GET", std::string(kRolesPath) + role, with_token, what), what);
  if (!document)
    return document.error();
  auto parsed = parseCredentialDocument(*document);
  if (!parsed) {
    return core::makeError(parsed.error().code,
                           fmt::format("role '{}': {}", role, parsed.error().message));
  }
  return parsed;
}

}  // namespace rawfeed::aws
