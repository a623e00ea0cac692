#include "events/sqs/sqs_event_sink.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/hashing.h"
#include "queue/sqs/sqs_queue_actions.h"

namespace rawfeed::events::sqs {

namespace {

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The event's domain, the FIFO group that keeps one domain's events in order.
std::string messageGroup(std::string_view event_json) {
  auto event = nlohmann::json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (event.is_object()) {
    const auto detail = event.find("detail");
    if (detail != event.end() && detail->is_object()) {
      const auto domain = detail->find("domain");
      if (domain != detail->end() && domain->is_string() && !domain->get<std::string>().empty()) {
        return domain->get<std::string>();
      }
    }
  }
  return "rawfeed";
}

}  // namespace

SqsEventSink::SqsEventSink(SqsSinkOptions options, http::HttpClient& http,
                           aws::CredentialsProvider& credentials, const core::Clock& clock,
                           core::Random& random)
    : options_(std::move(options)),
      client_(options_.client, http, credentials, clock, random),
      resolved_url_(options_.queue_url) {}

std::vector<aws::ApiOperation> SqsEventSink::operations() {
  return {aws::sqs_api::kGetQueueUrl, aws::sqs_api::kSendMessage};
}

bool SqsEventSink::isFifo() const {
  return endsWith(options_.queue_url.empty() ? options_.queue_name : options_.queue_url, ".fifo");
}

core::Result<std::string> SqsEventSink::queueUrl() {
  {
    std::lock_guard lock(url_mutex_);
    if (!resolved_url_.empty())
      return resolved_url_;
  }
  auto url = queue::sqs::getQueueUrl(client_, options_.queue_name);
  if (!url.ok()) {
    return core::makeError(url.error().code, fmt::format("event queue '{}': {}",
                                                         options_.queue_name, url.error().message));
  }
  std::lock_guard lock(url_mutex_);
  resolved_url_ = *url;
  return resolved_url_;
}

core::Status SqsEventSink::publish(std::string_view event_json) {
  if (event_json.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput, "SQS SendMessage: the event is empty");
  }
  auto url = queueUrl();
  if (!url.ok())
    return url.error();
  nlohmann::json request = {{"QueueUrl", *url}, {"MessageBody", std::string(event_json)}};
  if (isFifo()) {
    request["MessageGroupId"] = messageGroup(event_json);
    request["MessageDeduplicationId"] = aws::sha256Hex(event_json);
  }
  auto answer = client_.call(aws::sqs_api::kSendMessage.name, request);
  if (!answer.ok()) {
    if (!options_.queue_name.empty()) {
      std::lock_guard lock(url_mutex_);
      resolved_url_.clear();  // a queue deleted and created again has a new URL
    }
    return answer.error();
  }
  if (!answer->contains("MessageId")) {
    return core::makeError(
        core::ErrorCode::kPermanent,
        "SQS SendMessage: the answer has no MessageId: " + answer->dump().substr(0, 120));
  }
  return core::okStatus();
}

}  // namespace rawfeed::events::sqs
