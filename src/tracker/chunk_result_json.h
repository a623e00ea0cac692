#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::tracker {

// A chunk's result as one recorder saw it, and when it was recorded: the one JSON form both
// trackers store (tracker/sqlite in a row, tracker/lake as an object under _rawfeed/). It is only
// ever read back whole, so one document beats child tables or one object per symbol.
struct ChunkDocument {
  ChunkResult result;
  std::int64_t recorded_at_ms = 0;
};

// The document's bytes are a pure function of its fields (fixed key order, no whitespace), so
// two writers of the same content write the same bytes (the lake tracker's races rely on it).
std::string chunkDocumentJson(const ChunkDocument& document);

// Which older forms a reader accepts besides the current one.
enum class ChunkDocumentForms {
  kCurrentOnly,
  // Also the SQLite tracker's first rows: the same fields without "schema" and
  // "recorded_at_ms" (the row keeps the time in a column of its own); recorded_at_ms reads as 0.
  kWithSchemaless,
};

// kInternal naming what is wrong: a stored document is ours, and a bad one is corruption, not
// the caller's mistake.
core::Result<ChunkDocument> parseChunkDocument(
    std::string_view text, ChunkDocumentForms forms = ChunkDocumentForms::kCurrentOnly);

}  // namespace rawfeed::tracker
