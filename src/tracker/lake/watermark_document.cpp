#include "tracker/lake/watermark_document.h"

#include <fmt/format.h>

#include <map>

#include "tracker/lake/batch_keys.h"

namespace rawfeed::tracker::lake {

std::string WatermarkDocumentStore::documentKey(const WatermarkScope& scope) {
  return fmt::format("{}watermarks/domain={}/table_name={}/interval={}/data_source={}.jsonl",
                     kRootPrefix, scope.domain, scope.table_name, scope.interval,
                     scope.data_source);
}

std::string WatermarkDocumentStore::location(const WatermarkScope& scope) const {
  return label_ + " " + store_.location() + "/" + documentKey(scope);
}

core::Result<std::vector<SymbolWatermark>> WatermarkDocumentStore::load(
    const WatermarkScope& scope) {
  const std::string key = documentKey(scope);
  auto text = store_.get(key);
  if (!text.ok()) {
    if (text.error().code == core::ErrorCode::kNotFound)
      return std::vector<SymbolWatermark>{};
    return text.error();
  }
  std::map<std::string, SymbolWatermark> by_symbol;
  std::size_t line_number = 0;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    ++line_number;
    if (line.empty())
      continue;
    auto watermark = parseWatermarkJson(line);
    if (!watermark.ok()) {
      return core::makeError(
          core::ErrorCode::kInternal,
          fmt::format("{} line {}: {}", location(scope), line_number, watermark.error().message));
    }
    auto& slot = by_symbol[watermark->symbol];
    slot = slot.symbol.empty() ? *watermark : mergeWatermark(slot, *watermark);
  }
  std::vector<SymbolWatermark> watermarks;
  watermarks.reserve(by_symbol.size());
  for (auto& [symbol, watermark] : by_symbol)
    watermarks.push_back(std::move(watermark));
  return watermarks;
}

core::Status WatermarkDocumentStore::merge(const WatermarkScope& scope,
                                           std::span<const SymbolWatermark> updates) {
  if (updates.empty())
    return core::okStatus();
  std::lock_guard lock(mutex_);
  std::map<std::string, SymbolWatermark> by_symbol;
  // A document that cannot be read is replaced by what this merge knows: the symbols it
  // forgets are fetched over the domain's period once, which loses nothing.
  if (auto current = load(scope); current.ok()) {
    for (auto& watermark : *current)
      by_symbol.emplace(watermark.symbol, std::move(watermark));
  } else if (current.error().code != core::ErrorCode::kInternal) {
    return current.error();
  }
  bool changed = false;
  for (const auto& update : updates) {
    auto [slot, inserted] = by_symbol.try_emplace(update.symbol, update);
    if (inserted) {
      changed = true;
      continue;
    }
    SymbolWatermark merged = mergeWatermark(slot->second, update);
    if (merged != slot->second) {
      slot->second = std::move(merged);
      changed = true;
    }
  }
  if (!changed)
    return core::okStatus();
  std::string document;
  document.reserve(by_symbol.size() * 140);
  for (const auto& [symbol, watermark] : by_symbol) {
    document += watermarkJson(watermark);
    document += '\n';
  }
  store::PutOptions options;
  options.mode = store::PutMode::kOverwrite;
  options.content_type = "application/x-ndjson";
  auto put = store_.put(documentKey(scope), document, options);
  if (!put.ok())
    return put.error();
  return core::okStatus();
}

}  // namespace rawfeed::tracker::lake
