#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "events/event_sink.h"
#include "pipeline/sorted_spool.h"
#include "store/object_store.h"
#include "tracker/batch_tracker.h"
#include "tracker/watermark.h"

namespace rawfeed::pipeline {

struct BatchFinalizerOptions {
  // How long a claim on publishing a batch's event excludes other finalizers while it is not
  // marked published: longer than a publish takes. Past it, another finalizer publishes, which
  // is what recovers from a finalizer that crashed between claiming and marking.
  std::chrono::milliseconds event_claim_lease{std::chrono::seconds(60)};
  // Where the domain's watermarks are kept: the batch's reports are merged there before its
  // event is published. Null: none are kept (incremental fetches then fetch the period).
  tracker::WatermarkStore* watermarks = nullptr;
  // Manifests rendered and written at once, on threads of their own, while the next is gathered
  // (within a memory budget: a partition of tens of thousands of objects is written alone).
  // 1: one after another, on the finalizing thread.
  int manifest_writers = 2;
};

enum class FinalizeOutcome {
  kPublished,         // this call published the event of the batch's status
  kAlreadyPublished,  // that event went out before: only the manifests were written again
  // Another finalizer holds the claim on the batch's event and publishes it — unless it
  // crashed, in which case a finalize after the claim's lease does. Callers that can come back
  // (a message not acknowledged) should.
  kClaimedElsewhere,
};
const char* finalizeOutcomeName(FinalizeOutcome outcome);

// Shown each reading of a batch a finalizer makes, chunk by chunk, so that a caller that needs
// the same chunk results (the run's summary) need not read the batch a second time. A reading is
// named by its id: finalizers on several threads read at once, and a batch digested as it is
// recorded (BatchFinalizer::digestAhead) is read by every thread that records one of its chunks.
// One reading's calls never overlap. A reading that fails ends with readAbandoned.
class BatchReadObserver {
 public:
  using ReadingId = std::uint64_t;
  virtual ~BatchReadObserver() = default;
  virtual void readStarted(ReadingId reading, const std::string& batch_id) = 0;
  virtual void chunkRead(ReadingId reading, const tracker::ChunkResult& chunk) = 0;
  virtual void readFinished(ReadingId reading, const tracker::BatchOutline& batch) = 0;
  virtual void readAbandoned(ReadingId reading) = 0;
};

// Once every chunk of a batch is recorded: one manifest per partition day the batch touched
// (contracts §6) in each of its tables — the batch's own (the bars; the batch's day even when
// empty) and any other its objects name (the corporate actions; only the days they touched) —
// then the completion event (contracts §7, with `tables` listing each table's manifests and
// figures). Everything is derived from the
// tracker's stored chunk results and completion time, so whoever runs it — and however often
// after a crash — writes the same bytes. The event is published under a claim the tracker
// grants to one finalizer at a time (BatchTracker::claimEvent), so finalizers running at once
// (duplicate messages, redeliveries) publish it once: at most one partial event per batch, the
// first time all its chunks are recorded with something failed, and at most one complete
// event, once (possibly after redrives) nothing failed. A redrive that leaves a batch partial
// rewrites its manifests and publishes nothing. Exactly once, except when a finalizer crashes
// (or outlasts its lease) between publishing and marking the event published: then another
// publishes it again after the lease.
class BatchFinalizer {
 public:
  BatchFinalizer(store::ObjectStore& store, tracker::BatchTracker& tracker,
                 events::EventSink& events, std::string environment, const core::Clock& clock,
                 BatchFinalizerOptions options = {});

  ~BatchFinalizer();

  // kInvalidInput when the batch is not complete yet; the store's, tracker's or sink's error
  // otherwise (a claim taken before a failed publish is released, so a retry need not wait).
  core::Result<FinalizeOutcome> finalize(const std::string& batch_id);
  // Set before any finalize() or digestAhead() runs; null (the default) shows nothing.
  void observeReads(BatchReadObserver* observer) { observer_ = observer; }

  // Digests `batch_id`'s chunk results as this process records them (recordChunks), so that
  // its finalize() need not read them back: what `rawfeed run` does for its own batch, whose
  // finalize is otherwise the run's longest step after the last answer. Call it after the batch
  // is registered, before its first chunk is recorded. The digest is used only when every
  // chunk was recorded here, each once, and nothing else changed the batch since
  // (BatchTracker::outlineOfRecorded); otherwise — a chunk recorded by another process, a
  // replaced dead letter, a tracker without revisions — finalize reads the batch as always. One
  // batch at a time: a later call replaces it.
  core::Status digestAhead(const std::string& batch_id);
  // The tracker's recordChunks; the chunks it counted of the batch digested ahead are digested.
  // While a batch is digested ahead, records are serialised here (the SQLite tracker serialises
  // them anyway), so that the last chunk's finalize finds every recorded chunk digested.
  core::Result<std::vector<tracker::RecordOutcome>> recordChunks(
      std::span<const tracker::ChunkRecord> records, core::SystemTime now);

 private:
  // What the manifests and the event are made of (batch_finalizer.cpp).
  struct Digest;
  // A batch digested as it is recorded (digestAhead).
  struct Ahead;
  // What every manifest of a batch repeats (batch_finalizer.cpp).
  struct ManifestFrame;
  // Each table's manifest keys, in day order.
  using ManifestKeys = std::map<std::string, std::vector<std::string>>;

  // Writes the batch's manifests from the digest's spooled objects (which it drains).
  core::Result<ManifestKeys> writeManifests(const tracker::BatchOutline& batch, Digest& digest);
  static std::string completionEventJson(const tracker::BatchOutline& batch, Digest& digest,
                                         const ManifestKeys& keys);
  // Merges the watermarks the batch's workers reported (spooled by symbol, which it drains)
  // into the store (options_.watermarks).
  core::Status mergeWatermarks(const tracker::BatchOutline& batch, SortedSpool& reported);
  core::Result<FinalizeOutcome> publish(const tracker::BatchOutline& batch,
                                        tracker::EventStatus status, std::int64_t claim_id,
                                        const std::string& event);

  store::ObjectStore& store_;
  tracker::BatchTracker& tracker_;
  events::EventSink& events_;
  std::string environment_;
  const core::Clock& clock_;
  // The digest of the batch digested ahead, when it has every chunk and the tracker confirms
  // them (it is then taken); else null, and the batch is read.
  std::unique_ptr<Digest> takeAheadDigest(const std::string& batch_id,
                                          std::optional<tracker::BatchOutline>& outline);
  BatchReadObserver::ReadingId startReading(const std::string& batch_id);
  // A chunk result recorded of the batch digested ahead (ahead_mutex_ held); a chunk seen
  // twice or a digest that fails ends the digesting ahead.
  void digestRecorded(const tracker::ChunkResult& chunk);
  void stopDigestingAhead();  // ahead_mutex_ held

  BatchFinalizerOptions options_;
  BatchReadObserver* observer_ = nullptr;
  std::atomic<BatchReadObserver::ReadingId> next_reading_{1};
  std::mutex ahead_mutex_;  // guards ahead_; held across a record while a batch is digested
  std::unique_ptr<Ahead> ahead_;
  std::atomic<bool> digesting_ahead_{false};  // ahead_ is set: records take ahead_mutex_
};

}  // namespace rawfeed::pipeline
