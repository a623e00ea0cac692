#include "app/batch_starter.h"

#include "sources/yahoo/history_limits.h"
#include "universe/universe_file.h"

namespace rawfeed::app {

namespace {

// The raw symbol list of a batch: the trigger's own, or the domain's universe.
core::Result<std::vector<std::string>> batchSymbols(const pipeline::BatchRequest& request,
                                                    const config::DomainConfig& domain) {
  if (request.symbols)
    return *request.symbols;
  if (!domain.symbols.empty())
    return domain.symbols;
  auto entries = universe::readUniverseFile(domain.universe_file);
  if (!entries.ok())
    return entries.error();
  if (entries->empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           domain.universe_file.string() + ": the universe is empty");
  }
  return entries;
}

pipeline::Orchestrator orchestratorFor(DomainRuntime& runtime) {
  return pipeline::Orchestrator(runtime.queue(), runtime.tracker(), runtime.clock(),
                                {runtime.domain().chunk_size, runtime.domain().send_batch_size});
}

}  // namespace

core::Result<PreparedBatch> prepareBatch(DomainRuntime& runtime,
                                         const pipeline::TriggerEvent& trigger) {
  auto request =
      pipeline::resolveTrigger(trigger, runtime.domain(), runtime.clock(), runtime.random());
  if (!request.ok())
    return request.error();
  auto symbols = batchSymbols(*request, runtime.domain());
  if (!symbols.ok())
    return symbols.error();
  if (!request->start.empty()) {
    auto windows = sources::yahoo::splitBackfill(request->interval, request->start, request->end,
                                                 runtime.clock().now());
    if (!windows.ok())
      return windows.error();
    for (const auto& window : *windows)
      request->windows.emplace_back(window.start, window.end);
  }
  return PreparedBatch{std::move(request).value(), std::move(symbols).value()};
}

core::Result<pipeline::OrchestrationResult> startBatch(DomainRuntime& runtime,
                                                       const PreparedBatch& batch,
                                                       observe::Logger& logger) {
  const auto& request = batch.request;
  auto result = orchestratorFor(runtime).orchestrate(request, batch.symbols);
  if (!result.ok()) {
    logger.error("orchestration_failed", {{"domain", request.domain},
                                          {"batch_id", request.batch_id},
                                          {"correlation_id", request.correlation_id},
                                          {"error", result.error().describe()}});
    return result.error();
  }
  logger.info("orchestrated", {{"domain", request.domain},
                               {"batch_id", result->batch_id},
                               {"correlation_id", request.correlation_id},
                               {"trigger_type", request.trigger_type},
                               {"batch_ds", result->batch_ds},
                               {"symbols", result->symbols},
                               {"rejected", static_cast<int>(result->rejected.size())},
                               {"chunks", result->chunks},
                               {"published", result->published},
                               {"seconds", result->seconds}});
  return result;
}

core::Result<pipeline::ChunkPlan> planBatch(DomainRuntime& runtime, const PreparedBatch& batch) {
  return orchestratorFor(runtime).plan(batch.request, batch.symbols);
}

}  // namespace rawfeed::app
