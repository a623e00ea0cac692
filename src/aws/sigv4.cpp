#include "aws/sigv4.h"

#include <algorithm>
#include <map>

#include "aws/amz_time.h"
#include "aws/hashing.h"
#include "aws/signing_key.h"
#include "aws/uri_encode.h"
#include "core/ascii.h"

namespace rawfeed::aws {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool isBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

// Trims one line of a header value and collapses inner runs of blanks to a single space.
std::string collapseBlanks(std::string_view line) {
  std::string out;
  bool pending_space = false;
  for (const char c : line) {
    if (isBlank(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space)
      out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// A folded (obs-fold) value is several values in AWS's eyes: its lines join with ','.
std::string canonicalValue(std::string_view value) {
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (start <= value.size()) {
    const std::size_t end = std::min(value.find('\n', start), value.size());
    std::string line = collapseBlanks(value.substr(start, end - start));
    if (!line.empty() || first) {
      if (!first)
        out += ',';
      out += line;
      first = false;
    }
    start = end + 1;
  }
  return out;
}

std::vector<std::string> splitSegments(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    segments.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

// RFC 3986 dot-segment removal, plus collapsing empty segments ("//") as AWS does for every
// service but S3.
std::string normalisedEncodedPath(std::string_view path) {
  std::vector<std::string> kept;
  bool trailing_slash = false;
  for (const std::string& segment : splitSegments(path)) {
    trailing_slash = segment.empty() || segment == "." || segment == "..";
    if (segment.empty() || segment == ".")
      continue;
    if (segment == "..") {
      if (!kept.empty())
        kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  std::string out;
  for (const std::string& segment : kept) {
    out += '/';
    out += uriEncode(segment);
  }
  if (out.empty() || trailing_slash)
    out += '/';
  return out;
}

std::string s3EncodedPath(std::string_view path) {
  if (path.empty())
    return "/";
  std::string out;
  bool first = true;
  for (const std::string& segment : splitSegments(path)) {
    if (!first)
      out += '/';
    out += uriEncode(percentDecode(segment));
    first = false;
  }
  if (out.empty() || out.front() != '/')
    out.insert(out.begin(), '/');
  return out;
}

bool hasHeader(const http::Headers& headers, std::string_view lower_name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& header) {
    return core::asciiLower(header.first) == lower_name;
  });
}

void setHeader(http::Headers& headers, std::string name, std::string value) {
  const std::string lower = core::asciiLower(name);
  std::erase_if(headers,
                [&](const auto& header) { return core::asciiLower(header.first) == lower; });
  headers.emplace_back(std::move(name), std::move(value));
}

}  // namespace

std::string canonicalUri(std::string_view path, std::string_view service) {
  return service == "s3" ? s3EncodedPath(path) : normalisedEncodedPath(path);
}

std::string canonicalQuery(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query)
    encoded.emplace_back(uriEncode(name), uriEncode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty())
      out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string canonicalHeaders(const http::Headers& headers) {
  std::map<std::string, std::string> merged;  // sorted by lower-case name
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = merged.try_emplace(core::asciiLower(name), canonicalValue(value));
    if (!inserted) {
      it->second += ',';
      it->second += canonicalValue(value);
    }
  }
  std::string out;
  for (const auto& [name, value] : merged) {
    out += name;
    out += ':';
    out += value;
    out += '\n';
  }
  return out;
}

std::string signedHeaders(const http::Headers& headers) {
  std::vector<std::string> names;
  for (const auto& header : headers)
    names.push_back(core::asciiLower(header.first));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty())
      out += ';';
    out += name;
  }
  return out;
}

std::string canonicalRequest(const SigningRequest& request, std::string_view service) {
  std::string out = request.method;
  out += '\n';
  out += canonicalUri(request.path, service);
  out += '\n';
  out += canonicalQuery(request.query);
  out += '\n';
  out += canonicalHeaders(request.headers);
  out += '\n';
  out += signedHeaders(request.headers);
  out += '\n';
  // An empty hash means "no body" rather than a forgotten one: S3 checks the body against it.
  out += request.payload_sha256_hex.empty() ? kEmptyPayloadSha256 : request.payload_sha256_hex;
  return out;
}

std::string credentialScope(const SigningScope& scope) {
  std::string out = formatAmzDay(scope.time);
  out += '/';
  out += scope.region;
  out += '/';
  out += scope.service;
  out += "/aws4_request";
  return out;
}

std::string stringToSign(std::string_view canonical_request, const SigningScope& scope) {
  std::string out(kAlgorithm);
  out += '\n';
  out += formatAmzDate(scope.time);
  out += '\n';
  out += credentialScope(scope);
  out += '\n';
  out += sha256Hex(canonical_request);
  return out;
}

std::string authorizationHeader(std::string_view access_key_id, const SigningScope& scope,
                                std::string_view signed_headers, std::string_view signature_hex) {
  std::string out(kAlgorithm);
  out += " Credential=";
  out += access_key_id;
  out += '/';
  out += credentialScope(scope);
  out += ", SignedHeaders=";
  out += signed_headers;
  out += ", Signature=";
  out += signature_hex;
  return out;
}

core::Status sign(SigningRequest& request, const Credentials& credentials,
                  const SigningScope& scope, SigningKeyCache* cache) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput, "cannot sign: empty AWS credentials");
  }
  if (!hasHeader(request.headers, "host")) {
    return core::makeError(core::ErrorCode::kInvalidInput, "cannot sign: no Host header");
  }
  std::erase_if(request.headers, [](const auto& header) {
    return core::asciiLower(header.first) == "authorization";
  });
  setHeader(request.headers, "X-Amz-Date", formatAmzDate(scope.time));
  if (!credentials.session_token.empty()) {
    setHeader(request.headers, "X-Amz-Security-Token", credentials.session_token);
  }
  if (scope.service == "s3") {
    setHeader(request.headers, "x-amz-content-sha256",
              request.payload_sha256_hex.empty() ? std::string(kEmptyPayloadSha256)
                                                 : request.payload_sha256_hex);
  }
  const std::string key = cache != nullptr ? cache->get(credentials.secret_access_key, scope)
                                           : signingKey(credentials.secret_access_key, scope);
  const std::string signature =
      hexEncode(hmacSha256(key, stringToSign(canonicalRequest(request, scope.service), scope)));
  request.headers.emplace_back("Authorization",
                               authorizationHeader(credentials.access_key_id, scope,
                                                   signedHeaders(request.headers), signature));
  return core::okStatus();
}

}  // namespace rawfeed::aws
