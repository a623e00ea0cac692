#include "queue/sqs/sqs_checks.h"

#include <set>
#include <string_view>

#include <fmt/format.h>

namespace rawfeed::queue::sqs {
namespace {

core::Error invalid(std::string message) {
  return core::makeError(core::ErrorCode::kInvalidInput, std::move(message));
}

bool validEntryId(std::string_view id) {
  if (id.empty() || id.size() > 80)
    return false;
  for (char c : id) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '_')
      return false;
  }
  return true;
}

core::Status checkBatchSize(std::size_t size, std::string_view what) {
  if (size == 0)
    return invalid(fmt::format("{}: the batch is empty", what));
  if (size > static_cast<std::size_t>(kMaxBatchEntries)) {
    return invalid(fmt::format("{}: {} entries, at most {} allowed", what, size, kMaxBatchEntries));
  }
  return core::okStatus();
}

}  // namespace

core::Status checkSendBatch(std::span<const OutgoingMessage> messages) {
  if (auto size = checkBatchSize(messages.size(), "sendBatch"); !size)
    return size;
  std::set<std::string_view> seen;
  for (const auto& message : messages) {
    if (!validEntryId(message.id)) {
      return invalid(fmt::format(
          "sendBatch: entry id '{}' must be 1-80 characters of A-Z a-z 0-9 - _", message.id));
    }
    if (!seen.insert(message.id).second) {
      return invalid(fmt::format("sendBatch: entry id '{}' appears more than once", message.id));
    }
  }
  return core::okStatus();
}

std::optional<core::Error> checkEntry(const OutgoingMessage& message) {
  if (message.body.empty())
    return invalid(fmt::format("entry '{}': the body is empty", message.id));
  if (message.body.size() > kMaxBodyBytes) {
    return invalid(fmt::format("entry '{}': body of {} bytes exceeds {}", message.id,
                               message.body.size(), kMaxBodyBytes));
  }
  if (message.delay < std::chrono::seconds(0) || message.delay > kMaxDelay) {
    return invalid(fmt::format("entry '{}': delay {} s is outside 0..{} s", message.id,
                               message.delay.count(), kMaxDelay.count()));
  }
  return std::nullopt;
}

core::Status checkReceive(const ReceiveOptions& options) {
  if (options.max_messages < 1 || options.max_messages > kMaxBatchEntries) {
    return invalid(fmt::format("receive: max_messages {} is outside 1..{}", options.max_messages,
                               kMaxBatchEntries));
  }
  if (options.wait < std::chrono::milliseconds(0) || options.wait > kMaxWait) {
    return invalid(fmt::format("receive: wait {} ms is outside 0..{} s", options.wait.count(),
                               kMaxWait.count()));
  }
  if (options.visibility)
    return checkVisibility(*options.visibility);
  return core::okStatus();
}

core::Status checkDeleteBatch(std::span<const std::string> receipt_handles) {
  if (auto size = checkBatchSize(receipt_handles.size(), "deleteBatch"); !size)
    return size;
  std::set<std::string_view> seen;
  for (const auto& handle : receipt_handles) {
    if (!seen.insert(handle).second) {
      return invalid(
          fmt::format("deleteBatch: receipt handle '{}' appears more than once", handle));
    }
  }
  return core::okStatus();
}

core::Status checkVisibility(std::chrono::seconds timeout) {
  if (timeout < std::chrono::seconds(0) || timeout > kMaxVisibility) {
    return invalid(fmt::format("visibility timeout {} s is outside 0..{} s", timeout.count(),
                               kMaxVisibility.count()));
  }
  return core::okStatus();
}

core::Status checkLimit(int limit) {
  if (limit < 1)
    return invalid(fmt::format("limit {} must be at least 1", limit));
  return core::okStatus();
}

}  // namespace rawfeed::queue::sqs
