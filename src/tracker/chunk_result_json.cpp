#include "tracker/chunk_result_json.h"

#include <simdjson.h>

#include <limits>
#include <stdexcept>

#include "core/json_text.h"
#include "tracker/watermark_dom.h"

namespace rawfeed::tracker {
namespace {

namespace dom = simdjson::dom;

constexpr const char* kChunkSchema = "rawfeed.chunk_result/1";

// Written by hand (core/json_text.h): every recorded chunk writes one and every finalizer and run
// summary reads them all, so a document tree each way was most of the tracker's CPU.
void appendObject(std::string& out, const ObjectEntry& entry) {
  core::JsonObjectWriter object(out);
  object.string("symbol", entry.symbol)
      .string("key", entry.key)
      .string("day", entry.day)
      .integer("records", entry.records)
      .integer("bytes", entry.bytes)
      .string("sha256", entry.sha256)
      .boolean("written", entry.written);
  // Only for another table than the batch's: the bars' entries keep their bytes.
  if (!entry.table.empty())
    object.string("table", entry.table);
  object.close();
}

// `items` as a JSON array, each written by `append`.
template <class Range, class Append>
void appendArray(std::string& out, const Range& items, Append append) {
  out += '[';
  bool first = true;
  for (const auto& item : items) {
    if (!first)
      out += ',';
    first = false;
    append(item);
  }
  out += ']';
}

// --- reading ------------------------------------------------------------------------------------

// A stored document is ours: what is wrong with it is thrown and reported once, as corruption.
[[noreturn]] void corrupt(const std::string& what) {
  throw std::runtime_error(what);
}

dom::element require(dom::object object, std::string_view key) {
  dom::element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS)
    corrupt("key '" + std::string(key) + "' not found");
  return value;
}

std::string stringOf(dom::element value, std::string_view key) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS)
    corrupt("'" + std::string(key) + "' is not a string");
  return std::string(text);
}

std::int64_t intOf(dom::element value, std::string_view key) {
  std::int64_t number = 0;
  if (value.get_int64().get(number) != simdjson::SUCCESS)
    corrupt("'" + std::string(key) + "' is not an integer");
  return number;
}

bool boolOf(dom::element value, std::string_view key) {
  bool flag = false;
  if (value.get_bool().get(flag) != simdjson::SUCCESS)
    corrupt("'" + std::string(key) + "' is not a boolean");
  return flag;
}

dom::object objectOf(dom::element value, std::string_view what) {
  dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS)
    corrupt(std::string(what) + " is not an object");
  return object;
}

// The array under `key` (absent: nothing when optional, an error otherwise), each item given to
// `read`.
template <class Read>
void forEachItem(dom::object object, std::string_view key, bool optional, Read read) {
  dom::element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) {
    if (optional)
      return;
    corrupt("key '" + std::string(key) + "' not found");
  }
  dom::array items;
  if (value.get_array().get(items) != simdjson::SUCCESS)
    corrupt("'" + std::string(key) + "' is not an array");
  for (const dom::element item : items)
    read(item);
}

std::string stringField(dom::object object, std::string_view key) {
  return stringOf(require(object, key), key);
}

std::int64_t intField(dom::object object, std::string_view key) {
  return intOf(require(object, key), key);
}

ObjectEntry objectFrom(dom::element element) {
  const dom::object json = objectOf(element, "an object entry");
  ObjectEntry entry;
  entry.symbol = stringField(json, "symbol");
  entry.key = stringField(json, "key");
  entry.day = stringField(json, "day");
  entry.records = intField(json, "records");
  entry.bytes = intField(json, "bytes");
  entry.sha256 = stringField(json, "sha256");
  entry.written = boolOf(require(json, "written"), "written");
  if (dom::element table; json.at_key("table").get(table) == simdjson::SUCCESS)
    entry.table = stringOf(table, "table");
  return entry;
}

}  // namespace

std::string chunkDocumentJson(const ChunkDocument& document) {
  const auto& result = document.result;
  std::string out;
  out.reserve(256 + result.objects.size() * 200);
  core::JsonObjectWriter json(out);
  json.string("schema", kChunkSchema)
      .integer("chunk_index", result.chunk_index)
      .integer("recorded_at_ms", document.recorded_at_ms)
      .boolean("dead_lettered", result.dead_lettered)
      .integer("records", result.records);
  const auto appendName = [&out](const std::string& symbol) {
    core::appendJsonString(out, symbol);
  };
  appendArray(json.field("ok_symbols"), result.ok_symbols, appendName);
  appendArray(json.field("empty_symbols"), result.empty_symbols, appendName);
  appendArray(json.field("failed"), result.failed, [&out](const SymbolFailure& failure) {
    core::JsonObjectWriter(out)
        .string("symbol", failure.symbol)
        .string("outcome", failure.outcome)
        .string("reason", failure.reason)
        .close();
  });
  appendArray(json.field("objects"), result.objects,
              [&out](const ObjectEntry& entry) { appendObject(out, entry); });
  // Only when there are any: the documents of clean chunks keep their bytes, and older readers
  // ignore a key they do not know.
  if (!result.invalid_bars.empty()) {
    appendArray(json.field("invalid_bars"), result.invalid_bars, [&out](const InvalidBars& entry) {
      core::JsonObjectWriter(out)
          .string("symbol", entry.symbol)
          .string("reason", entry.reason)
          .integer("bars", entry.bars)
          .close();
    });
  }
  if (!result.invalid_actions.empty()) {
    appendArray(json.field("invalid_actions"), result.invalid_actions,
                [&out](const InvalidActions& entry) {
                  core::JsonObjectWriter(out)
                      .string("symbol", entry.symbol)
                      .string("reason", entry.reason)
                      .integer("actions", entry.actions)
                      .close();
                });
  }
  if (!result.watermarks.empty()) {
    appendArray(json.field("watermarks"), result.watermarks,
                [&out](const SymbolWatermark& watermark) { appendWatermarkJson(out, watermark); });
  }
  json.close();
  return out;
}

core::Result<ChunkDocument> parseChunkDocument(std::string_view text, ChunkDocumentForms forms) {
  // One parser per thread: its buffers are reused from document to document.
  thread_local dom::parser parser;
  try {
    dom::element root;
    if (auto error = parser.parse(text.data(), text.size()).get(root); error != simdjson::SUCCESS)
      corrupt(simdjson::error_message(error));
    const dom::object json = objectOf(root, "the document");
    dom::element schema;
    const bool has_schema = json.at_key("schema").get(schema) == simdjson::SUCCESS;
    const bool schemaless = forms == ChunkDocumentForms::kWithSchemaless && !has_schema;
    if (!schemaless) {
      if (!has_schema)
        corrupt("key 'schema' not found");
      std::string_view name;
      if (schema.get_string().get(name) != simdjson::SUCCESS || name != kChunkSchema) {
        corrupt("schema is " + simdjson::minify(schema) + ", expected " + kChunkSchema);
      }
    }
    ChunkDocument document;
    auto& result = document.result;
    const std::int64_t index = intField(json, "chunk_index");
    if (index < std::numeric_limits<int>::min() || index > std::numeric_limits<int>::max())
      corrupt("'chunk_index' is out of range");
    result.chunk_index = static_cast<int>(index);
    if (!schemaless)
      document.recorded_at_ms = intField(json, "recorded_at_ms");
    result.dead_lettered = boolOf(require(json, "dead_lettered"), "dead_lettered");
    result.records = intField(json, "records");
    forEachItem(json, "ok_symbols", false, [&](dom::element item) {
      result.ok_symbols.push_back(stringOf(item, "ok_symbols"));
    });
    forEachItem(json, "empty_symbols", false, [&](dom::element item) {
      result.empty_symbols.push_back(stringOf(item, "empty_symbols"));
    });
    forEachItem(json, "failed", false, [&](dom::element item) {
      const dom::object failure = objectOf(item, "a failure");
      result.failed.push_back({stringField(failure, "symbol"), stringField(failure, "outcome"),
                               stringField(failure, "reason")});
    });
    forEachItem(json, "objects", false,
                [&](dom::element item) { result.objects.push_back(objectFrom(item)); });
    forEachItem(json, "invalid_bars", true, [&](dom::element item) {
      const dom::object entry = objectOf(item, "an invalid_bars entry");
      result.invalid_bars.push_back(
          {stringField(entry, "symbol"), stringField(entry, "reason"), intField(entry, "bars")});
    });
    forEachItem(json, "invalid_actions", true, [&](dom::element item) {
      const dom::object entry = objectOf(item, "an invalid_actions entry");
      result.invalid_actions.push_back(
          {stringField(entry, "symbol"), stringField(entry, "reason"), intField(entry, "actions")});
    });
    forEachItem(json, "watermarks", true, [&](dom::element item) {
      auto watermark = watermarkFromElement(item);
      if (!watermark.ok())
        corrupt(watermark.error().message);
      result.watermarks.push_back(std::move(watermark).value());
    });
    return document;
  } catch (const std::exception& error) {
    return core::makeError(core::ErrorCode::kInternal,
                           std::string("stored chunk result is not valid: ") + error.what());
  }
}

}  // namespace rawfeed::tracker
