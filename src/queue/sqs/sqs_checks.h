#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "core/result.h"
#include "queue/queue.h"

namespace rawfeed::queue::sqs {

// SQS's request rules, checked before a request goes out: a call that would be refused whole
// costs no round trip, and one bad entry fails alone instead of taking its batch down with it.
// (The same rules as queue/sqlite/request_checks; kept here so one backend never links another.)
inline constexpr std::size_t kMaxBodyBytes = 256 * 1024;
// SendMessageBatch also caps the sum of its bodies, so a batch is split by size as well.
inline constexpr std::size_t kMaxRequestPayloadBytes = 256 * 1024;
inline constexpr std::chrono::seconds kMaxDelay{900};
inline constexpr std::chrono::seconds kMaxVisibility{43200};

// 1..10 entries, entry ids 1-80 of [A-Za-z0-9_-] (SQS's own rule), no duplicates.
core::Status checkSendBatch(std::span<const OutgoingMessage> messages);
// Body 1..256 KiB, delay 0..900 s: a failure of that entry only, as SQS reports it.
std::optional<core::Error> checkEntry(const OutgoingMessage& message);
core::Status checkReceive(const ReceiveOptions& options);
// 1..10 handles, no duplicates.
core::Status checkDeleteBatch(std::span<const std::string> receipt_handles);
core::Status checkVisibility(std::chrono::seconds timeout);
core::Status checkLimit(int limit);

}  // namespace rawfeed::queue::sqs
