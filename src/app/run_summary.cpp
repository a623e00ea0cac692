#include "app/run_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace rawfeed::app {

namespace {

void addChunk(RunSummary& summary, const tracker::ChunkResult& chunk) {
  ++summary.chunks_recorded;
  summary.ok += static_cast<std::int64_t>(chunk.ok_symbols.size());
  summary.empty += static_cast<std::int64_t>(chunk.empty_symbols.size());
  summary.failed += static_cast<std::int64_t>(chunk.failed.size());
  summary.records += chunk.records;
  if (chunk.dead_lettered)
    ++summary.dead_lettered_chunks;
  for (const auto& failure : chunk.failed) {
    if (tracker::isRetryableFailure(failure.outcome))
      ++summary.failed_transient;
    summary.failures[failure.outcome + ": " + failure.reason].push_back(failure.symbol);
  }
  std::set<std::string> with_invalid;
  for (const auto& invalid : chunk.invalid_bars) {
    summary.invalid_bars[invalid.reason] += invalid.bars;
    with_invalid.insert(invalid.symbol);
  }
  summary.symbols_with_invalid_bars += static_cast<std::int64_t>(with_invalid.size());
  for (const auto& invalid : chunk.invalid_actions)
    summary.invalid_actions[invalid.reason] += invalid.actions;
  for (const auto& object : chunk.objects) {
    const bool bars = object.table.empty();
    if (object.written) {
      ++(bars ? summary.objects_written : summary.action_objects_written);
      summary.bytes += object.bytes;
    } else {
      ++(bars ? summary.objects_skipped : summary.action_objects_skipped);
    }
  }
}

// The batch's own fields and the orchestration's figures, once its chunks are added.
void finish(RunSummary& summary, const tracker::BatchPlan& plan, tracker::BatchState state,
            const pipeline::OrchestrationResult& orchestration, double wall_seconds) {
  summary.batch_id = plan.batch_id;
  summary.batch_ds = plan.batch_ds;
  summary.state = tracker::batchStateName(state);
  summary.chunks_total = plan.total_chunks;
  summary.rejected = static_cast<std::int64_t>(orchestration.rejected.size());
  summary.orchestration_seconds = orchestration.seconds;
  summary.wall_seconds = wall_seconds;
  for (const auto& rejected : orchestration.rejected)
    summary.failures["rejected: " + rejected.reason].push_back(rejected.symbol);
  // By symbol: the chunks were added in the order they were read or recorded, which varies.
  for (auto& [reason, symbols] : summary.failures)
    std::sort(symbols.begin(), symbols.end());
  const std::int64_t accounted = summary.ok + summary.empty + summary.failed;
  summary.unfinished = std::max<std::int64_t>(0, orchestration.symbols - accounted);
  summary.up_to_date = orchestration.up_to_date;
  summary.symbols_total = orchestration.symbols + summary.rejected + summary.up_to_date;
}

}  // namespace

RunSummary summarize(const tracker::BatchSnapshot& batch,
                     const pipeline::OrchestrationResult& orchestration, double wall_seconds) {
  RunSummary summary;
  for (const auto& chunk : batch.chunks)
    addChunk(summary, chunk);
  finish(summary, batch.plan, batch.state, orchestration, wall_seconds);
  return summary;
}

core::Result<RunSummary> summarizeBatch(tracker::BatchTracker& tracker, const std::string& batch_id,
                                        const pipeline::OrchestrationResult& orchestration,
                                        double wall_seconds) {
  RunSummary summary;
  auto outline = tracker.readBatch(batch_id, [&summary](tracker::ChunkResult& chunk) {
    addChunk(summary, chunk);
    return core::okStatus();
  });
  if (!outline.ok())
    return outline.error();
  finish(summary, outline->plan, outline->state, orchestration, wall_seconds);
  return summary;
}

RunTally::RunTally(pipeline::BatchFinalizer& finalizer, std::string batch_id)
    : finalizer_(finalizer), batch_id_(std::move(batch_id)) {
  finalizer_.observeReads(this);
}

RunTally::~RunTally() {
  finalizer_.observeReads(nullptr);
}

void RunTally::readStarted(ReadingId reading, const std::string& batch_id) {
  if (batch_id != batch_id_)
    return;
  std::lock_guard lock(mutex_);
  reading_[reading] = RunSummary{};
}

void RunTally::chunkRead(ReadingId reading, const tracker::ChunkResult& chunk) {
  std::lock_guard lock(mutex_);
  auto found = reading_.find(reading);
  if (found != reading_.end())
    addChunk(found->second, chunk);
}

void RunTally::readFinished(ReadingId reading, const tracker::BatchOutline& batch) {
  std::lock_guard lock(mutex_);
  auto found = reading_.find(reading);
  if (found == reading_.end())
    return;
  // Of two readings, the later revision is the batch's; a backend without revisions (0) never
  // has its reading reused.
  if (batch.revision > 0 && (!finished_ || finished_->outline.revision <= batch.revision))
    finished_ = Finished{std::move(found->second), batch};
  reading_.erase(found);
}

void RunTally::readAbandoned(ReadingId reading) {
  std::lock_guard lock(mutex_);
  reading_.erase(reading);
}

core::Result<RunSummary> RunTally::summarize(tracker::BatchTracker& tracker,
                                             const pipeline::OrchestrationResult& orchestration,
                                             double wall_seconds) {
  std::optional<Finished> finished;
  {
    std::lock_guard lock(mutex_);
    finished = finished_;
  }
  if (finished) {
    auto revision = tracker.revision(batch_id_);
    if (revision.ok() && *revision && **revision == finished->outline.revision) {
      finish(finished->summary, finished->outline.plan, finished->outline.state, orchestration,
             wall_seconds);
      return std::move(finished->summary);
    }
  }
  return summarizeBatch(tracker, batch_id_, orchestration, wall_seconds);
}

std::string formatSummary(const RunSummary& s) {
  std::string out;
  out += fmt::format("batch {} (ds {}): {}\n", s.batch_id, s.batch_ds, s.state);
  out += fmt::format("  symbols   {} total: {} ok, {} empty, {} failed, {} rejected at validation",
                     s.symbols_total, s.ok, s.empty, s.failed, s.rejected);
  if (s.unfinished > 0)
    out += fmt::format(", {} not finished", s.unfinished);
  if (s.up_to_date > 0)
    out += fmt::format(", {} up to date (not asked)", s.up_to_date);
  out += "\n";
  for (const auto& [reason, symbols] : s.failures) {
    std::string list;
    const std::size_t shown = std::min<std::size_t>(symbols.size(), 12);
    for (std::size_t i = 0; i < shown; ++i)
      list += (i ? " " : "") + symbols[i];
    if (symbols.size() > shown)
      list += fmt::format(" … and {} more", symbols.size() - shown);
    out += fmt::format("    {:>5} × {}\n          {}\n", symbols.size(), reason, list);
  }
  out += fmt::format("  objects   {} written, {} skipped (already in the lake)\n",
                     s.objects_written, s.objects_skipped);
  if (s.action_objects_written + s.action_objects_skipped > 0) {
    out += fmt::format("  actions   {} corporate-action objects written, {} skipped\n",
                       s.action_objects_written, s.action_objects_skipped);
  }
  if (!s.invalid_actions.empty()) {
    std::int64_t total = 0;
    std::string reasons;
    for (const auto& [reason, actions] : s.invalid_actions) {
      total += actions;
      reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", actions, reason);
    }
    out += fmt::format("  actions   {} dropped as invalid ({}): not written\n", total, reasons);
  }
  out += fmt::format("  records   {}\n  bytes     {}\n", s.records, s.bytes);
  if (!s.invalid_bars.empty()) {
    std::int64_t total = 0;
    std::string reasons;
    for (const auto& [reason, bars] : s.invalid_bars) {
      total += bars;
      reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", bars, reason);
    }
    out += fmt::format("  bars      {} dropped as invalid, of {} symbols ({}): not written\n",
                       total, s.symbols_with_invalid_bars, reasons);
  }
  out += fmt::format("  chunks    {} of {} recorded; {} dead-lettered messages\n",
                     s.chunks_recorded, s.chunks_total, s.dead_lettered_chunks);
  out += fmt::format("  time      {:.2f} s wall, orchestration {:.1f} ms\n", s.wall_seconds,
                     s.orchestration_seconds * 1000);
  return out;
}

}  // namespace rawfeed::app
