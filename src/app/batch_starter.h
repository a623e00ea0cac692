#pragma once

#include <string>
#include <vector>

#include "app/domain_runtime.h"
#include "core/result.h"
#include "observe/logger.h"
#include "pipeline/batch_request.h"
#include "pipeline/orchestrator.h"
#include "universe/symbol.h"

namespace rawfeed::app {

// A batch decided but not yet sent: the trigger resolved, its symbols loaded and written in the
// source's notation, and a backfill split into the windows the source serves — all asked of the
// domain's source through its SourceDescriptor. The same for every collection pattern.
struct PreparedBatch {
  pipeline::BatchRequest request;
  std::vector<std::string> symbols;
  // Symbols the source's notation refused; reported with the orchestrator's own rejections.
  std::vector<universe::RejectedSymbol> rejected;
  // What people should know about how the batch was planned (watermarks that could not be read,
  // windows beyond the source's history); startBatch logs them.
  std::vector<std::string> notes;
};

// An incremental batch (BatchRequest::incremental) is planned per symbol from the domain's
// watermarks: the days after each symbol's, split where the source's history limits force it;
// the period for symbols without one or beyond the history; nothing for those up to date. With
// no watermark at all (the first run) it stays the plain period batch.
core::Result<PreparedBatch> prepareBatch(DomainRuntime& runtime,
                                         const pipeline::TriggerEvent& trigger);

// Registers and sends the batch (contracts §1–2), logging the outcome. The result's `rejected`
// lists the batch's own rejections first.
core::Result<pipeline::OrchestrationResult> startBatch(DomainRuntime& runtime,
                                                       const PreparedBatch& batch,
                                                       observe::Logger& logger);

// The chunk messages startBatch would send; nothing registered or sent.
core::Result<pipeline::ChunkPlan> planBatch(DomainRuntime& runtime, const PreparedBatch& batch);

}  // namespace rawfeed::app
