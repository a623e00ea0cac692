#include "pipeline/orchestrator.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "digest/sha256.h"
#include "pipeline/chunk_message.h"

namespace rawfeed::pipeline {

Orchestrator::Orchestrator(queue::Queue& queue, tracker::BatchTracker& tracker,
                           const core::Clock& clock, OrchestratorOptions options)
    : queue_(queue), tracker_(tracker), clock_(clock), options_(options) {
  options_.chunk_size = std::max(1, options_.chunk_size);
  options_.send_batch_size = std::clamp(options_.send_batch_size, 1, queue::kMaxBatchEntries);
}

namespace {

// One chunk message body per `chunk_size` symbols of each window, in window order.
void appendWindowChunks(ChunkMessage& message, const std::vector<std::string>& symbols,
                        std::size_t chunk_size, std::vector<std::string>& bodies) {
  for (std::size_t first = 0; first < symbols.size(); first += chunk_size) {
    const std::size_t last = std::min(symbols.size(), first + chunk_size);
    message.symbols.assign(symbols.begin() + static_cast<std::ptrdiff_t>(first),
                           symbols.begin() + static_cast<std::ptrdiff_t>(last));
    message.chunk_index = static_cast<int>(bodies.size());
    bodies.push_back(encodeChunkMessage(message));
  }
}

std::size_t chunksOf(std::size_t symbols, std::size_t chunk_size) {
  return (symbols + chunk_size - 1) / chunk_size;
}

core::Error noValidSymbol(std::size_t rejected) {
  return core::makeError(core::ErrorCode::kInvalidInput, "the universe has no valid symbol (" +
                                                             std::to_string(rejected) +
                                                             " rejected); nothing was enqueued");
}

}  // namespace

core::Result<ChunkPlan> Orchestrator::plan(const BatchRequest& request,
                                           const std::vector<std::string>& symbols) const {
  if (request.symbol_windows)
    return planPerSymbol(request);
  ChunkPlan plan;
  // The symbols are in the source's notation already (the batch starter asked the source):
  // checked and de-duplicated here, never mapped a second time.
  universe::SymbolList list = universe::distinctValidSymbols(symbols);
  plan.rejected = std::move(list.rejected);
  plan.symbols = std::move(list.symbols);
  if (plan.symbols.empty())
    return noValidSymbol(plan.rejected.size());
  std::vector<std::pair<std::string, std::string>> windows = request.windows;
  if (windows.empty())
    windows.emplace_back(request.start, request.end);
  plan.windows = static_cast<int>(windows.size());
  const std::size_t chunk_size = static_cast<std::size_t>(options_.chunk_size);
  const int total = static_cast<int>(chunksOf(plan.symbols.size(), chunk_size) * windows.size());
  plan.bodies.reserve(static_cast<std::size_t>(total));
  ChunkMessage message;
  message.request = request;
  message.request.windows.clear();
  message.batch_total_chunks = total;
  for (const auto& [start, end] : windows) {
    message.request.start = start;
    message.request.end = end;
    appendWindowChunks(message, plan.symbols, chunk_size, plan.bodies);
  }
  return plan;
}

// A batch planned per symbol: the symbols of each distinct window (by start, end and zone, so
// the plan is the same however the windows were listed) chunked together; a window without
// dates asks for the batch's period.
core::Result<ChunkPlan> Orchestrator::planPerSymbol(const BatchRequest& request) const {
  using WindowKey = std::tuple<std::string, std::string, std::string>;
  std::map<WindowKey, std::vector<std::string>> by_window;
  for (const auto& window : *request.symbol_windows)
    by_window[{window.start, window.end, window.time_zone}].push_back(window.symbol);
  ChunkPlan plan;
  plan.up_to_date = static_cast<int>(request.up_to_date.size());
  std::set<std::string> valid;
  std::set<std::string> rejected;
  const std::size_t chunk_size = static_cast<std::size_t>(options_.chunk_size);
  std::size_t total = 0;
  for (auto& [key, symbols] : by_window) {
    universe::SymbolList list = universe::distinctValidSymbols(symbols);
    for (auto& rejection : list.rejected) {
      if (rejected.insert(rejection.symbol).second)
        plan.rejected.push_back(std::move(rejection));
    }
    for (const auto& symbol : list.symbols) {
      if (valid.insert(symbol).second)
        plan.symbols.push_back(symbol);
    }
    symbols = std::move(list.symbols);
    total += chunksOf(symbols.size(), chunk_size);
  }
  if (plan.symbols.empty() && request.up_to_date.empty())
    return noValidSymbol(plan.rejected.size());
  plan.windows = static_cast<int>(by_window.size());
  plan.bodies.reserve(total);
  ChunkMessage message;
  message.request = request;
  message.request.windows.clear();
  message.request.symbol_windows.reset();
  message.request.up_to_date.clear();
  message.batch_total_chunks = static_cast<int>(total);
  for (const auto& [key, symbols] : by_window) {
    const auto& [start, end, time_zone] = key;
    message.request.start = start;
    message.request.end = end;
    message.request.window_time_zone = time_zone;
    message.request.period = start.empty() ? request.period : "";
    appendWindowChunks(message, symbols, chunk_size, plan.bodies);
  }
  return plan;
}

core::Result<OrchestrationResult> Orchestrator::orchestrate(
    const BatchRequest& request, const std::vector<std::string>& symbols) {
  const auto started = clock_.steadyNow();
  OrchestrationResult result;
  result.batch_id = request.batch_id;
  result.batch_ds = request.batch_ds;
  auto planned = plan(request, symbols);
  if (!planned.ok())
    return planned.error();
  result.rejected = std::move(planned->rejected);
  result.symbols = static_cast<int>(planned->symbols.size());
  result.up_to_date = planned->up_to_date;
  const std::vector<std::string>& bodies = planned->bodies;
  const int total = static_cast<int>(bodies.size());
  result.chunks = total;
  if (request.symbol_windows) {
    // A per-symbol plan follows the clock and the watermarks, which a re-run under the same
    // batch_id may see moved (a session closed since; the batch's own results merged). When every
    // chunk of the stored batch went out already there is nothing to send, whatever a new plan
    // says: the re-run resumes that batch instead of comparing plans.
    auto resumed = resumeSentBatch(request.batch_id, result);
    if (!resumed.ok())
      return resumed.error();
    if (*resumed) {
      result.seconds = std::chrono::duration<double>(clock_.steadyNow() - started).count();
      return result;
    }
  }
  if (total == 0) {
    // Every symbol is up to date: no request to make, so no batch, no manifest and no event.
    result.seconds = std::chrono::duration<double>(clock_.steadyNow() - started).count();
    return result;
  }
  std::string plan_text;  // the fingerprint's input: every body, in order, and what it left out
  for (const auto& body : bodies) {
    plan_text += body;
    plan_text += '\n';
  }
  for (const auto& symbol : request.up_to_date) {
    plan_text += "up_to_date ";
    plan_text += symbol;
    plan_text += '\n';
  }

  tracker::BatchPlan batch;
  batch.batch_id = request.batch_id;
  batch.batch_ds = request.batch_ds;
  batch.domain = request.domain;
  batch.table_name = request.table_name;
  batch.data_source = request.data_source;
  batch.interval = request.interval;
  batch.file_format = request.file_format;
  batch.trigger_type = request.trigger_type;
  batch.correlation_id = request.correlation_id;
  batch.total_chunks = total;
  batch.symbols_up_to_date = static_cast<std::int64_t>(request.up_to_date.size());
  batch.corporate_actions_table = request.corporate_actions_table;
  batch.fingerprint = digest::sha256Hex(plan_text);
  auto registered = tracker_.registerBatch(batch, clock_.now());
  if (!registered.ok())
    return registered.error();

  std::vector<int> to_send;
  if (*registered == tracker::RegisterOutcome::kExisting) {
    result.existing_batch = true;
    auto snapshot = tracker_.snapshot(request.batch_id);
    if (!snapshot.ok())
      return snapshot.error();
    std::set<int> done(snapshot->sent_chunks.begin(), snapshot->sent_chunks.end());
    for (const auto& chunk : snapshot->chunks)
      done.insert(chunk.chunk_index);
    for (int index = 0; index < total; ++index) {
      if (!done.count(index))
        to_send.push_back(index);
    }
    result.already_sent = total - static_cast<int>(to_send.size());
  } else {
    to_send.resize(static_cast<std::size_t>(total));
    for (int index = 0; index < total; ++index)
      to_send[static_cast<std::size_t>(index)] = index;
  }

  std::vector<int> sent;
  sent.reserve(to_send.size());
  const core::Status send_status = sendChunks(bodies, to_send, sent);
  // Record what did go out even when a later send failed, so a re-run sends only the rest.
  if (!sent.empty()) {
    if (auto marked = tracker_.markSent(request.batch_id, sent); !marked.ok()) {
      return marked.error();
    }
  }
  result.published = static_cast<int>(sent.size());
  result.seconds = std::chrono::duration<double>(clock_.steadyNow() - started).count();
  if (!send_status.ok())
    return send_status.error();
  return result;
}

core::Result<bool> Orchestrator::resumeSentBatch(const std::string& batch_id,
                                                 OrchestrationResult& result) {
  auto stored = tracker_.snapshot(batch_id);
  if (!stored.ok()) {
    if (stored.error().code == core::ErrorCode::kNotFound)
      return false;
    return stored.error();
  }
  std::set<int> done(stored->sent_chunks.begin(), stored->sent_chunks.end());
  std::set<std::string> recorded;
  for (const auto& chunk : stored->chunks) {
    done.insert(chunk.chunk_index);
    recorded.insert(chunk.ok_symbols.begin(), chunk.ok_symbols.end());
    recorded.insert(chunk.empty_symbols.begin(), chunk.empty_symbols.end());
    for (const auto& failure : chunk.failed)
      recorded.insert(failure.symbol);
  }
  if (static_cast<int>(done.size()) < stored->plan.total_chunks)
    return false;  // some chunks never went out: only the same plan may send them
  result.existing_batch = true;
  result.chunks = stored->plan.total_chunks;
  result.already_sent = stored->plan.total_chunks;
  result.published = 0;
  result.up_to_date = static_cast<int>(stored->plan.symbols_up_to_date);
  // Every chunk recorded: exactly its symbols; otherwise at least those of the new plan.
  if (static_cast<int>(stored->chunks.size()) == stored->plan.total_chunks)
    result.symbols = static_cast<int>(recorded.size());
  return true;
}

core::Status Orchestrator::sendChunks(const std::vector<std::string>& bodies,
                                      const std::vector<int>& indexes, std::vector<int>& sent) {
  std::vector<queue::OutgoingMessage> pending;
  pending.reserve(indexes.size());
  for (const int index : indexes) {
    pending.push_back({std::to_string(index), bodies[static_cast<std::size_t>(index)], {}});
  }
  // The design's orchestrator retries a failed publish once; a residual failure is loud.
  for (int attempt = 0; attempt < 2 && !pending.empty(); ++attempt) {
    auto result = queue_.sendMany(pending, options_.send_batch_size);
    if (!result.ok()) {
      if (attempt == 1) {
        return core::makeError(result.error().code,
                               "sending chunk messages failed twice: " + result.error().message);
      }
      continue;  // the whole call failed: resend the same entries
    }
    for (const auto& id : result->sent_ids)
      sent.push_back(std::stoi(id));
    if (result->failed.empty())
      return core::okStatus();
    if (attempt == 1) {
      return core::makeError(result->failed.front().error.code,
                             std::to_string(result->failed.size()) +
                                 " chunk messages failed to send twice (first: chunk " +
                                 result->failed.front().id + ": " +
                                 result->failed.front().error.message + ")");
    }
    std::set<std::string> failed;
    for (const auto& failure : result->failed)
      failed.insert(failure.id);
    std::erase_if(pending, [&](const auto& message) { return !failed.count(message.id); });
  }
  return core::okStatus();
}

}  // namespace rawfeed::pipeline
