#include "pipeline/worker.h"

#include "pipeline/incremental_fetch.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "pipeline/writer_pool.h"

#include "core/crash_point.h"
#include "core/time_format.h"
#include "lake/raw_key.h"
#include "pipeline/chunk_message.h"

namespace rawfeed::pipeline {

struct Worker::Chunk {
  const queue::ReceivedMessage* received = nullptr;
  ChunkMessage message;
  ObjectLayout layout;
  int remaining = 0;
  tracker::ChunkResult result;
  bool retryable = false;                    // some symbol failed for a reason that may pass
  bool only_throttled = true;                // every retryable failure was the source's rate limit
  std::chrono::milliseconds retry_after{0};  // the longest wait a throttled answer asked for
  std::vector<std::string> to_fetch;         // the symbols no earlier delivery settled
  int carried = 0;                           // symbols settled by earlier deliveries
  std::optional<core::Error> storage_failure;  // the lake could not be written at all
};

namespace {

sources::FetchRequest fetchRequestFor(const BatchRequest& request, const std::string& symbol,
                                      const std::optional<DeliveryDeadline>& deadline) {
  sources::FetchRequest fetch;
  if (deadline)
    fetch.start_by = deadline->start_by;
  fetch.symbol = symbol;
  fetch.interval = request.interval;
  if (request.period.empty()) {
    // start/end are inclusive dates: the window ends at the midnight after the end date, in the
    // exchange's time zone when the message names it (an incremental fetch), else UTC.
    fetch.window = zonedDays(*core::parseDate(request.start), *core::parseDate(request.end),
                             request.window_time_zone);
  } else {
    fetch.lookback = request.period;
  }
  return fetch;
}

// The queue's delivery; completions arrive on the source's threads.
struct CompletionChannel {
  std::mutex mutex;  // guards ready
  std::condition_variable changed;
  std::deque<std::pair<std::size_t, sources::FetchResult>> ready;

  void push(std::size_t chunk, sources::FetchResult result) {
    {
      std::lock_guard lock(mutex);
      ready.emplace_back(chunk, std::move(result));
    }
    changed.notify_one();
  }

  // The next completion; nullopt when `until` passes first.
  std::optional<std::pair<std::size_t, sources::FetchResult>> pop(
      const std::optional<core::SteadyTime>& until) {
    std::unique_lock lock(mutex);
    const auto has_item = [&] { return !ready.empty(); };
    if (!until) {
      changed.wait(lock, has_item);
    } else if (!changed.wait_until(lock, *until, has_item)) {
      return std::nullopt;
    }
    auto item = std::move(ready.front());
    ready.pop_front();
    return item;
  }
};

}  // namespace

bool isStorageFailure(const core::Error& error) {
  switch (error.code) {
    case core::ErrorCode::kInternal:         // local I/O or database: full, read-only, a file
    case core::ErrorCode::kUnauthenticated:  // credentials refused
    case core::ErrorCode::kPermanent:        // access denied, no such bucket
      return true;
    default:
      return false;
  }
}

Worker::Worker(sources::Source& source, store::ObjectStore& store, tracker::BatchTracker& tracker,
               BatchFinalizer& finalizer, observe::DomainMetrics metrics, observe::Logger& logger,
               const core::Clock& clock, WorkerOptions options)
    : source_(source),
      store_(store),
      writer_(store, WriteDurability::kCallerFlushes),
      tracker_(tracker),
      finalizer_(finalizer),
      metrics_(std::move(metrics)),
      logger_(logger),
      clock_(clock),
      options_(options),
      writers_(options.writers) {}

DeliveryReport Worker::handle(std::span<const queue::ReceivedMessage> messages,
                              std::optional<DeliveryDeadline> deadline) {
  metrics_.worker_deliveries.inc();
  const auto started = clock_.steadyNow();
  DeliveryReport report;
  std::vector<Chunk> chunks;
  chunks.reserve(messages.size());
  for (const auto& received : messages) {
    auto decoded = decodeChunkMessage(received.body);
    if (decoded.ok()) {
      const auto& r = decoded->request;
      if (auto valid = lake::validatePartition(
              {r.domain, r.table_name, r.interval, r.data_source, r.batch_ds});
          !valid.ok()) {
        decoded = core::makeError(core::ErrorCode::kInvalidInput,
                                  "not a chunk message: " + valid.error().message);
      } else if (!r.corporate_actions_table.empty()) {
        if (auto actions = lake::validatePartition(
                {r.domain, r.corporate_actions_table, r.interval, r.data_source, r.batch_ds});
            !actions.ok() || r.corporate_actions_table == r.table_name) {
          decoded = core::makeError(core::ErrorCode::kInvalidInput,
                                    "not a chunk message: corporate_actions_table '" +
                                        r.corporate_actions_table + "' is not a second table");
        }
      }
    }
    if (!decoded.ok()) {
      // A poison message: it fails every time and reaches the DLQ after max_receives.
      logger_.error("poison_message", {{"message_id", received.message_id},
                                       {"receive_count", received.receive_count},
                                       {"error", decoded.error().message}});
      report.failed_message_ids.push_back(received.message_id);
      if (received.receive_count >= options_.max_receives) {
        report.dead_lettering_ids.push_back(received.message_id);
      }
      continue;
    }
    Chunk chunk;
    chunk.received = &received;
    chunk.message = std::move(decoded).value();
    const auto& r = chunk.message.request;
    chunk.layout = {r.domain,
                    r.table_name,
                    r.interval,
                    r.data_source,
                    r.file_format,
                    r.compression,
                    r.compression_level,
                    r.overwrite,
                    r.corporate_actions_table};
    chunk.result.chunk_index = chunk.message.chunk_index;
    resumeChunk(chunk);
    chunk.remaining = static_cast<int>(chunk.to_fetch.size());
    chunks.push_back(std::move(chunk));
  }

  std::vector<Chunk*> done;
  // Shared with the fetches: with a deadline, some may complete after handle() has returned.
  auto channel = std::make_shared<CompletionChannel>();
  int outstanding = 0;
  for (std::size_t index = 0; index < chunks.size(); ++index) {
    if (chunks[index].remaining == 0 && finishChunk(chunks[index], report))
      done.push_back(&chunks[index]);  // every symbol settled before: only the record is left
    for (const auto& symbol : chunks[index].to_fetch) {
      ++outstanding;
      const auto submitted = clock_.steadyNow();
      source_.fetch(fetchRequestFor(chunks[index].message.request, symbol, deadline),
                    [this, channel, index, submitted](sources::FetchResult result) {
                      metrics_.source_request_duration_seconds.observe(
                          std::chrono::duration<double>(clock_.steadyNow() - submitted).count());
                      channel->push(index, std::move(result));
                    });
    }
  }
  std::optional<core::SteadyTime> stop_waiting;
  if (deadline)
    stop_waiting = deadline->stop_waiting;
  // Fetch results come in on this thread; the writes of those with bars go to the writer pool
  // (when there is one), and their bookkeeping comes back under `mutex`.
  std::mutex mutex;  // guards chunks, done, report and writing while writers run
  std::condition_variable written_all;
  int writing = 0;
  auto settle = [&](std::size_t index, sources::FetchResult result, const WriteResult* written) {
    Chunk& chunk = chunks[index];
    landSymbol(chunk, std::move(result), written);
    if (--chunk.remaining == 0 && finishChunk(chunk, report))
      done.push_back(&chunk);
  };
  while (outstanding > 0) {
    auto next = channel->pop(stop_waiting);
    if (!next)
      break;  // the deadline: what is still in flight is abandoned
    // Named rather than bound: a lambda below captures them (clang 14 cannot capture a binding).
    const std::size_t index = next->first;
    sources::FetchResult& result = next->second;
    --outstanding;
    // Bars come with kOk; corporate actions with kOk and kEmpty (an events-only answer).
    const bool has_actions = !chunks[index].layout.actions_table.empty() && !result.actions.empty();
    if (result.outcome != sources::FetchOutcome::kOk &&
        !(result.outcome == sources::FetchOutcome::kEmpty && has_actions)) {
      std::lock_guard lock(mutex);
      settle(index, std::move(result), nullptr);
      continue;
    }
    auto write = [this, &chunks, &mutex, &written_all, &writing, &settle, index,
                  result = std::move(result)]() mutable {
      const WriteResult written = writeSymbol(chunks[index].layout, result);
      std::lock_guard lock(mutex);
      settle(index, std::move(result), &written);
      --writing;
      written_all.notify_all();
    };
    {
      std::lock_guard lock(mutex);
      ++writing;
    }
    if (writers_ != nullptr) {
      writers_->submit(std::move(write));
    } else {
      write();
    }
  }
  {
    std::unique_lock lock(mutex);
    written_all.wait(lock, [&] { return writing == 0; });
  }
  if (outstanding > 0) {
    std::lock_guard lock(mutex);
    for (const Chunk& chunk : chunks) {
      if (chunk.remaining == 0)
        continue;
      const auto& r = chunk.message.request;
      logger_.warn("chunk_cut_by_deadline", {{"domain", r.domain},
                                             {"batch_id", r.batch_id},
                                             {"correlation_id", r.correlation_id},
                                             {"chunk_index", chunk.message.chunk_index},
                                             {"unsettled_symbols", chunk.remaining},
                                             {"message_id", chunk.received->message_id}});
      report.failed_message_ids.push_back(chunk.received->message_id);
      report.unfinished_ids.push_back(chunk.received->message_id);
    }
  }
  for (const Chunk& chunk : chunks) {
    if (chunk.storage_failure && !report.storage_failure)
      report.storage_failure = chunk.storage_failure;
  }
  if (flushObjects(chunks, done, report)) {
    saveProgress(chunks, done);
    recordChunks(done, report);
  }
  if (!report.failed_message_ids.empty())
    metrics_.worker_errors.inc();
  metrics_.delivery_duration_seconds.observe(
      std::chrono::duration<double>(clock_.steadyNow() - started).count());
  return report;
}

// Group durability: the delivery's puts left their names to be made durable here, all at once
// (one directory sync per partition instead of one per object), before anything is recorded,
// saved as progress or acknowledged. Objects found already in place are flushed too: a crashed
// process may have renamed them without syncing their directory. When the flush fails nothing
// of the delivery is recorded and every message comes back.
bool Worker::flushObjects(std::vector<Chunk>& chunks, std::vector<Chunk*>& done,
                          DeliveryReport& report) {
  std::vector<std::string> keys;
  for (const Chunk& chunk : chunks) {
    for (const auto& object : chunk.result.objects)
      keys.push_back(object.key);
  }
  if (keys.empty())
    return true;
  core::crashPoint("worker.before_flush");
  auto flushed = store_.flush(keys);
  if (flushed.ok())
    return true;
  if (isStorageFailure(flushed.error()) && !report.storage_failure) {
    report.storage_failure = core::makeError(
        flushed.error().code, "the lake cannot be written: " + flushed.error().message);
  }
  const std::set<std::string> failed(report.failed_message_ids.begin(),
                                     report.failed_message_ids.end());
  for (const Chunk& chunk : chunks) {
    const auto& r = chunk.message.request;
    logger_.error("lake_flush_failed", {{"domain", r.domain},
                                        {"batch_id", r.batch_id},
                                        {"chunk_index", chunk.message.chunk_index},
                                        {"error", flushed.error().describe()}});
    if (!failed.count(chunk.received->message_id))
      report.failed_message_ids.push_back(chunk.received->message_id);
  }
  done.clear();
  return false;
}

// A chunk coming again (a redelivery or a throttled chunk re-sent) starts from what earlier
// deliveries settled: those symbols are not fetched again. Without progress (or when it cannot
// be read) every symbol is fetched; the lake's create-only writes keep that harmless.
void Worker::resumeChunk(Chunk& chunk) {
  chunk.to_fetch = chunk.message.symbols;
  if (chunk.received->receive_count <= 1 && chunk.message.requeues == 0)
    return;
  const auto& r = chunk.message.request;
  auto progress = tracker_.chunkProgress(r.batch_id, chunk.message.chunk_index);
  if (!progress.ok()) {
    logger_.warn("chunk_progress_unreadable", {{"domain", r.domain},
                                               {"batch_id", r.batch_id},
                                               {"chunk_index", chunk.message.chunk_index},
                                               {"error", progress.error().describe()}});
    return;
  }
  if (!*progress)
    return;
  tracker::ChunkResult& saved = **progress;
  std::set<std::string> settled(saved.ok_symbols.begin(), saved.ok_symbols.end());
  settled.insert(saved.empty_symbols.begin(), saved.empty_symbols.end());
  for (const auto& failure : saved.failed) {
    if (!tracker::isRetryableFailure(failure.outcome))
      settled.insert(failure.symbol);
  }
  chunk.to_fetch.clear();
  for (const auto& symbol : chunk.message.symbols) {
    if (!settled.count(symbol))
      chunk.to_fetch.push_back(symbol);
  }
  saved.chunk_index = chunk.message.chunk_index;
  saved.dead_lettered = false;
  std::erase_if(saved.failed, [](const tracker::SymbolFailure& failure) {
    return tracker::isRetryableFailure(failure.outcome);
  });
  chunk.result = std::move(saved);
  chunk.carried = static_cast<int>(chunk.message.symbols.size() - chunk.to_fetch.size());
  logger_.info("chunk_resumed", {{"domain", r.domain},
                                 {"batch_id", r.batch_id},
                                 {"chunk_index", chunk.message.chunk_index},
                                 {"settled_before", chunk.carried},
                                 {"to_fetch", static_cast<std::int64_t>(chunk.to_fetch.size())}});
}

// What a chunk that comes again need not fetch: the symbols settled in this delivery (ok, empty,
// or a permanent verdict) with their objects. Best effort: without it the next delivery fetches
// them again and finds their objects in place.
void Worker::saveProgress(std::vector<Chunk>& chunks, const std::vector<Chunk*>& done) {
  const std::set<const Chunk*> recording(done.begin(), done.end());
  for (Chunk& chunk : chunks) {
    if (recording.count(&chunk))
      continue;
    tracker::ChunkResult progress = chunk.result;
    std::erase_if(progress.failed, [](const tracker::SymbolFailure& failure) {
      return tracker::isRetryableFailure(failure.outcome);
    });
    const std::size_t settled =
        progress.ok_symbols.size() + progress.empty_symbols.size() + progress.failed.size();
    if (settled <= static_cast<std::size_t>(chunk.carried))
      continue;  // nothing new since the progress it started from
    progress.dead_lettered = false;
    const auto& r = chunk.message.request;
    if (auto saved = tracker_.saveChunkProgress(r.batch_id, progress, clock_.now()); !saved.ok()) {
      logger_.warn("chunk_progress_not_saved", {{"domain", r.domain},
                                                {"batch_id", r.batch_id},
                                                {"chunk_index", chunk.message.chunk_index},
                                                {"error", saved.error().describe()}});
    }
  }
}

// One ok or events-only fetch in the lake: its bars in the batch's table, then its corporate
// actions in the actions table (when the domain has one); the entries of both, or the first
// error (a symbol whose write failed is fetched and written again, create-only, later).
Worker::WriteResult Worker::writeSymbol(const ObjectLayout& layout,
                                        const sources::FetchResult& result) {
  WriteResult written = writer_.write(layout, result.symbol, result.days);
  if (!written.ok() || layout.actions_table.empty() || result.actions.empty())
    return written;
  auto actions = writer_.writeActions(layout, result.symbol, result.actions);
  if (!actions.ok())
    return actions.error();
  for (auto& entry : *actions)
    written->push_back(std::move(entry));
  return written;
}

// Corporate actions the source adapter dropped, never written: said here, counted in the metrics
// and kept in the chunk's result for the summary and the actions table's manifests (only when
// the domain has the table).
void Worker::bookInvalidActions(Chunk& chunk, const sources::FetchResult& result) {
  const auto& r = chunk.message.request;
  if (!result.invalid_actions.empty() && !chunk.layout.actions_table.empty()) {
    int total = 0;
    std::string reasons;
    for (const auto& [reason, actions] : result.invalid_actions) {
      total += actions;
      metrics_.invalidActions(reason).inc(actions);
      chunk.result.invalid_actions.push_back({result.symbol, reason, actions});
      reasons += (reasons.empty() ? "" : ", ") + reason + ": " + std::to_string(actions);
    }
    logger_.warn("corporate_actions_dropped_invalid", {{"domain", r.domain},
                                                       {"batch_id", r.batch_id},
                                                       {"symbol", result.symbol},
                                                       {"actions", total},
                                                       {"reasons", reasons}});
  }
}

void Worker::landSymbol(Chunk& chunk, sources::FetchResult result, const WriteResult* written) {
  const auto& r = chunk.message.request;
  auto fail = [&](observe::SymbolOutcome outcome_kind, const std::string& reason, bool retryable) {
    const std::string outcome = observe::symbolOutcomeName(outcome_kind);
    metrics_.symbols(outcome_kind).inc();
    chunk.result.failed.push_back({result.symbol, outcome, reason});
    if (retryable)
      chunk.retryable = true;
    if (retryable && outcome_kind != observe::SymbolOutcome::kThrottled) {
      chunk.only_throttled = false;
    }
    logger_.log(retryable ? observe::Level::kWarn : observe::Level::kInfo, "symbol_failed",
                {{"domain", r.domain},
                 {"batch_id", r.batch_id},
                 {"correlation_id", r.correlation_id},
                 {"symbol", result.symbol},
                 {"outcome", outcome},
                 {"reason", reason},
                 {"attempts", result.attempts},
                 {"receive_count", chunk.received->receive_count}});
  };
  switch (result.outcome) {
    case sources::FetchOutcome::kEmpty:
      if (written == nullptr) {
        bookInvalidActions(chunk, result);
        chunk.result.watermarks.push_back(
            watermarkOf(fetchRequestFor(r, result.symbol, std::nullopt), result, clock_.now()));
        chunk.result.empty_symbols.push_back(result.symbol);
        metrics_.symbols(observe::SymbolOutcome::kEmpty).inc();
        return;
      }
      break;  // no bars, but corporate actions were written: booked below
    case sources::FetchOutcome::kNotFound:
    case sources::FetchOutcome::kBadRequest:
      fail(result.outcome == sources::FetchOutcome::kNotFound ? observe::SymbolOutcome::kNotFound
                                                              : observe::SymbolOutcome::kBadRequest,
           result.reason, false);
      return;
    case sources::FetchOutcome::kThrottled:
      metrics_.throttles(observe::ThrottleKind::kSource429).inc();
      chunk.retry_after = std::max(chunk.retry_after, result.retry_after);
      fail(observe::SymbolOutcome::kThrottled, result.reason, true);
      return;
    case sources::FetchOutcome::kBlocked:
      fail(observe::SymbolOutcome::kBlocked, result.reason, true);
      return;
    case sources::FetchOutcome::kTransient:
      fail(observe::SymbolOutcome::kTransient, result.reason, true);
      return;
    case sources::FetchOutcome::kOk:
      break;
  }
  if (!written->ok()) {
    // The lake refused (disk full, permissions): nothing is acknowledged, the chunk comes again.
    if (isStorageFailure(written->error())) {
      chunk.storage_failure = core::makeError(
          written->error().code, "the lake cannot be written: " + written->error().message);
    }
    fail(observe::SymbolOutcome::kWriteFailed, written->error().describe(), true);
    return;
  }
  for (auto entry : written->value()) {
    if (entry.table.empty())
      chunk.result.records += entry.records;  // bars only: records are the bars' figure
    const bool bars = entry.table.empty();
    if (entry.written) {
      (bars ? metrics_.objects_written : metrics_.action_objects_written).inc();
      metrics_.bytes_written.inc(entry.bytes);
    } else {
      (bars ? metrics_.objects_skipped : metrics_.action_objects_skipped).inc();
    }
    metrics_.records.inc(entry.records);
    chunk.result.objects.push_back(std::move(entry));
  }
  if (!result.invalid_bars.empty()) {
    // Dropped by the source adapter, never written: said here, counted in the metrics and kept
    // in the chunk's result for the summary and the manifest.
    int total = 0;
    std::string reasons;
    for (const auto& [reason, bars] : result.invalid_bars) {
      total += bars;
      metrics_.invalidBars(reason).inc(bars);
      chunk.result.invalid_bars.push_back({result.symbol, reason, bars});
      reasons += (reasons.empty() ? "" : ", ") + reason + ": " + std::to_string(bars);
    }
    logger_.warn("bars_dropped_invalid", {{"domain", r.domain},
                                          {"batch_id", r.batch_id},
                                          {"symbol", result.symbol},
                                          {"bars", total},
                                          {"reasons", reasons}});
  }
  bookInvalidActions(chunk, result);
  // Everything of the answer is in the lake now: how far the symbol goes, for the next
  // incremental fetch.
  chunk.result.watermarks.push_back(
      watermarkOf(fetchRequestFor(r, result.symbol, std::nullopt), result, clock_.now()));
  if (result.days.empty()) {
    chunk.result.empty_symbols.push_back(result.symbol);
    metrics_.symbols(observe::SymbolOutcome::kEmpty).inc();
  } else {
    chunk.result.ok_symbols.push_back(result.symbol);
    metrics_.symbols(observe::SymbolOutcome::kOk).inc();
  }
}

bool Worker::finishChunk(Chunk& chunk, DeliveryReport& report) {
  if (chunk.retryable && chunk.only_throttled)
    return requeueThrottled(chunk, report);
  const bool last_receive = chunk.received->receive_count >= options_.max_receives;
  if (chunk.retryable && !last_receive) {
    report.failed_message_ids.push_back(chunk.received->message_id);
    if (chunk.only_throttled)
      report.throttled_ids.push_back(chunk.received->message_id);
    return false;
  }
  // Done, or failed for the last time: its result goes to the tracker either way, so the batch
  // completes even when a chunk ends in the DLQ.
  chunk.result.dead_lettered = chunk.retryable;
  return true;
}

// Throttling is the source asking for patience, not a fault of the message: the chunk goes back
// as a fresh message delayed by the pause, whatever its receive count, until it has been
// throttled for max_throttled; only then is it recorded dead-lettered.
bool Worker::requeueThrottled(Chunk& chunk, DeliveryReport& report) {
  const auto now = clock_.now();
  const auto since = chunk.message.throttled_since.value_or(now);
  const auto& r = chunk.message.request;
  if (now - since >= options_.max_throttled) {
    for (auto& failure : chunk.result.failed) {
      if (failure.outcome == observe::symbolOutcomeName(observe::SymbolOutcome::kThrottled))
        failure.reason += " (throttled for longer than max_throttled_seconds)";
    }
    chunk.result.dead_lettered = true;
    return true;
  }
  std::chrono::milliseconds wait = chunk.retry_after;
  if (options_.source_pause)
    wait = std::max(wait, options_.source_pause());
  // At least a second, so a queue that redelivers at once does not spin; at most SQS's 15 min:
  // a longer pause brings the message back to find the governor still paused, at no request.
  const auto delay = std::clamp(std::chrono::ceil<std::chrono::seconds>(wait),
                                std::chrono::seconds(1), std::chrono::seconds(900));
  ChunkMessage next = chunk.message;
  next.throttled_since = since;
  ++next.requeues;
  report.failed_message_ids.push_back(chunk.received->message_id);
  report.throttled_ids.push_back(chunk.received->message_id);
  report.requeues.push_back({chunk.received->message_id, encodeChunkMessage(next), delay});
  logger_.info("chunk_throttled", {{"domain", r.domain},
                                   {"batch_id", r.batch_id},
                                   {"chunk_index", chunk.message.chunk_index},
                                   {"requeues", next.requeues},
                                   {"delay_seconds", static_cast<std::int64_t>(delay.count())}});
  return false;
}

void Worker::recordChunks(std::vector<Chunk*>& done, DeliveryReport& report) {
  if (done.empty())
    return;
  std::vector<tracker::ChunkRecord> records;
  records.reserve(done.size());
  for (const Chunk* chunk : done) {
    records.push_back({chunk->message.request.batch_id, chunk->result});
  }
  // Through the finalizer: a batch it digests ahead takes the chunks as they are recorded.
  auto recorded = finalizer_.recordChunks(records, clock_.now());
  if (!recorded.ok()) {
    if (isStorageFailure(recorded.error())) {
      report.storage_failure = core::makeError(
          recorded.error().code, "the tracker cannot be written: " + recorded.error().message);
    }
    // Nothing of this delivery is acknowledged; every chunk comes again.
    for (const Chunk* chunk : done) {
      const auto& r = chunk->message.request;
      logger_.error("chunk_record_failed", {{"domain", r.domain},
                                            {"batch_id", r.batch_id},
                                            {"chunk_index", chunk->message.chunk_index},
                                            {"error", recorded.error().describe()}});
      report.failed_message_ids.push_back(chunk->received->message_id);
    }
    return;
  }
  std::set<std::string> completed;
  for (std::size_t i = 0; i < done.size(); ++i) {
    const Chunk& chunk = *done[i];
    const auto& r = chunk.message.request;
    if (chunk.result.dead_lettered) {
      metrics_.messages_dead_lettered.inc();
      report.failed_message_ids.push_back(chunk.received->message_id);
      report.dead_lettering_ids.push_back(chunk.received->message_id);
      logger_.error("chunk_dead_lettered", {{"domain", r.domain},
                                            {"batch_id", r.batch_id},
                                            {"correlation_id", r.correlation_id},
                                            {"chunk_index", chunk.message.chunk_index},
                                            {"receive_count", chunk.received->receive_count}});
    }
    if ((*recorded)[i].batch_complete && completed.insert(r.batch_id).second) {
      finalize(r, chunk, report);
    }
  }
}

void Worker::finalize(const BatchRequest& r, const Chunk& chunk, DeliveryReport& report) {
  auto finalized = finalizer_.finalize(r.batch_id);
  if (!finalized.ok()) {
    // Redelivery of this last chunk finds the batch complete again and retries.
    logger_.error(
        "batch_finalize_failed",
        {{"domain", r.domain}, {"batch_id", r.batch_id}, {"error", finalized.error().describe()}});
    if (!chunk.result.dead_lettered) {
      report.failed_message_ids.push_back(chunk.received->message_id);
    }
    return;
  }
  if (*finalized == FinalizeOutcome::kClaimedElsewhere) {
    // Another finalizer (a duplicate of a message, a redelivery) is publishing the event. The
    // message comes back to check that it did: if that finalizer crashed, this one publishes
    // once its claim has lapsed.
    logger_.info("batch_event_claimed_elsewhere", {{"domain", r.domain}, {"batch_id", r.batch_id}});
    if (!chunk.result.dead_lettered) {
      report.failed_message_ids.push_back(chunk.received->message_id);
    }
    return;
  }
  logger_.info("batch_finalized", {{"domain", r.domain},
                                   {"batch_id", r.batch_id},
                                   {"correlation_id", r.correlation_id},
                                   {"event", finalizeOutcomeName(*finalized)}});
}

}  // namespace rawfeed::pipeline
