#include "tracker/lake/batch_figures.h"

#include <algorithm>

namespace rawfeed::tracker::lake {
namespace {

void addFigures(BatchSummary& summary, const ChunkResult& chunk) {
  summary.dead_lettered_chunks += chunk.dead_lettered ? 1 : 0;
  summary.symbols_ok += static_cast<std::int64_t>(chunk.ok_symbols.size());
  summary.symbols_empty += static_cast<std::int64_t>(chunk.empty_symbols.size());
  summary.symbols_failed += static_cast<std::int64_t>(chunk.failed.size());
  for (const auto& failure : chunk.failed) {
    if (isRetryableFailure(failure.outcome))
      ++summary.symbols_failed_transient;
  }
  for (const auto& object : chunk.objects) {
    const bool bars = object.table.empty();  // objects_* are the bars'; bytes are both tables'
    if (object.written) {
      summary.objects_written += bars ? 1 : 0;
      summary.bytes_written += object.bytes;
    } else {
      summary.objects_skipped += bars ? 1 : 0;
    }
  }
  summary.records += chunk.records;
}

}  // namespace

BatchSummary summarize(const BatchSnapshot& snapshot, std::int64_t revision) {
  BatchSummary summary;
  summary.plan = snapshot.plan;
  summary.state = snapshot.state;
  summary.chunks_recorded = static_cast<int>(snapshot.chunks.size());
  for (const auto& chunk : snapshot.chunks)
    addFigures(summary, chunk);
  summary.revision = revision;
  summary.registered_at = snapshot.registered_at;
  summary.completed_at = snapshot.completed_at;
  summary.event_published = snapshot.event_published;
  return summary;
}

}  // namespace rawfeed::tracker::lake
