#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "observe/domain_metrics.h"
#include "observe/logger.h"
#include "pipeline/batch_finalizer.h"
#include "pipeline/batch_request.h"
#include "pipeline/object_writer.h"
#include "queue/queue.h"
#include "sources/source.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::pipeline {

class WriterPool;

struct WorkerOptions {
  int max_receives = 5;  // the queue's; the delivery with this receive count is the last
  // Where a delivery's lake writes run side by side; none: on the worker's own thread.
  WriterPool* writers = nullptr;
  // A chunk kept back only by the source's rate limit is dead-lettered once it has been
  // throttled this long (since its first throttled delivery), never for its receive count.
  std::chrono::seconds max_throttled{24 * 3600};
  // How long the source stays paused by its rate limit (the governor's pause); null: unknown.
  std::function<std::chrono::milliseconds()> source_pause = nullptr;
};

// A throttled chunk going back to the queue as a fresh message (its history in the body), to
// be sent delayed before the original is deleted: its receives are not spent on waiting.
struct Requeue {
  std::string message_id;  // the original
  std::string body;
  std::chrono::seconds delay{0};
};

// contracts §3: the messages of a delivery that must come again. An empty list acknowledges all.
struct DeliveryReport {
  std::vector<std::string> failed_message_ids;
  std::vector<std::string> dead_lettering_ids;  // failed on their last receive: bound for the DLQ
  // Among the failed: chunks the deadline cut (not recorded; nothing wrong with them) and chunks
  // failed only because the source throttled (a rate limit, not a fault of the message).
  std::vector<std::string> unfinished_ids;
  std::vector<std::string> throttled_ids;
  // Throttled chunks to re-send (a subset of failed_message_ids): once sent, the original is
  // acknowledged instead of failed.
  std::vector<Requeue> requeues;
  // The lake or the tracker refused a write for a reason retrying will not cure (a full or
  // read-only disk, a lake that is a file, access denied): the chunks are failed, not
  // acknowledged, and a consumer that must end (rawfeed run) stops instead of spending their
  // receive budget.
  std::optional<core::Error> storage_failure;
};

// Whether an error of the lake, the tracker or the queue means the storage itself cannot be
// written (local I/O or database errors, access refused), as opposed to a passing network or
// service fault that a retry may cure.
bool isStorageFailure(const core::Error& error);

// A delivery that must end in time (a Lambda invocation): no symbol's fetch starts after
// `start_by`, and at `stop_waiting` the worker stops waiting for fetches still in flight. A chunk
// not settled by then is reported failed and unfinished and is never recorded; the objects it
// wrote are whole (puts are atomic) and a redelivery finds them. Writes already started finish
// before handle() returns, so the margin after stop_waiting must cover one write and the record.
struct DeliveryDeadline {
  core::SteadyTime start_by;
  core::SteadyTime stop_waiting;
};

// Handles one delivery of 1–10 chunk messages: fetches every symbol of every chunk at once
// (the source bounds requests in flight), lands each symbol's days as objects, records each
// finished chunk in the tracker and finalises the batch when its last chunk lands. A chunk whose
// symbols all ended ok, empty or permanently failed is done; one with a throttled or transient
// failure is reported failed so the queue redelivers it — on its last receive it is recorded as
// dead-lettered instead, so the batch still completes. Callable directly from a test.
class Worker {
 public:
  Worker(sources::Source& source, store::ObjectStore& store, tracker::BatchTracker& tracker,
         BatchFinalizer& finalizer, observe::DomainMetrics metrics, observe::Logger& logger,
         const core::Clock& clock, WorkerOptions options);

  DeliveryReport handle(std::span<const queue::ReceivedMessage> messages,
                        std::optional<DeliveryDeadline> deadline = std::nullopt);

 private:
  struct Chunk;
  // True when the chunk is to be recorded (done, or failed on its last receive).
  bool finishChunk(Chunk& chunk, DeliveryReport& report);
  bool requeueThrottled(Chunk& chunk, DeliveryReport& report);
  void resumeChunk(Chunk& chunk);
  void saveProgress(std::vector<Chunk>& chunks, const std::vector<Chunk*>& done);
  // False when the flush failed: then `done` is cleared and every message reported failed.
  bool flushObjects(std::vector<Chunk>& chunks, std::vector<Chunk*>& done, DeliveryReport& report);
  using WriteResult = core::Result<std::vector<tracker::ObjectEntry>>;
  // Books one symbol's outcome into its chunk; `written` is the lake write of an ok fetch.
  void landSymbol(Chunk& chunk, sources::FetchResult result, const WriteResult* written);
  WriteResult writeSymbol(const ObjectLayout& layout, const sources::FetchResult& result);
  void bookInvalidActions(Chunk& chunk, const sources::FetchResult& result);
  void recordChunks(std::vector<Chunk*>& done, DeliveryReport& report);
  void finalize(const BatchRequest& request, const Chunk& chunk, DeliveryReport& report);

  sources::Source& source_;
  store::ObjectStore& store_;
  ObjectWriter writer_;
  tracker::BatchTracker& tracker_;
  BatchFinalizer& finalizer_;
  observe::DomainMetrics metrics_;
  observe::Logger& logger_;
  const core::Clock& clock_;
  WorkerOptions options_;
  WriterPool* writers_;
};

}  // namespace rawfeed::pipeline
