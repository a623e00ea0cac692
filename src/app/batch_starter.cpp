#include "app/batch_starter.h"

#include <map>

#include "pipeline/incremental_fetch.h"
#include "sources/source_registry.h"
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

// The orchestrator's outcome with the symbols the source's notation refused before it. When no
// symbol was left at all, the orchestrator's error counts those too.
template <typename Outcome>
core::Result<Outcome> withBatchRejections(core::Result<Outcome> outcome,
                                          const PreparedBatch& batch) {
  if (batch.rejected.empty())
    return outcome;
  if (!outcome.ok()) {
    if (!batch.symbols.empty())
      return outcome;
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "the universe has no valid symbol (" +
                               std::to_string(batch.rejected.size()) +
                               " rejected); nothing was enqueued");
  }
  auto& rejected = outcome->rejected;
  rejected.insert(rejected.begin(), batch.rejected.begin(), batch.rejected.end());
  return outcome;
}

// The incremental plan of a prepared batch (its symbols normalized): symbol_windows and
// up_to_date set, or left unset (a period batch) when no watermark is known.
void planIncrementalBatch(DomainRuntime& runtime, const sources::SourceDescriptor& descriptor,
                          PreparedBatch& batch) {
  auto& request = batch.request;
  const tracker::WatermarkScope scope{request.domain, request.table_name, request.interval,
                                      request.data_source};
  auto watermarks = runtime.watermarks().load(scope);
  if (!watermarks.ok()) {
    batch.notes.push_back("watermarks unreadable, so every symbol fetches the period " +
                          request.period + ": " + watermarks.error().describe());
    return;
  }
  if (watermarks->empty())
    return;
  const auto now = runtime.clock().now();
  auto plan = pipeline::planIncremental(batch.symbols, *watermarks, now);
  std::map<std::pair<std::string, std::string>, core::Result<std::vector<sources::DateWindow>>>
      splits;
  std::vector<pipeline::SymbolWindow> windows;
  int beyond_history = 0;
  for (auto& window : plan.windows) {
    if (window.start.empty()) {
      windows.push_back(std::move(window));
      continue;
    }
    auto [split, inserted] =
        splits.try_emplace({window.start, window.end}, std::vector<sources::DateWindow>{});
    if (inserted) {
      split->second = descriptor.splitBackfill(request.interval, {window.start, window.end}, now);
    }
    if (!split->second.ok()) {
      // The days after the watermark reach back further than the source keeps at this
      // interval: what it still has is the period.
      ++beyond_history;
      windows.push_back({window.symbol, "", "", ""});
      continue;
    }
    for (const auto& part : *split->second)
      windows.push_back({window.symbol, part.start, part.end, window.time_zone});
  }
  if (beyond_history > 0) {
    batch.notes.push_back(std::to_string(beyond_history) +
                          " symbols' watermarks are older than the source's history at interval " +
                          request.interval + ": they fetch the period " + request.period);
  }
  request.symbol_windows = std::move(windows);
  request.up_to_date = std::move(plan.up_to_date);
}

}  // namespace

core::Result<PreparedBatch> prepareBatch(DomainRuntime& runtime,
                                         const pipeline::TriggerEvent& trigger) {
  auto request =
      pipeline::resolveTrigger(trigger, runtime.domain(), runtime.clock(), runtime.random());
  if (!request.ok())
    return request.error();
  auto source = sources::sourceNamed(request->data_source);
  if (!source.ok())
    return source.error();
  const sources::SourceDescriptor& descriptor = **source;
  if (!descriptor.supportsInterval(request->interval)) {
    std::string served;
    for (const auto interval : descriptor.intervals()) {
      if (!served.empty())
        served += ' ';
      served.append(interval);
    }
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "interval " + request->interval + " is not served by " +
                               std::string(descriptor.name()) + " (one of " + served + ")");
  }
  auto raw = batchSymbols(*request, runtime.domain());
  if (!raw.ok())
    return raw.error();
  PreparedBatch batch;
  for (const auto& symbol : *raw) {
    auto normalized = descriptor.normalizeSymbol(symbol);
    if (normalized.ok()) {
      batch.symbols.push_back(std::move(normalized).value());
    } else {
      batch.rejected.push_back({symbol, normalized.error().message});
    }
  }
  if (!request->start.empty()) {
    auto windows = descriptor.splitBackfill(request->interval, {request->start, request->end},
                                            runtime.clock().now());
    if (!windows.ok())
      return windows.error();
    for (const auto& window : *windows)
      request->windows.emplace_back(window.start, window.end);
  }
  batch.request = std::move(request).value();
  if (batch.request.incremental)
    planIncrementalBatch(runtime, descriptor, batch);
  return batch;
}

core::Result<pipeline::OrchestrationResult> startBatch(DomainRuntime& runtime,
                                                       const PreparedBatch& batch,
                                                       observe::Logger& logger) {
  const auto& request = batch.request;
  for (const auto& note : batch.notes) {
    logger.warn("batch_plan_note",
                {{"domain", request.domain}, {"batch_id", request.batch_id}, {"note", note}});
  }
  auto result =
      withBatchRejections(orchestratorFor(runtime).orchestrate(request, batch.symbols), batch);
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
                               {"up_to_date", result->up_to_date},
                               {"published", result->published},
                               {"seconds", result->seconds}});
  return result;
}

core::Result<pipeline::ChunkPlan> planBatch(DomainRuntime& runtime, const PreparedBatch& batch) {
  return withBatchRejections(orchestratorFor(runtime).plan(batch.request, batch.symbols), batch);
}

}  // namespace rawfeed::app
