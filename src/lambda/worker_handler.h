#pragma once

#include <chrono>
#include <optional>

#include "core/clock.h"
#include "lambda/runtime_loop.h"
#include "observe/logger.h"
#include "pipeline/worker.h"
#include "queue/queue.h"

namespace rawfeed::lambda {

struct WorkerHandlerOptions {
  // Kept free before the invocation's deadline: no symbol starts within it, and the worker stops
  // waiting for fetches in flight halfway through it, leaving the other half for the writes
  // already started, the tracker records and the reply.
  std::chrono::milliseconds deadline_margin{3000};
  std::chrono::seconds redelivery_backoff{2};    // as the local worker pool's
  std::chrono::seconds visibility_timeout{720};  // the queue's: the most a backoff hides a message
};

// The worker function: an SQS event (contracts §3) → pipeline::Worker::handle under the
// invocation's deadline → {"batchItemFailures": [...]}. For each failed message it then sets
// the visibility itself, since Lambda leaves a failed message hidden for the whole visibility
// timeout:
// - bound for the DLQ (its last receive): 0, so SQS moves it at once;
// - cut by the deadline (nothing wrong with it): 0, so another invocation carries on where the
//   lake already has the objects;
// - failed (throttled or transient): the pool's redelivery backoff, base × 2^(receives−1), at
//   most the visibility timeout — a rate-limited message comes back after the backoff rather
//   than burning its receives in quick succession.
// A malformed event as a whole is an invocation error (kInvalidInput); nothing is handled.
class WorkerHandler final : public Handler {
 public:
  WorkerHandler(pipeline::Worker& worker, queue::Queue& queue, const core::Clock& clock,
                observe::Logger& logger, WorkerHandlerOptions options);

  core::Result<std::string> handle(const Invocation& invocation) override;

  // The deadline for a delivery that must end by `deadline_ms` (unix ms); nullopt without one.
  std::optional<pipeline::DeliveryDeadline> deadlineFor(std::int64_t deadline_ms) const;

 private:
  pipeline::Worker& worker_;
  queue::Queue& queue_;
  const core::Clock& clock_;
  observe::Logger& logger_;
  WorkerHandlerOptions options_;
};

}  // namespace rawfeed::lambda
