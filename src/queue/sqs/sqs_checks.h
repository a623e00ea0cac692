#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "core/result.h"
#include "queue/queue.h"
#include "queue/request_checks.h"

namespace rawfeed::queue::sqs {

// SQS's request rules are queue/request_checks.h, shared with every backend. SendMessageBatch
// also caps the sum of its bodies, so this backend splits a batch by size as well.
inline constexpr std::size_t kMaxRequestPayloadBytes = 256 * 1024;

}  // namespace rawfeed::queue::sqs
