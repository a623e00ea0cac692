#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "core/result.h"
#include "queue/queue.h"

namespace rawfeed::queue {

// SQS's request rules, which every backend checks before it touches storage or the network: a
// bad request changes nothing and costs no round trip, and one bad entry fails alone.
inline constexpr std::size_t kMaxBodyBytes = 256 * 1024;
inline constexpr std::chrono::seconds kMaxDelay{900};
inline constexpr std::chrono::seconds kMaxVisibility{43200};

// Whole-request rules: 1..10 entries, entry ids 1-80 of [A-Za-z0-9_-], no duplicates.
core::Status checkSendBatch(std::span<const OutgoingMessage> messages);
// Per-entry rules (body size, delay): a failure of that entry only, as in SQS.
std::optional<core::Error> checkEntry(const OutgoingMessage& message);
core::Status checkReceive(const ReceiveOptions& options);
// 1..10 handles, no duplicates.
core::Status checkDeleteBatch(std::span<const std::string> receipt_handles);
core::Status checkVisibility(std::chrono::seconds timeout);
core::Status checkLimit(int limit);

}  // namespace rawfeed::queue
