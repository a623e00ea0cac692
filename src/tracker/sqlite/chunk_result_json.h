#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::tracker::sqlite {

// A ChunkResult as the JSON text stored in its row: it is only ever read back whole, so one
// column beats four child tables. Keys are the struct's field names.
std::string chunkResultToJson(const ChunkResult& result);
// kInternal when the stored text is not a ChunkResult (a corrupted or foreign row).
core::Result<ChunkResult> chunkResultFromJson(std::string_view text);

}  // namespace rawfeed::tracker::sqlite
