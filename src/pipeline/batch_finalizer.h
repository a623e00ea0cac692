#pragma once

#include <chrono>
#include <map>
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
// the same chunk results (the run's summary) need not read the batch a second time. Called on
// the finalizing thread; finalizers on several threads call it at once, each for its own
// reading, which a reading's thread tells apart. A reading that fails is started again or
// abandoned without readFinished.
class BatchReadObserver {
 public:
  virtual ~BatchReadObserver() = default;
  virtual void readStarted(const std::string& batch_id) = 0;
  virtual void chunkRead(const std::string& batch_id, const tracker::ChunkResult& chunk) = 0;
  virtual void readFinished(const tracker::BatchOutline& batch) = 0;
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

  // kInvalidInput when the batch is not complete yet; the store's, tracker's or sink's error
  // otherwise (a claim taken before a failed publish is released, so a retry need not wait).
  core::Result<FinalizeOutcome> finalize(const std::string& batch_id);
  // Set before any finalize() runs; null (the default) shows nothing.
  void observeReads(BatchReadObserver* observer) { observer_ = observer; }

 private:
  // What the manifests and the event are made of (batch_finalizer.cpp).
  struct Digest;
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
  BatchFinalizerOptions options_;
  BatchReadObserver* observer_ = nullptr;
};

}  // namespace rawfeed::pipeline
