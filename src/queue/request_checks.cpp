#include "queue/request_checks.h"

#include <set>
#include <string_view>

namespace rawfeed::queue {
namespace {

bool validEntryId(std::string_view id) {
  if (id.empty() || id.size() > 80) {
    return false;
  }
  for (char c : id) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

core::Status checkBatchSize(std::size_t size, std::string_view what) {
  if (size == 0) {
    return core::invalidInput(std::string(what) + ": the batch is empty");
  }
  if (size > static_cast<std::size_t>(kMaxBatchEntries)) {
    return core::invalidInput(std::string(what) + ": " + std::to_string(size) +
                              " entries, at most " + std::to_string(kMaxBatchEntries) + " allowed");
  }
  return core::okStatus();
}

}  // namespace

core::Status checkSendBatch(std::span<const OutgoingMessage> messages) {
  if (auto size = checkBatchSize(messages.size(), "sendBatch"); !size) {
    return size;
  }
  std::set<std::string_view> seen;
  for (const auto& message : messages) {
    if (!validEntryId(message.id)) {
      return core::invalidInput("sendBatch: entry id '" + message.id +
                                "' must be 1-80 characters of A-Z a-z 0-9 - _");
    }
    if (!seen.insert(message.id).second) {
      return core::invalidInput("sendBatch: entry id '" + message.id + "' appears more than once");
    }
  }
  return core::okStatus();
}

std::optional<core::Error> checkEntry(const OutgoingMessage& message) {
  if (message.body.empty()) {
    return core::invalidInput("entry '" + message.id + "': the body is empty");
  }
  if (message.body.size() > kMaxBodyBytes) {
    return core::invalidInput("entry '" + message.id + "': body of " +
                              std::to_string(message.body.size()) + " bytes exceeds " +
                              std::to_string(kMaxBodyBytes));
  }
  if (message.delay < std::chrono::seconds(0) || message.delay > kMaxDelay) {
    return core::invalidInput("entry '" + message.id + "': delay " +
                              std::to_string(message.delay.count()) + " s is outside 0.." +
                              std::to_string(kMaxDelay.count()) + " s");
  }
  return std::nullopt;
}

core::Status checkReceive(const ReceiveOptions& options) {
  if (options.max_messages < 1 || options.max_messages > kMaxBatchEntries) {
    return core::invalidInput("receive: max_messages " + std::to_string(options.max_messages) +
                              " is outside 1.." + std::to_string(kMaxBatchEntries));
  }
  if (options.wait < std::chrono::milliseconds(0) || options.wait > kMaxWait) {
    return core::invalidInput("receive: wait " + std::to_string(options.wait.count()) +
                              " ms is outside 0.." + std::to_string(kMaxWait.count()) + " s");
  }
  if (options.visibility) {
    return checkVisibility(*options.visibility);
  }
  return core::okStatus();
}

core::Status checkDeleteBatch(std::span<const std::string> receipt_handles) {
  if (auto size = checkBatchSize(receipt_handles.size(), "deleteBatch"); !size) {
    return size;
  }
  std::set<std::string_view> seen;
  for (const auto& handle : receipt_handles) {
    if (!seen.insert(handle).second) {
      return core::invalidInput("deleteBatch: receipt handle '" + handle +
                                "' appears more than once");
    }
  }
  return core::okStatus();
}

core::Status checkVisibility(std::chrono::seconds timeout) {
  if (timeout < std::chrono::seconds(0) || timeout > kMaxVisibility) {
    return core::invalidInput("visibility timeout " + std::to_string(timeout.count()) +
                              " s is outside 0.." + std::to_string(kMaxVisibility.count()) + " s");
  }
  return core::okStatus();
}

core::Status checkLimit(int limit) {
  if (limit < 1) {
    return core::invalidInput("limit " + std::to_string(limit) + " must be at least 1");
  }
  return core::okStatus();
}

}  // namespace rawfeed::queue
