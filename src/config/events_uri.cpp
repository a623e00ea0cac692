// parseEventsUri (config.h): the `events` setting read into its typed sink.
#include "config/config.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/arn.h"

namespace rawfeed::config {

namespace {

core::Error eventsError(std::string_view uri, const std::string& rule) {
  return core::makeError(core::ErrorCode::kInvalidInput, fmt::format("'{}': {}", uri, rule));
}

// SQS's own hosts: sqs.REGION.amazonaws.com(.cn) and the legacy queue.amazonaws.com.
bool isSqsHost(std::string_view host) {
  if (host == "queue.amazonaws.com")
    return true;
  return host.starts_with("sqs.") &&
         (host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn"));
}

bool isBusName(std::string_view name) {
  if (name.empty() || name.size() > 256)
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == '/';
  });
}

bool isQueueName(std::string_view name) {
  std::string_view base = name.ends_with(".fifo") ? name.substr(0, name.size() - 5) : name;
  if (base.empty() || name.size() > 80)
    return false;
  return std::all_of(base.begin(), base.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

}  // namespace

core::Result<EventsSettings> parseEventsUri(std::string_view uri) {
  EventsSettings settings;
  settings.uri = std::string(uri);
  if (uri == "jsonl")
    return settings;
  if (uri.starts_with("eventbridge://")) {
    settings.kind = EventsKind::kEventBridge;
    settings.address = std::string(uri.substr(14));
    const auto parsed_arn = core::parseArn(settings.address);
    const bool arn = parsed_arn && parsed_arn->service == "events" &&
                     parsed_arn->resource.rfind("event-bus/", 0) == 0;
    if (!arn && !isBusName(settings.address)) {
      return eventsError(uri,
                         "eventbridge://BUS needs an event bus name (1-256 characters of "
                         "A-Z a-z 0-9 . - _ /) or its ARN (arn:aws:events:REGION:ACCOUNT:"
                         "event-bus/NAME)");
    }
    return settings;
  }
  if (uri.starts_with("sqs://")) {
    settings.kind = EventsKind::kSqs;
    settings.address = std::string(uri.substr(6));
    if (!isQueueName(settings.address)) {
      return eventsError(uri,
                         "sqs://NAME needs a queue name (1-80 characters of A-Z a-z 0-9 - _, "
                         "optionally ending in .fifo)");
    }
    return settings;
  }
  if (uri.starts_with("https://") || uri.starts_with("http://")) {
    const std::string_view rest = uri.substr(uri.find("://") + 3);
    const std::string_view host = rest.substr(0, rest.find_first_of("/:?#"));
    if (host.empty() || rest.find('@') < rest.find('/')) {
      return eventsError(uri, "a webhook or SQS URL needs a host (and no user:password@)");
    }
    settings.address = std::string(uri);
    settings.kind = isSqsHost(host) ? EventsKind::kSqs : EventsKind::kWebhook;
    return settings;
  }
  return eventsError(uri,
                     "not an event sink (jsonl, eventbridge://BUS, sqs://NAME, an SQS queue "
                     "URL, or an http(s):// webhook URL)");
}

}  // namespace rawfeed::config
