// Chunk messages (contracts §2), the queue bodies a worker receives: decodeChunkMessage on any
// body. A body it accepts must survive encode and decode unchanged, the encoding must be a fixed
// point, and what it holds must be what the decoder promises (valid symbols, an index inside
// the batch).
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_support.h"
#include "pipeline/chunk_message.h"
#include "universe/symbol.h"

namespace {

using namespace rawfeed;

bool sameMessage(const pipeline::ChunkMessage& a, const pipeline::ChunkMessage& b) {
  const pipeline::BatchRequest& x = a.request;
  const pipeline::BatchRequest& y = b.request;
  return x.data_source == y.data_source && x.data_type == y.data_type && x.domain == y.domain &&
         x.table_name == y.table_name && x.period == y.period && x.interval == y.interval &&
         x.file_format == y.file_format && x.trigger_type == y.trigger_type &&
         x.batch_id == y.batch_id && x.batch_ds == y.batch_ds &&
         x.correlation_id == y.correlation_id && x.compression == y.compression &&
         x.compression_level == y.compression_level && x.overwrite == y.overwrite &&
         (x.period.empty() ? x.start == y.start && x.end == y.end : true) &&
         a.symbols == b.symbols && a.batch_total_chunks == b.batch_total_chunks &&
         a.chunk_index == b.chunk_index && a.throttled_since == b.throttled_since &&
         (a.throttled_since ? a.requeues == b.requeues : true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto decoded = pipeline::decodeChunkMessage(fuzz::asText(data, size));
  if (!decoded.ok()) {
    FUZZ_CHECK(decoded.error().code == core::ErrorCode::kInvalidInput, decoded.error().describe());
    return 0;
  }
  const pipeline::ChunkMessage& message = *decoded;
  FUZZ_CHECK(!message.symbols.empty(), "no symbols");
  for (const auto& symbol : message.symbols)
    FUZZ_CHECK(universe::isValidSymbol(symbol), "symbol '" + symbol + "'");
  FUZZ_CHECK(message.chunk_index >= 0 && message.chunk_index < message.batch_total_chunks,
             "chunk " + std::to_string(message.chunk_index) + " of " +
                 std::to_string(message.batch_total_chunks));
  FUZZ_CHECK(message.requeues >= 0, "negative requeues");
  FUZZ_CHECK(!message.request.period.empty() ||
                 (!message.request.start.empty() && !message.request.end.empty()),
             "neither a period nor a window");

  const std::string encoded = pipeline::encodeChunkMessage(message);
  FUZZ_CHECK(!nlohmann::json::parse(encoded, nullptr, false).is_discarded(),
             "the encoder wrote invalid JSON: " + encoded);
  const auto again = pipeline::decodeChunkMessage(encoded);
  FUZZ_CHECK(again.ok(), "the encoding does not decode: " + encoded + " (" +
                             (again.ok() ? std::string() : again.error().message) + ")");
  FUZZ_CHECK(sameMessage(message, *again), "encode + decode changed the message: " + encoded);
  FUZZ_CHECK(pipeline::encodeChunkMessage(*again) == encoded, "the encoding is no fixed point");
  return 0;
}
