#include "aws/credential_document.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/amz_time.h"

namespace rawfeed::aws {

namespace {

core::Error refused(std::string message) {
  return core::makeError(core::ErrorCode::kUnauthenticated, std::move(message));
}

}  // namespace

core::Result<Credentials> parseCredentialDocument(std::string_view body) {
  // No exceptions, and no parser message: nlohmann's would quote the bytes it last read.
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return refused("credentials document is not a JSON object");
  }
  if (auto code = json.find("Code");
      code != json.end() && code->is_string() && code->get<std::string>() != "Success") {
    return refused(fmt::format("credentials document has Code '{}'", code->get<std::string>()));
  }
  Credentials credentials;
  const auto text = [&](const char* field) -> std::optional<std::string> {
    auto it = json.find(field);
    if (it == json.end() || !it->is_string() || it->get<std::string>().empty()) {
      return std::nullopt;
    }
    return it->get<std::string>();
  };
  auto access_key = text("AccessKeyId");
  auto secret = text("SecretAccessKey");
  if (!access_key)
    return refused("credentials document lacks AccessKeyId");
  if (!secret)
    return refused("credentials document lacks SecretAccessKey");
  credentials.access_key_id = std::move(*access_key);
  credentials.secret_access_key = std::move(*secret);
  credentials.session_token = text("Token").value_or("");
  if (auto expiration = text("Expiration")) {
    credentials.expiration = parseIso8601(*expiration);
    if (!credentials.expiration)
      return refused("credentials document has a malformed Expiration");
  }
  return credentials;
}

}  // namespace rawfeed::aws
