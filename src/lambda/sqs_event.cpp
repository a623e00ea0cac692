#include "lambda/sqs_event.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "core/time_format.h"

namespace rawfeed::lambda {

namespace {

core::Error invalid(const std::string& message) {
  return core::makeError(core::ErrorCode::kInvalidInput, "not an SQS event: " + message);
}

bool parseInteger(const std::string& text, std::int64_t& out) {
  const auto* end = text.data() + text.size();
  return !text.empty() && std::from_chars(text.data(), end, out).ptr == end;
}

}  // namespace

core::Result<std::vector<queue::ReceivedMessage>> parseSqsEvent(std::string_view json) {
  const auto document = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded())
    return invalid("the payload is not JSON");
  if (!document.is_object())
    return invalid("the payload is not a JSON object");
  const auto records = document.find("Records");
  if (records == document.end() || !records->is_array()) {
    return invalid("no \"Records\" array");
  }
  if (records->empty())
    return invalid("\"Records\" is empty");
  std::vector<queue::ReceivedMessage> messages;
  std::size_t index = 0;
  for (const auto& record : *records) {
    const std::string where = fmt::format("Records[{}]", index++);
    if (!record.is_object())
      return invalid(where + " is not an object");
    auto text = [&](const char* member, std::string& out) -> core::Status {
      const auto found = record.find(member);
      if (found == record.end() || !found->is_string()) {
        return invalid(fmt::format("{}.{} is missing or not a string", where, member));
      }
      out = found->get<std::string>();
      return core::okStatus();
    };
    queue::ReceivedMessage message;
    for (auto [member, out] :
         {std::pair{"messageId", &message.message_id},
          std::pair{"receiptHandle", &message.receipt_handle}, std::pair{"body", &message.body}}) {
      if (auto status = text(member, *out); !status.ok())
        return status.error();
    }
    if (message.message_id.empty())
      return invalid(where + ".messageId is empty");
    message.receive_count = 1;
    const auto attributes = record.find("attributes");
    if (attributes != record.end() && attributes->is_object()) {
      if (const auto count = attributes->find("ApproximateReceiveCount");
          count != attributes->end()) {
        std::int64_t value = 0;
        if (!count->is_string() || !parseInteger(count->get<std::string>(), value) || value < 1) {
          return invalid(where + ".attributes.ApproximateReceiveCount is not a positive number");
        }
        message.receive_count = static_cast<int>(std::min<std::int64_t>(value, 1 << 30));
      }
      if (const auto sent = attributes->find("SentTimestamp"); sent != attributes->end()) {
        std::int64_t millis = 0;
        if (sent->is_string() && parseInteger(sent->get<std::string>(), millis)) {
          message.sent_at = core::fromUnixMillis(millis).value_or(core::SystemTime{});
        }
      }
    }
    messages.push_back(std::move(message));
  }
  return messages;
}

std::string batchItemFailures(const std::vector<std::string>& message_ids) {
  nlohmann::ordered_json failures = nlohmann::ordered_json::array();
  std::set<std::string> seen;
  for (const auto& id : message_ids) {
    if (seen.insert(id).second)
      failures.push_back({{"itemIdentifier", id}});
  }
  nlohmann::ordered_json document;
  document["batchItemFailures"] = std::move(failures);
  return document.dump();
}

}  // namespace rawfeed::lambda
