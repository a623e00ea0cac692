#include "tracker/sqlite/chunk_result_json.h"

#include <nlohmann/json.hpp>

namespace rawfeed::tracker {

// Found by nlohmann through argument-dependent lookup, so they live beside the types.
void to_json(nlohmann::json& json, const ObjectEntry& entry) {
  json = {{"symbol", entry.symbol},   {"key", entry.key},     {"day", entry.day},
          {"records", entry.records}, {"bytes", entry.bytes}, {"sha256", entry.sha256},
          {"written", entry.written}};
}

void from_json(const nlohmann::json& json, ObjectEntry& entry) {
  json.at("symbol").get_to(entry.symbol);
  json.at("key").get_to(entry.key);
  json.at("day").get_to(entry.day);
  json.at("records").get_to(entry.records);
  json.at("bytes").get_to(entry.bytes);
  json.at("sha256").get_to(entry.sha256);
  json.at("written").get_to(entry.written);
}

void to_json(nlohmann::json& json, const SymbolFailure& failure) {
  json = {{"symbol", failure.symbol}, {"outcome", failure.outcome}, {"reason", failure.reason}};
}

void from_json(const nlohmann::json& json, SymbolFailure& failure) {
  json.at("symbol").get_to(failure.symbol);
  json.at("outcome").get_to(failure.outcome);
  json.at("reason").get_to(failure.reason);
}

namespace sqlite {

std::string chunkResultToJson(const ChunkResult& result) {
  const nlohmann::json json = {{"chunk_index", result.chunk_index},
                               {"objects", result.objects},
                               {"ok_symbols", result.ok_symbols},
                               {"empty_symbols", result.empty_symbols},
                               {"failed", result.failed},
                               {"records", result.records},
                               {"dead_lettered", result.dead_lettered}};
  return json.dump();
}

core::Result<ChunkResult> chunkResultFromJson(std::string_view text) {
  try {
    const auto json = nlohmann::json::parse(text);
    ChunkResult result;
    json.at("chunk_index").get_to(result.chunk_index);
    json.at("objects").get_to(result.objects);
    json.at("ok_symbols").get_to(result.ok_symbols);
    json.at("empty_symbols").get_to(result.empty_symbols);
    json.at("failed").get_to(result.failed);
    json.at("records").get_to(result.records);
    json.at("dead_lettered").get_to(result.dead_lettered);
    return result;
  } catch (const nlohmann::json::exception& error) {
    return core::makeError(core::ErrorCode::kInternal,
                           std::string("stored chunk result is not valid: ") + error.what());
  }
}

}  // namespace sqlite
}  // namespace rawfeed::tracker
