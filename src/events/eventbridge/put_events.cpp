#include "events/eventbridge/put_events.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/api_operations.h"
#include "aws/aws_error.h"
#include "aws/hashing.h"
#include "aws/sigv4.h"

namespace rawfeed::events::eventbridge {

namespace {

core::ErrorCode entryErrorCode(std::string_view code) {
  if (code == "ThrottlingException")
    return core::ErrorCode::kThrottled;
  if (code == "InternalException" || code == "InternalFailure" || code == "ServiceUnavailable") {
    return core::ErrorCode::kTransient;
  }
  return core::ErrorCode::kInvalidInput;
}

}  // namespace

core::Result<std::string> putEventsBody(std::string_view event_json, std::string_view source,
                                        std::string_view event_bus) {
  auto event = nlohmann::json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded() || !event.is_object()) {
    return core::invalidInput("EventBridge PutEvents: the completion event is not a JSON object");
  }
  const auto detail_type = event.find("detail-type");
  const auto detail = event.find("detail");
  if (detail_type == event.end() || !detail_type->is_string()) {
    return core::invalidInput(
        "EventBridge PutEvents: the completion event has no string \"detail-type\"");
  }
  if (detail == event.end() || !detail->is_object()) {
    return core::invalidInput(
        "EventBridge PutEvents: the completion event has no object \"detail\"");
  }
  nlohmann::ordered_json entry;
  entry["Source"] = source;
  entry["DetailType"] = *detail_type;
  entry["Detail"] = detail->dump();
  entry["EventBusName"] = event_bus;
  nlohmann::ordered_json body;
  body["Entries"] = nlohmann::ordered_json::array({std::move(entry)});
  return body.dump();
}

core::Result<http::HttpRequest> buildPutEventsRequest(const aws::Endpoint& endpoint,
                                                      std::string_view region, std::string body,
                                                      const aws::Credentials& credentials,
                                                      core::SystemTime now,
                                                      aws::SigningKeyCache* cache) {
  const std::string path = endpoint.base_path + "/";
  aws::SigningRequest signing;
  signing.method = "POST";
  signing.path = path;
  signing.headers = {
      {"Host", endpoint.authority()},
      {"Content-Type", std::string(kJsonContentType)},
      {"X-Amz-Target", fmt::format("AWSEvents.{}", aws::events_api::kPutEvents.name)}};
  signing.payload_sha256_hex = aws::sha256Hex(body);
  const aws::SigningScope scope{std::string(region), "events", now};
  if (auto signed_ok = aws::sign(signing, credentials, scope, cache); !signed_ok.ok()) {
    return signed_ok.error();
  }
  http::HttpRequest request;
  request.method = "POST";
  request.url = endpoint.origin() + path;
  request.headers = std::move(signing.headers);
  request.body = std::move(body);
  return request;
}

core::Status readPutEventsAnswer(const http::HttpResponse& response) {
  if (response.status != 200) {
    return aws::toCoreError(aws::parseAwsError(response), "EventBridge PutEvents");
  }
  auto answer = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("FailedEntryCount")) {
    return core::makeError(
        core::ErrorCode::kPermanent,
        fmt::format("EventBridge PutEvents: HTTP 200 without a PutEvents answer (is the endpoint "
                    "EventBridge?): {:.120}",
                    response.body));
  }
  const auto& failed = answer["FailedEntryCount"];
  if (failed.is_number_integer() && failed.get<std::int64_t>() == 0)
    return core::okStatus();
  std::string code = "unknown";
  std::string message;
  if (const auto entries = answer.find("Entries"); entries != answer.end() && entries->is_array()) {
    for (const auto& entry : *entries) {
      if (entry.is_object() && entry.contains("ErrorCode")) {
        // Read by type: json::value() throws when the member is there but not a string.
        const auto& error_code = entry["ErrorCode"];
        if (error_code.is_string())
          code = error_code.get<std::string>();
        if (const auto text = entry.find("ErrorMessage"); text != entry.end() && text->is_string())
          message = text->get<std::string>();
        break;
      }
    }
  }
  return core::makeError(entryErrorCode(code),
                         fmt::format("EventBridge PutEvents: the entry failed: {}: {}", code,
                                     message.empty() ? "(no message)" : message));
}

}  // namespace rawfeed::events::eventbridge
