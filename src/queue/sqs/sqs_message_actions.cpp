#include "queue/sqs/sqs_message_actions.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/api_operations.h"
#include "core/time_format.h"
#include "queue/sqs/sqs_errors.h"
#include "queue/sqs/sqs_json.h"

namespace rawfeed::queue::sqs {
namespace {

using nlohmann::json;

// Batch entry ids are positions ("0".."9"): receipt handles are far longer than the 80
// characters SQS allows an entry id, and positions map back without a lookup table.
std::string entryId(std::size_t index) {
  return std::to_string(index);
}

// The "Failed" entries of a batch answer, named by `name_of(entry id)`.
template <class NameOf>
core::Result<std::vector<EntryFailure>> failedEntries(std::string_view action, const json& answer,
                                                      NameOf name_of) {
  std::vector<EntryFailure> failed;
  auto it = answer.find("Failed");
  if (it == answer.end() || it->is_null())
    return failed;
  if (!it->is_array())
    return malformed(action, "Failed is not an array");
  for (const json& entry : *it) {
    if (!entry.is_object())
      return malformed(action, "a Failed entry is not an object");
    auto name = name_of(stringField(entry, "Id"));
    if (!name)
      return malformed(action, "a Failed entry names no entry of the request");
    auto fault = entry.find("SenderFault");
    const bool sender_fault = fault != entry.end() && fault->is_boolean() && fault->get<bool>();
    failed.push_back({*name, entryError(action, stringField(entry, "Code"),
                                        stringField(entry, "Message"), sender_fault)});
  }
  return failed;
}

std::optional<std::string> handleAt(std::span<const std::string> handles, const std::string& id) {
  std::size_t index = 0;
  auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), index);
  if (error != std::errc() || end != id.data() + id.size() || index >= handles.size()) {
    return std::nullopt;
  }
  return handles[index];
}

core::Result<ReceivedMessage> parseMessage(const json& message) {
  constexpr std::string_view kAction = aws::sqs_api::kReceiveMessage.name;
  if (!message.is_object())
    return malformed(kAction, "a message is not an object");
  ReceivedMessage out;
  out.message_id = stringField(message, "MessageId");
  out.receipt_handle = stringField(message, "ReceiptHandle");
  out.body = stringField(message, "Body");
  if (out.receipt_handle.empty())
    return malformed(kAction, "a message without ReceiptHandle");
  const json no_attributes = json::object();
  auto attributes_it = message.find("Attributes");
  const json& attributes =
      attributes_it != message.end() && attributes_it->is_object() ? *attributes_it : no_attributes;
  const auto count = integerField(attributes, "ApproximateReceiveCount");
  if (!count || *count < 1) {
    return malformed(kAction, fmt::format("message {} without a positive ApproximateReceiveCount",
                                          out.message_id));
  }
  // Bounded as Lambda's SQS event is: no queue keeps a count beyond an int, and the worker's
  // arithmetic on it must not overflow.
  out.receive_count = static_cast<int>(std::min<std::int64_t>(*count, 1 << 30));
  if (const auto sent_ms = integerField(attributes, "SentTimestamp")) {
    out.sent_at = core::fromUnixMillis(*sent_ms).value_or(core::SystemTime{});
  }
  return out;
}

}  // namespace

core::Result<SendBatchResult> sendMessageBatch(SqsClient& client, const std::string& queue_url,
                                               std::span<const OutgoingMessage> messages) {
  constexpr std::string_view kAction = aws::sqs_api::kSendMessageBatch.name;
  json entries = json::array();
  for (const auto& message : messages) {
    json entry = {{"Id", message.id}, {"MessageBody", message.body}};
    if (message.delay.count() > 0)
      entry["DelaySeconds"] = message.delay.count();
    entries.push_back(std::move(entry));
  }
  auto answer = client.call(kAction, {{"QueueUrl", queue_url}, {"Entries", std::move(entries)}});
  if (!answer.ok())
    return answer.error();

  std::map<std::string, bool> requested;  // id -> answered
  for (const auto& message : messages)
    requested.emplace(message.id, false);
  const auto known = [&](const std::string& id) -> std::optional<std::string> {
    auto it = requested.find(id);
    if (it == requested.end() || it->second)
      return std::nullopt;
    it->second = true;
    return id;
  };
  SendBatchResult result;
  auto failed = failedEntries(kAction, *answer, known);
  if (!failed.ok())
    return failed.error();
  result.failed = std::move(failed).value();
  if (auto it = answer->find("Successful"); it != answer->end() && it->is_array()) {
    for (const json& entry : *it) {
      if (auto id = known(entry.is_object() ? stringField(entry, "Id") : std::string())) {
        result.sent_ids.push_back(*id);
      }
    }
  }
  // An entry the answer does not mention was not confirmed: report it so it is sent again
  // rather than assumed sent.
  for (const auto& message : messages) {
    if (!requested.at(message.id)) {
      result.failed.push_back(
          {message.id, core::makeError(core::ErrorCode::kTransient,
                                       fmt::format("SQS {}: the answer does not mention entry '{}'",
                                                   kAction, message.id))});
    }
  }
  return result;
}

core::Result<std::vector<ReceivedMessage>> receiveMessage(SqsClient& client,
                                                          const std::string& queue_url,
                                                          const ReceiveRequest& request) {
  const json attributes = json::array({"ApproximateReceiveCount", "SentTimestamp"});
  json body = {{"QueueUrl", queue_url},
               {"MaxNumberOfMessages", request.max_messages},
               {"WaitTimeSeconds", request.wait.count()},
               {"MessageSystemAttributeNames", attributes},
               {"AttributeNames", attributes}};
  if (request.visibility)
    body["VisibilityTimeout"] = request.visibility->count();
  auto answer =
      client.call(aws::sqs_api::kReceiveMessage.name, body, CallOptions{request.wait, true, {}});
  if (!answer.ok())
    return answer.error();
  std::vector<ReceivedMessage> messages;
  auto it = answer->find("Messages");
  if (it == answer->end() || it->is_null())
    return messages;
  if (!it->is_array())
    return malformed(aws::sqs_api::kReceiveMessage.name, "Messages is not an array");
  for (const json& message : *it) {
    auto parsed = parseMessage(message);
    if (!parsed.ok())
      return parsed.error();
    messages.push_back(std::move(parsed).value());
  }
  return messages;
}

core::Result<std::vector<EntryFailure>> deleteMessageBatch(
    SqsClient& client, const std::string& queue_url, std::span<const std::string> receipt_handles) {
  json entries = json::array();
  for (std::size_t i = 0; i < receipt_handles.size(); ++i) {
    entries.push_back({{"Id", entryId(i)}, {"ReceiptHandle", receipt_handles[i]}});
  }
  auto answer = client.call(aws::sqs_api::kDeleteMessageBatch.name,
                            {{"QueueUrl", queue_url}, {"Entries", std::move(entries)}});
  if (!answer.ok())
    return answer.error();
  return failedEntries(aws::sqs_api::kDeleteMessageBatch.name, *answer,
                       [&](const std::string& id) { return handleAt(receipt_handles, id); });
}

core::Status changeMessageVisibility(SqsClient& client, const std::string& queue_url,
                                     const std::string& receipt_handle,
                                     std::chrono::seconds timeout) {
  auto answer = client.call(aws::sqs_api::kChangeMessageVisibility.name,
                            {{"QueueUrl", queue_url},
                             {"ReceiptHandle", receipt_handle},
                             {"VisibilityTimeout", timeout.count()}});
  if (!answer.ok())
    return answer.error();
  return core::okStatus();
}

core::Result<std::vector<EntryFailure>> changeMessageVisibilityBatch(
    SqsClient& client, const std::string& queue_url, std::span<const std::string> receipt_handles,
    std::chrono::seconds timeout) {
  json entries = json::array();
  for (std::size_t i = 0; i < receipt_handles.size(); ++i) {
    entries.push_back({{"Id", entryId(i)},
                       {"ReceiptHandle", receipt_handles[i]},
                       {"VisibilityTimeout", timeout.count()}});
  }
  auto answer = client.call(aws::sqs_api::kChangeMessageVisibilityBatch.name,
                            {{"QueueUrl", queue_url}, {"Entries", std::move(entries)}});
  if (!answer.ok())
    return answer.error();
  return failedEntries(aws::sqs_api::kChangeMessageVisibilityBatch.name, *answer,
                       [&](const std::string& id) { return handleAt(receipt_handles, id); });
}

}  // namespace rawfeed::queue::sqs
