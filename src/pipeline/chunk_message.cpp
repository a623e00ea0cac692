#include "pipeline/chunk_message.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/compression.h"
#include "core/json_text.h"
#include "core/time_format.h"
#include "universe/symbol.h"

namespace rawfeed::pipeline {

namespace {

using nlohmann::json;

core::Error poison(const std::string& message) {
  return core::makeError(core::ErrorCode::kInvalidInput, "not a chunk message: " + message);
}

// `compression` when present, else the older `gzip`; `compression_level` when present, else the
// codec's default (what every object was written with before the level was carried). A codec or
// level this worker cannot honour makes the message poison rather than land other bytes.
core::Status readCompression(const json& body, BatchRequest& r) {
  if (const auto gzip = body.find("gzip"); gzip != body.end() && gzip->is_boolean()) {
    r.compression = gzip->get<bool>() ? core::Compression::kGzip : core::Compression::kNone;
  }
  if (const auto name = body.find("compression"); name != body.end() && !name->is_null()) {
    if (!name->is_string())
      return poison("field 'compression' is not a string");
    auto compression = core::parseCompression(name->get<std::string>());
    if (!compression.ok())
      return poison("field 'compression': " + compression.error().message);
    r.compression = *compression;
  }
  r.compression_level = core::compressionLevels(r.compression).default_level;
  if (const auto level = body.find("compression_level"); level != body.end() && !level->is_null()) {
    if (!level->is_number_integer())
      return poison("field 'compression_level' is not an integer");
    const auto value = level->get<std::int64_t>();
    const auto levels = core::compressionLevels(r.compression);
    if (value < levels.min || value > levels.max) {
      return poison("field 'compression_level': " + std::to_string(value) + " is outside " +
                    std::to_string(levels.min) + "-" + std::to_string(levels.max) + " for " +
                    std::string(core::compressionName(r.compression)));
    }
    r.compression_level = static_cast<int>(value);
  }
  return core::okStatus();
}

}  // namespace

namespace {

// The orchestrator encodes thousands of bodies per batch: written by hand (core/json_text.h)
// rather than through a JSON document tree.
void appendField(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":";
  core::appendJsonString(out, value);
  out += ',';
}

}  // namespace

std::string encodeChunkMessage(const ChunkMessage& message) {
  const BatchRequest& r = message.request;
  std::string body;
  body.reserve(512);
  body += '{';
  appendField(body, "data_source", r.data_source);
  appendField(body, "data_type", r.data_type);
  appendField(body, "domain", r.domain);
  appendField(body, "table_name", r.table_name);
  if (r.period.empty()) {
    appendField(body, "start", r.start);
    appendField(body, "end", r.end);
    // Only for a window in an exchange's days (an incremental fetch). A worker that does not
    // know the field reads the dates as UTC days: a window that may start a few hours off, whose
    // extra bars land create-only beside the existing objects and whose missing ones the next
    // run asks for again.
    if (!r.window_time_zone.empty())
      appendField(body, "window_time_zone", r.window_time_zone);
  } else {
    appendField(body, "period", r.period);
  }
  appendField(body, "interval", r.interval);
  appendField(body, "file_format", r.file_format);
  body += "\"symbols\":[";
  for (std::size_t i = 0; i < message.symbols.size(); ++i) {
    if (i > 0)
      body += ',';
    core::appendJsonString(body, message.symbols[i]);
  }
  body += "],";
  appendField(body, "batch_id", r.batch_id);
  appendField(body, "batch_ds", r.batch_ds);
  body += "\"batch_total_chunks\":" + std::to_string(message.batch_total_chunks) + ",";
  body += "\"chunk_index\":" + std::to_string(message.chunk_index) + ",";
  if (!r.correlation_id.empty())
    appendField(body, "correlation_id", r.correlation_id);
  appendField(body, "trigger_type", r.trigger_type);
  if (message.throttled_since) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        message.throttled_since->time_since_epoch())
                        .count();
    body += "\"throttled_since_ms\":" + std::to_string(ms) + ",";
    body += "\"requeues\":" + std::to_string(message.requeues) + ",";
  }
  // Only when the domain writes corporate actions: older workers ignore it (and write none).
  if (!r.corporate_actions_table.empty())
    appendField(body, "corporate_actions_table", r.corporate_actions_table);
  // `gzip` for workers older than `compression`: such a worker writes a zstd chunk uncompressed
  // (docs/architecture.md, the chunk message's fields). Readers prefer `compression`.
  body += r.compression == core::Compression::kGzip ? "\"gzip\":true," : "\"gzip\":false,";
  appendField(body, "compression", core::compressionName(r.compression));
  body += "\"compression_level\":" + std::to_string(r.compression_level) + ",";
  body += r.overwrite ? "\"overwrite\":true}" : "\"overwrite\":false}";
  return body;
}

core::Result<ChunkMessage> decodeChunkMessage(std::string_view text) {
  json body = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object())
    return poison("body is not a JSON object");
  ChunkMessage message;
  BatchRequest& r = message.request;
  auto text_field = [&](const char* name, std::string& out, bool required) -> core::Status {
    const auto found = body.find(name);
    if (found == body.end() || found->is_null()) {
      if (required)
        return poison(std::string("field '") + name + "' is missing");
      return core::okStatus();
    }
    if (!found->is_string())
      return poison(std::string("field '") + name + "' is not a string");
    out = found->get<std::string>();
    return core::okStatus();
  };
  for (auto [name, out, required] :
       std::initializer_list<std::tuple<const char*, std::string*, bool>>{
           {"data_source", &r.data_source, true},
           {"data_type", &r.data_type, false},
           {"domain", &r.domain, true},
           {"table_name", &r.table_name, true},
           {"period", &r.period, false},
           {"start", &r.start, false},
           {"end", &r.end, false},
           {"interval", &r.interval, true},
           {"file_format", &r.file_format, true},
           {"batch_id", &r.batch_id, true},
           {"batch_ds", &r.batch_ds, true},
           {"correlation_id", &r.correlation_id, false},
           {"trigger_type", &r.trigger_type, false},
           {"corporate_actions_table", &r.corporate_actions_table, false},
           {"window_time_zone", &r.window_time_zone, false}}) {
    if (auto status = text_field(name, *out, required); !status.ok())
      return status.error();
  }
  if (r.data_type.empty())
    r.data_type = "prices";
  if (r.period.empty() && (r.start.empty() || r.end.empty())) {
    return poison("neither 'period' nor 'start' and 'end' are given");
  }
  if (r.period.empty()) {
    const auto start = core::parseDate(r.start);
    const auto end = core::parseDate(r.end);
    if (!start || !end)
      return poison("field '" + std::string(start ? "end" : "start") +
                    "' is not a date (YYYY-MM-DD)");
    if (*end < *start)
      return poison("'end' " + r.end + " is before 'start' " + r.start);
  }
  auto int_field = [&](const char* name, int& out) -> core::Status {
    const auto found = body.find(name);
    if (found == body.end() || !found->is_number_integer()) {
      return poison(std::string("field '") + name + "' is missing or not an integer");
    }
    const auto value = found->get<std::int64_t>();
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
      return poison(std::string("field '") + name + "' is out of range");
    out = static_cast<int>(value);
    return core::okStatus();
  };
  if (auto s = int_field("batch_total_chunks", message.batch_total_chunks); !s.ok())
    return s.error();
  if (auto s = int_field("chunk_index", message.chunk_index); !s.ok())
    return s.error();
  if (message.batch_total_chunks < 1) {
    return poison("batch_total_chunks " + std::to_string(message.batch_total_chunks) +
                  " is not a count of chunks");
  }
  if (message.chunk_index < 0 || message.chunk_index >= message.batch_total_chunks) {
    return poison("chunk_index " + std::to_string(message.chunk_index) + " is outside 0.." +
                  std::to_string(message.batch_total_chunks - 1));
  }
  const auto symbols = body.find("symbols");
  if (symbols == body.end() || !symbols->is_array() || symbols->empty()) {
    return poison("field 'symbols' is missing or empty");
  }
  for (const auto& symbol : *symbols) {
    if (!symbol.is_string() || !universe::isValidSymbol(symbol.get<std::string>())) {
      return poison("field 'symbols' holds an invalid symbol " + symbol.dump());
    }
    message.symbols.push_back(symbol.get<std::string>());
  }
  // Optional history, ignored when unreadable like any field an older worker does not know.
  if (const auto since = body.find("throttled_since_ms");
      since != body.end() && since->is_number_integer()) {
    message.throttled_since = core::fromUnixMillis(since->get<std::int64_t>());
  }
  if (const auto requeues = body.find("requeues");
      message.throttled_since && requeues != body.end() && requeues->is_number_integer()) {
    message.requeues = static_cast<int>(std::clamp<std::int64_t>(requeues->get<std::int64_t>(), 0,
                                                                 std::numeric_limits<int>::max()));
  }
  if (auto status = readCompression(body, r); !status.ok())
    return status.error();
  if (const auto overwrite = body.find("overwrite");
      overwrite != body.end() && overwrite->is_boolean()) {
    r.overwrite = overwrite->get<bool>();
  }
  return message;
}

}  // namespace rawfeed::pipeline
