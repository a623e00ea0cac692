#pragma once

#include <string>
#include <vector>

#include "app/domain_runtime.h"
#include "core/result.h"
#include "observe/logger.h"
#include "pipeline/batch_request.h"
#include "pipeline/orchestrator.h"

namespace rawfeed::app {

// A batch decided but not yet sent: the trigger resolved, its symbols loaded and a backfill
// split into the windows the source serves. The same for every collection pattern.
struct PreparedBatch {
  pipeline::BatchRequest request;
  std::vector<std::string> symbols;
};

core::Result<PreparedBatch> prepareBatch(DomainRuntime& runtime,
                                         const pipeline::TriggerEvent& trigger);

// Registers and sends the batch (contracts §1–2), logging the outcome.
core::Result<pipeline::OrchestrationResult> startBatch(DomainRuntime& runtime,
                                                       const PreparedBatch& batch,
                                                       observe::Logger& logger);

// The chunk messages startBatch would send; nothing registered or sent.
core::Result<pipeline::ChunkPlan> planBatch(DomainRuntime& runtime, const PreparedBatch& batch);

}  // namespace rawfeed::app
