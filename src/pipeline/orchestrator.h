#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "pipeline/batch_request.h"
#include "queue/queue.h"
#include "tracker/batch_tracker.h"
#include "universe/symbol.h"

namespace rawfeed::pipeline {

struct OrchestratorOptions {
  int chunk_size = 5;
  int send_batch_size = 10;  // ≤ queue::kMaxBatchEntries
};

struct OrchestrationResult {
  std::string batch_id;
  std::string batch_ds;
  int symbols = 0;       // valid, de-duplicated
  int chunks = 0;        // the batch's total
  int published = 0;     // messages sent by this call
  int already_sent = 0;  // chunks an earlier call with this batch_id sent
  int up_to_date = 0;    // symbols an incremental plan did not ask for (0 chunks: no batch at all)
  bool existing_batch = false;
  std::vector<universe::RejectedSymbol> rejected;
  double seconds = 0;
};

// The messages a batch consists of, before anything is registered or sent.
struct ChunkPlan {
  std::vector<std::string> symbols;  // valid, de-duplicated
  std::vector<universe::RejectedSymbol> rejected;
  std::vector<std::string> bodies;  // one chunk message each, by chunk index
  int windows = 1;
  int up_to_date = 0;  // symbols not asked for: the lake holds every closed session of theirs
};

// contracts §1–2: validates the symbols (already in the source's notation: checked against
// contracts §1 and de-duplicated, never mapped), cuts them into chunks, registers the batch with
// its expected chunk count, then sends the chunk messages in batches, retrying failed entries once.
// A re-run with the same batch_id sends only what an earlier run did not (so nothing is done
// twice) and refuses a different plan under the same id. A batch planned per symbol
// (BatchRequest::symbol_windows) whose symbols are all up to date has no chunk: nothing is
// registered or sent, and the result says so (chunks = 0, up_to_date). Returns kInvalidInput for an
// empty universe or a batch_id reused for other work, and fails loudly (kTransient/kInternal) when
// a send fails twice — the chunks sent so far are recorded, so re-running finishes the job.
class Orchestrator {
 public:
  Orchestrator(queue::Queue& queue, tracker::BatchTracker& tracker, const core::Clock& clock,
               OrchestratorOptions options);

  core::Result<OrchestrationResult> orchestrate(const BatchRequest& request,
                                                const std::vector<std::string>& symbols);

  // The chunk messages orchestrate() would send (a dry run). kInvalidInput when no symbol is
  // valid.
  core::Result<ChunkPlan> plan(const BatchRequest& request,
                               const std::vector<std::string>& symbols) const;

 private:
  core::Result<ChunkPlan> planPerSymbol(const BatchRequest& request) const;
  // True (and `result` filled in) when `batch_id` is registered with every chunk sent.
  core::Result<bool> resumeSentBatch(const std::string& batch_id, OrchestrationResult& result);
  core::Status sendChunks(const std::vector<std::string>& bodies, const std::vector<int>& indexes,
                          std::vector<int>& sent);

  queue::Queue& queue_;
  tracker::BatchTracker& tracker_;
  const core::Clock& clock_;
  OrchestratorOptions options_;
};

}  // namespace rawfeed::pipeline
