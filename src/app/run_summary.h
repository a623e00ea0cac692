#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/batch_finalizer.h"
#include "pipeline/orchestrator.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::app {

// The final account of one batch, from the tracker's stored chunk results (true across every
// process that worked on it) and the orchestration's rejections.
struct RunSummary {
  std::string batch_id, batch_ds, state;
  std::int64_t symbols_total = 0;  // as given, before validation
  std::int64_t up_to_date = 0;     // not asked for: the lake holds all their closed sessions
  std::int64_t ok = 0, empty = 0, failed = 0, rejected = 0, unfinished = 0;
  std::int64_t failed_transient = 0;  // throttled, transient, write_failed
  std::int64_t objects_written = 0, objects_skipped = 0, records = 0, bytes = 0;
  // Objects of the domain's other tables (the corporate actions): not in objects_written or
  // objects_skipped, which are the bars'; bytes counts both.
  std::int64_t action_objects_written = 0, action_objects_skipped = 0;
  // Corporate actions the source sent that were dropped as invalid: reason → actions.
  std::map<std::string, std::int64_t> invalid_actions;
  std::int64_t dead_lettered_chunks = 0;
  std::int64_t chunks_total = 0, chunks_recorded = 0;
  double wall_seconds = 0, orchestration_seconds = 0;
  // reason → symbols, for failures and rejections alike ("not_found: No data found ...").
  std::map<std::string, std::vector<std::string>> failures;
  // Bars the source sent that were dropped as invalid: reason → bars, and how many symbols had
  // any.
  std::map<std::string, std::int64_t> invalid_bars;
  std::int64_t symbols_with_invalid_bars = 0;

  bool success() const {
    return dead_lettered_chunks == 0 && failed_transient == 0 && unfinished == 0;
  }
};

RunSummary summarize(const tracker::BatchSnapshot& batch,
                     const pipeline::OrchestrationResult& orchestration, double wall_seconds);
// The same, read from the tracker one chunk at a time (a batch of 100,000 symbols is never held
// whole).
core::Result<RunSummary> summarizeBatch(tracker::BatchTracker& tracker, const std::string& batch_id,
                                        const pipeline::OrchestrationResult& orchestration,
                                        double wall_seconds);

// The run's batch as a finalizer of this process read it, so that the run's summary need not
// read every chunk result a second time: the last whole reading of the batch, with the revision
// it was read at. Installed on the finalizer (BatchFinalizer::observeReads) for as long as it
// lives.
class RunTally final : public pipeline::BatchReadObserver {
 public:
  RunTally(pipeline::BatchFinalizer& finalizer, std::string batch_id);
  ~RunTally() override;
  RunTally(const RunTally&) = delete;
  RunTally& operator=(const RunTally&) = delete;

  void readStarted(ReadingId reading, const std::string& batch_id) override;
  void chunkRead(ReadingId reading, const tracker::ChunkResult& chunk) override;
  void readFinished(ReadingId reading, const tracker::BatchOutline& batch) override;
  void readAbandoned(ReadingId reading) override;

  // The summary of the last whole reading, when the tracker says the batch has not changed
  // since (its revision); otherwise the batch read anew (summarizeBatch), as when no finalizer
  // of this process read it (another process finalized it, or it is not complete).
  core::Result<RunSummary> summarize(tracker::BatchTracker& tracker,
                                     const pipeline::OrchestrationResult& orchestration,
                                     double wall_seconds);

 private:
  struct Finished {
    RunSummary summary;  // its chunks added, not finished
    tracker::BatchOutline outline;
  };
  pipeline::BatchFinalizer& finalizer_;
  const std::string batch_id_;
  std::mutex mutex_;                         // guards reading_ and finished_
  std::map<ReadingId, RunSummary> reading_;  // readings of the run's batch in progress
  std::optional<Finished> finished_;
};

// Human-readable, for stdout.
std::string formatSummary(const RunSummary& summary);

}  // namespace rawfeed::app
