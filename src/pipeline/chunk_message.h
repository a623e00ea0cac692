#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "pipeline/batch_request.h"

namespace rawfeed::pipeline {

// contracts §2: one chunk of symbols of one batch, the queue message body.
struct ChunkMessage {
  BatchRequest request;  // the batch's fields, copied through (request.symbols unused)
  std::vector<std::string> symbols;
  int batch_total_chunks = 0;
  int chunk_index = 0;
  // History of a chunk the source's rate limit kept back (optional fields; older workers ignore
  // them): when it was first throttled and how often it went back to the queue as a fresh
  // message, so its receive budget is not spent on waiting.
  std::optional<core::SystemTime> throttled_since;
  int requeues = 0;
};

std::string encodeChunkMessage(const ChunkMessage& message);
// kInvalidInput naming the field when a body is not a chunk message (a poison message).
core::Result<ChunkMessage> decodeChunkMessage(std::string_view body);

}  // namespace rawfeed::pipeline
