#pragma once

#include <string>

#include "core/result.h"
#include "events/event_sink.h"
#include "store/object_store.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::pipeline {

// Once every chunk of a batch is recorded: one manifest per partition day the batch touched
// (contracts §6), then the completion event (contracts §7). Everything is derived from the
// tracker's stored chunk results and completion time, so whoever runs it — and however often
// after a crash — writes the same bytes; the event goes out until the tracker says it has.
class BatchFinalizer {
 public:
  BatchFinalizer(store::ObjectStore& store, tracker::BatchTracker& tracker,
                 events::EventSink& events, std::string environment);

  // kInvalidInput when the batch is not complete yet.
  core::Status finalize(const std::string& batch_id);

  // The documents, exposed for tests and `rawfeed status`.
  static std::string manifestJson(const tracker::BatchSnapshot& batch, const std::string& day,
                                  const std::string& environment);
  static std::string completionEventJson(const tracker::BatchSnapshot& batch,
                                         const std::vector<std::string>& manifest_keys);

 private:
  store::ObjectStore& store_;
  tracker::BatchTracker& tracker_;
  events::EventSink& events_;
  std::string environment_;
};

}  // namespace rawfeed::pipeline
