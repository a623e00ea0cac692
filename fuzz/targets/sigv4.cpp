// SigV4 canonicalisation on requests in the test suite's .req form ("METHOD target HTTP/1.1",
// header lines, a line starting with blanks continuing the previous value, a blank line, the
// body), so the suite's own cases seed it. For S3 and other services: the canonical URI, query
// and headers keep their grammar, URI encoding round-trips, and sign() is deterministic (again,
// with the key cache, on an already signed request) and adds exactly one Authorization.
#include <algorithm>

#include "aws/hashing.h"
#include "aws/signing_key.h"
#include "aws/sigv4.h"
#include "aws/uri_encode.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace rawfeed;
using aws::SigningRequest;

bool isUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

bool isUpperHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

// Only unreserved bytes, `keep` and %XX escapes with upper-case hex.
bool isEncoded(std::string_view text, std::string_view keep) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (isUnreserved(text[i]) || keep.find(text[i]) != std::string_view::npos)
      continue;
    if (text[i] != '%' || i + 2 >= text.size() || !isUpperHex(text[i + 1]) ||
        !isUpperHex(text[i + 2])) {
      return false;
    }
    i += 2;
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const std::string_view pair = query.substr(0, query.find('&'));
    const std::size_t eq = pair.find('=');
    out.emplace_back(
        aws::percentDecode(pair.substr(0, eq)),
        eq == std::string_view::npos ? std::string() : aws::percentDecode(pair.substr(eq + 1)));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
  }
  return out;
}

SigningRequest parseRequest(std::string_view text) {
  SigningRequest request;
  auto [request_line, rest] = fuzz::splitLine(text);
  const std::size_t first_space = request_line.find(' ');
  request.method = std::string(request_line.substr(0, first_space));
  if (first_space != std::string_view::npos) {
    std::string_view target = request_line.substr(first_space + 1);
    const std::size_t last_space = target.rfind(' ');
    if (last_space != std::string_view::npos)
      target = target.substr(0, last_space);
    const std::size_t question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos)
      request.query = parseQuery(target.substr(question + 1));
  }
  while (!rest.empty()) {
    auto [line, after] = fuzz::splitLine(rest);
    rest = after;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (line.empty())
      break;
    if ((line.front() == ' ' || line.front() == '\t') && !request.headers.empty()) {
      request.headers.back().second += '\n';
      request.headers.back().second += line;
      continue;
    }
    const std::size_t colon = line.find(':');
    request.headers.emplace_back(
        std::string(line.substr(0, colon)),
        colon == std::string_view::npos ? std::string() : std::string(line.substr(colon + 1)));
  }
  request.payload_sha256_hex = aws::sha256Hex(rest);
  return request;
}

std::size_t countHeader(const http::Headers& headers, std::string_view name) {
  return static_cast<std::size_t>(std::count_if(headers.begin(), headers.end(),
                                                [&](const auto& h) { return h.first == name; }));
}

void checkEncoding(std::string_view text) {
  const std::string encoded = aws::uriEncode(text);
  FUZZ_CHECK(isEncoded(encoded, ""), "uriEncode left a reserved byte: " + encoded);
  FUZZ_CHECK(aws::percentDecode(encoded) == text, "percentDecode(uriEncode(x)) != x");
  const std::string path = aws::encodeS3Key(text);
  FUZZ_CHECK(isEncoded(path, "/"), "encodeS3Key left a reserved byte: " + path);
  FUZZ_CHECK(aws::percentDecode(path) == text, "percentDecode(encodeS3Key(x)) != x");
}

void checkCanonical(const SigningRequest& request, std::string_view service) {
  const std::string uri = aws::canonicalUri(request.path, service);
  FUZZ_CHECK(!uri.empty() && uri.front() == '/', "canonical URI '" + uri + "'");
  FUZZ_CHECK(isEncoded(uri, "/"), "canonical URI not encoded: " + uri);
  if (service == "s3") {
    FUZZ_CHECK(aws::canonicalUri(uri, service) == uri, "S3's canonical URI is no fixed point");
  } else {
    FUZZ_CHECK(uri.find("//") == std::string::npos, "'//' left in " + uri);
  }
  const std::string query = aws::canonicalQuery(request.query);
  FUZZ_CHECK(isEncoded(query, "=&"), "canonical query not encoded: " + query);

  const std::string headers = aws::canonicalHeaders(request.headers);
  const std::string names = aws::signedHeaders(request.headers);
  // Names as HTTP allows them (never empty, no ':'), and without the list's own ';'.
  const bool plain_names =
      std::none_of(request.headers.begin(), request.headers.end(), [](const auto& header) {
        return header.first.empty() || header.first.find_first_of(":;\n") != std::string::npos;
      });
  if (plain_names) {
    // One canonical line per signed name, in the same order.
    std::string listed;
    std::size_t start = 0;
    while (start < headers.size()) {
      const std::size_t colon = headers.find(':', start);
      FUZZ_CHECK(colon != std::string::npos, "a canonical header line without ':'");
      if (start > 0)
        listed += ';';
      listed += headers.substr(start, colon - start);
      const std::size_t end = headers.find('\n', colon);
      FUZZ_CHECK(end != std::string::npos, "a canonical header line without '\\n'");
      start = end + 1;
    }
    FUZZ_CHECK(listed == names, "canonical headers list " + listed + ", signed " + names);
  }
  (void)aws::canonicalRequest(request, service);
}

void checkSign(const SigningRequest& request, std::string_view service, bool token) {
  const aws::Credentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                     token ? "session-token" : "", std::nullopt};
  const aws::SigningScope scope{"us-east-1", std::string(service),
                                core::SystemTime(std::chrono::seconds(1'440'938'160))};
  SigningRequest first = request;
  const auto status = aws::sign(first, credentials, scope);
  const bool has_host =
      std::any_of(request.headers.begin(), request.headers.end(), [](const auto& header) {
        std::string name = header.first;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return name == "host";
      });
  FUZZ_CHECK(status.ok() == has_host, "sign() and the Host header disagree");
  if (!status.ok())
    return;
  FUZZ_CHECK(countHeader(first.headers, "Authorization") == 1, "not one Authorization");
  FUZZ_CHECK(countHeader(first.headers, "X-Amz-Date") == 1, "not one X-Amz-Date");
  const std::string authorization =
      http::HttpResponse{0, first.headers, {}, 0}.header("Authorization").value_or("");
  const std::string prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/" +
                             std::string(service) + "/aws4_request, SignedHeaders=";
  FUZZ_CHECK(authorization.rfind(prefix, 0) == 0, authorization);

  aws::SigningKeyCache cache;
  SigningRequest cached = request;
  FUZZ_CHECK(aws::sign(cached, credentials, scope, &cache).ok(), "sign() with the cache failed");
  SigningRequest again = first;
  FUZZ_CHECK(aws::sign(again, credentials, scope, &cache).ok(), "signing again failed");
  const auto header = [](const SigningRequest& r) {
    return http::HttpResponse{0, r.headers, {}, 0}.header("Authorization").value_or("");
  };
  FUZZ_CHECK(header(cached) == authorization, "the key cache changed the signature");
  FUZZ_CHECK(header(again) == authorization, "signing a signed request changed the signature");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  const SigningRequest request = parseRequest(text);
  checkEncoding(fuzz::splitLine(text).first);
  for (const std::string_view service : {"service", "s3"}) {
    checkCanonical(request, service);
    checkSign(request, service, service == "s3");
  }
  return 0;
}
