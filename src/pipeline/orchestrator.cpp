#include "pipeline/orchestrator.h"

#include <algorithm>
#include <set>

#include "lake/sha256.h"
#include "pipeline/chunk_message.h"

namespace rawfeed::pipeline {

Orchestrator::Orchestrator(queue::Queue& queue, tracker::BatchTracker& tracker,
                           const core::Clock& clock, OrchestratorOptions options)
    : queue_(queue), tracker_(tracker), clock_(clock), options_(options) {
  options_.chunk_size = std::max(1, options_.chunk_size);
  options_.send_batch_size = std::clamp(options_.send_batch_size, 1, queue::kMaxBatchEntries);
}

core::Result<OrchestrationResult> Orchestrator::orchestrate(
    const BatchRequest& request, const std::vector<std::string>& raw_symbols) {
  const auto started = clock_.steadyNow();
  OrchestrationResult result;
  result.batch_id = request.batch_id;
  result.batch_ds = request.batch_ds;
  universe::SymbolList list = universe::normalizeSymbols(raw_symbols);
  result.rejected = std::move(list.rejected);
  result.symbols = static_cast<int>(list.symbols.size());
  if (list.symbols.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "the universe has no valid symbol (" +
                               std::to_string(result.rejected.size()) +
                               " rejected); nothing was enqueued");
  }

  const int chunk_size = options_.chunk_size;
  const int total = (result.symbols + chunk_size - 1) / chunk_size;
  result.chunks = total;
  std::vector<std::string> bodies;
  bodies.reserve(static_cast<std::size_t>(total));
  std::string plan;  // the fingerprint's input: every body, in order
  for (int index = 0; index < total; ++index) {
    ChunkMessage message;
    message.request = request;
    const auto first = list.symbols.begin() + static_cast<std::ptrdiff_t>(index) * chunk_size;
    const auto last = list.symbols.begin() +
                      std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(index + 1) * chunk_size,
                                               static_cast<std::ptrdiff_t>(list.symbols.size()));
    message.symbols.assign(first, last);
    message.batch_total_chunks = total;
    message.chunk_index = index;
    bodies.push_back(encodeChunkMessage(message));
    plan += bodies.back();
    plan += '\n';
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
  batch.fingerprint = lake::sha256Hex(plan);
  auto registered = tracker_.registerBatch(batch, clock_.now());
  if (!registered.ok()) return registered.error();

  std::vector<int> to_send;
  if (*registered == tracker::RegisterOutcome::kExisting) {
    result.existing_batch = true;
    auto snapshot = tracker_.snapshot(request.batch_id);
    if (!snapshot.ok()) return snapshot.error();
    std::set<int> done(snapshot->sent_chunks.begin(), snapshot->sent_chunks.end());
    for (const auto& chunk : snapshot->chunks) done.insert(chunk.chunk_index);
    for (int index = 0; index < total; ++index) {
      if (!done.count(index)) to_send.push_back(index);
    }
    result.already_sent = total - static_cast<int>(to_send.size());
  } else {
    to_send.resize(static_cast<std::size_t>(total));
    for (int index = 0; index < total; ++index) to_send[static_cast<std::size_t>(index)] = index;
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
  result.seconds =
      std::chrono::duration<double>(clock_.steadyNow() - started).count();
  if (!send_status.ok()) return send_status.error();
  return result;
}

core::Status Orchestrator::sendChunks(const std::vector<std::string>& bodies,
                                      const std::vector<int>& indexes, std::vector<int>& sent) {
  std::vector<queue::OutgoingMessage> batch;
  const std::size_t step = static_cast<std::size_t>(options_.send_batch_size);
  for (std::size_t offset = 0; offset < indexes.size(); offset += step) {
    batch.clear();
    for (std::size_t i = offset; i < std::min(indexes.size(), offset + step); ++i) {
      const int index = indexes[i];
      batch.push_back({std::to_string(index), bodies[static_cast<std::size_t>(index)], {}});
    }
    // The design's orchestrator retries a failed publish once; a residual failure is loud.
    for (int attempt = 0; attempt < 2 && !batch.empty(); ++attempt) {
      auto result = queue_.sendBatch(batch);
      if (!result.ok()) {
        if (attempt == 1) {
          return core::makeError(result.error().code,
                                 "sending chunk messages failed twice: " + result.error().message);
        }
        continue;  // the whole call failed: resend the same entries
      }
      for (const auto& id : result->sent_ids) sent.push_back(std::stoi(id));
      std::vector<queue::OutgoingMessage> retry;
      for (const auto& failure : result->failed) {
        for (const auto& message : batch) {
          if (message.id == failure.id) retry.push_back(message);
        }
      }
      if (!retry.empty() && attempt == 1) {
        return core::makeError(
            result->failed.front().error.code,
            std::to_string(retry.size()) + " chunk messages failed to send twice (first: chunk " +
                result->failed.front().id + ": " + result->failed.front().error.message + ")");
      }
      batch = std::move(retry);
    }
  }
  return core::okStatus();
}

}  // namespace rawfeed::pipeline
