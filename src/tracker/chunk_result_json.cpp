#include "tracker/chunk_result_json.h"

#include <nlohmann/json.hpp>

namespace rawfeed::tracker {
namespace {

using nlohmann::ordered_json;

constexpr const char* kChunkSchema = "rawfeed.chunk_result/1";

ordered_json objectJson(const ObjectEntry& entry) {
  ordered_json json = {{"symbol", entry.symbol},   {"key", entry.key},     {"day", entry.day},
                       {"records", entry.records}, {"bytes", entry.bytes}, {"sha256", entry.sha256},
                       {"written", entry.written}};
  // Only for another table than the batch's: the bars' entries keep their bytes.
  if (!entry.table.empty())
    json["table"] = entry.table;
  return json;
}

ObjectEntry objectFrom(const ordered_json& json) {
  ObjectEntry entry;
  json.at("symbol").get_to(entry.symbol);
  json.at("key").get_to(entry.key);
  json.at("day").get_to(entry.day);
  json.at("records").get_to(entry.records);
  json.at("bytes").get_to(entry.bytes);
  json.at("sha256").get_to(entry.sha256);
  json.at("written").get_to(entry.written);
  if (auto table = json.find("table"); table != json.end())
    table->get_to(entry.table);
  return entry;
}

ordered_json failureJson(const SymbolFailure& failure) {
  return {{"symbol", failure.symbol}, {"outcome", failure.outcome}, {"reason", failure.reason}};
}

SymbolFailure failureFrom(const ordered_json& json) {
  SymbolFailure failure;
  json.at("symbol").get_to(failure.symbol);
  json.at("outcome").get_to(failure.outcome);
  json.at("reason").get_to(failure.reason);
  return failure;
}

ordered_json invalidJson(const InvalidBars& invalid) {
  return {{"symbol", invalid.symbol}, {"reason", invalid.reason}, {"bars", invalid.bars}};
}

InvalidBars invalidFrom(const ordered_json& json) {
  InvalidBars invalid;
  json.at("symbol").get_to(invalid.symbol);
  json.at("reason").get_to(invalid.reason);
  json.at("bars").get_to(invalid.bars);
  return invalid;
}

ordered_json invalidActionsJson(const InvalidActions& invalid) {
  return {{"symbol", invalid.symbol}, {"reason", invalid.reason}, {"actions", invalid.actions}};
}

InvalidActions invalidActionsFrom(const ordered_json& json) {
  InvalidActions invalid;
  json.at("symbol").get_to(invalid.symbol);
  json.at("reason").get_to(invalid.reason);
  json.at("actions").get_to(invalid.actions);
  return invalid;
}

}  // namespace

std::string chunkDocumentJson(const ChunkDocument& document) {
  const auto& result = document.result;
  ordered_json objects = ordered_json::array();
  for (const auto& object : result.objects)
    objects.push_back(objectJson(object));
  ordered_json failed = ordered_json::array();
  for (const auto& failure : result.failed)
    failed.push_back(failureJson(failure));
  ordered_json json = {{"schema", kChunkSchema},
                       {"chunk_index", result.chunk_index},
                       {"recorded_at_ms", document.recorded_at_ms},
                       {"dead_lettered", result.dead_lettered},
                       {"records", result.records},
                       {"ok_symbols", result.ok_symbols},
                       {"empty_symbols", result.empty_symbols},
                       {"failed", std::move(failed)},
                       {"objects", std::move(objects)}};
  // Only when there are any: the documents of clean chunks keep their bytes, and older readers
  // ignore a key they do not know.
  if (!result.invalid_bars.empty()) {
    ordered_json invalid = ordered_json::array();
    for (const auto& entry : result.invalid_bars)
      invalid.push_back(invalidJson(entry));
    json["invalid_bars"] = std::move(invalid);
  }
  if (!result.invalid_actions.empty()) {
    ordered_json invalid = ordered_json::array();
    for (const auto& entry : result.invalid_actions)
      invalid.push_back(invalidActionsJson(entry));
    json["invalid_actions"] = std::move(invalid);
  }
  if (!result.watermarks.empty()) {
    ordered_json watermarks = ordered_json::array();
    for (const auto& watermark : result.watermarks)
      watermarks.push_back(ordered_json::parse(watermarkJson(watermark)));
    json["watermarks"] = std::move(watermarks);
  }
  return json.dump();
}

core::Result<ChunkDocument> parseChunkDocument(std::string_view text, ChunkDocumentForms forms) {
  try {
    const auto json = ordered_json::parse(text);
    const bool schemaless = forms == ChunkDocumentForms::kWithSchemaless && json.is_object() &&
                            !json.contains("schema");
    if (!schemaless && json.at("schema").get<std::string>() != kChunkSchema) {
      throw std::runtime_error("schema is " + json.at("schema").dump() + ", expected " +
                               kChunkSchema);
    }
    ChunkDocument document;
    auto& result = document.result;
    json.at("chunk_index").get_to(result.chunk_index);
    if (!schemaless)
      json.at("recorded_at_ms").get_to(document.recorded_at_ms);
    json.at("dead_lettered").get_to(result.dead_lettered);
    json.at("records").get_to(result.records);
    json.at("ok_symbols").get_to(result.ok_symbols);
    json.at("empty_symbols").get_to(result.empty_symbols);
    for (const auto& failure : json.at("failed"))
      result.failed.push_back(failureFrom(failure));
    for (const auto& object : json.at("objects"))
      result.objects.push_back(objectFrom(object));
    if (auto invalid = json.find("invalid_bars"); invalid != json.end()) {
      for (const auto& entry : *invalid)
        result.invalid_bars.push_back(invalidFrom(entry));
    }
    if (auto invalid = json.find("invalid_actions"); invalid != json.end()) {
      for (const auto& entry : *invalid)
        result.invalid_actions.push_back(invalidActionsFrom(entry));
    }
    if (auto watermarks = json.find("watermarks"); watermarks != json.end()) {
      for (const auto& entry : *watermarks) {
        auto watermark = parseWatermarkJson(entry.dump());
        if (!watermark.ok())
          throw std::runtime_error(watermark.error().message);
        result.watermarks.push_back(std::move(watermark).value());
      }
    }
    return document;
  } catch (const std::exception& error) {
    return core::makeError(core::ErrorCode::kInternal,
                           std::string("stored chunk result is not valid: ") + error.what());
  }
}

}  // namespace rawfeed::tracker
