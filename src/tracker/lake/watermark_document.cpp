#include "tracker/lake/watermark_document.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

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

namespace {

// The document's lines one at a time, parsed. The documents this store writes are sorted by
// symbol with each symbol once; `ordered` says whether every line so far was (a document edited
// by hand may not be).
class DocumentLines {
 public:
  explicit DocumentLines(std::string_view text) : rest_(text) {}

  // nullopt at the end; an error naming the line when one cannot be read.
  core::Result<std::optional<SymbolWatermark>> next() {
    while (!rest_.empty()) {
      const auto end = rest_.find('\n');
      const std::string_view line = rest_.substr(0, end);
      rest_ = end == std::string_view::npos ? std::string_view{} : rest_.substr(end + 1);
      ++line_number_;
      if (line.empty())
        continue;
      auto watermark = parseWatermarkJson(line);
      if (!watermark.ok())
        return core::makeError(core::ErrorCode::kInternal,
                               fmt::format("line {}: {}", line_number_, watermark.error().message));
      if (!previous_.empty() && watermark->symbol <= previous_)
        ordered_ = false;
      previous_ = watermark->symbol;
      return std::optional<SymbolWatermark>(std::move(watermark).value());
    }
    return std::optional<SymbolWatermark>();
  }
  bool ordered() const { return ordered_; }

 private:
  std::string_view rest_;
  std::size_t line_number_ = 0;
  std::string previous_;
  bool ordered_ = true;
};

// Sorted by symbol, each symbol once (several reports of one merged).
std::vector<SymbolWatermark> sortedUnique(std::vector<SymbolWatermark> watermarks) {
  std::stable_sort(watermarks.begin(), watermarks.end(),
                   [](const auto& a, const auto& b) { return a.symbol < b.symbol; });
  std::vector<SymbolWatermark> unique;
  unique.reserve(watermarks.size());
  for (auto& watermark : watermarks) {
    if (!unique.empty() && unique.back().symbol == watermark.symbol)
      unique.back() = mergeWatermark(unique.back(), watermark);
    else
      unique.push_back(std::move(watermark));
  }
  return unique;
}

// Whether the document's lines are in strictly ascending symbol order, judged from each line's
// leading `{"symbol":"…"` without parsing the rest (a line that does not start so, or whose
// symbol has escapes, is parsed). An empty document is.
bool symbolsInOrder(std::string_view text) {
  constexpr std::string_view kLead = "{\"symbol\":\"";
  std::string previous;
  bool first = true;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.empty())
      continue;
    std::string symbol;
    const auto close = line.find('"', kLead.size());
    if (line.substr(0, kLead.size()) == kLead && close != std::string_view::npos &&
        line.substr(kLead.size(), close - kLead.size()).find('\\') == std::string_view::npos) {
      symbol = std::string(line.substr(kLead.size(), close - kLead.size()));
    } else if (auto parsed = parseWatermarkJson(line); parsed.ok()) {
      symbol = parsed->symbol;
    } else {
      return true;  // unreadable: the merge reads up to it (as in order) and drops the rest
    }
    if (!first && symbol <= previous)
      return false;
    previous = std::move(symbol);
    first = false;
  }
  return true;
}

}  // namespace

core::Result<std::vector<SymbolWatermark>> WatermarkDocumentStore::load(
    const WatermarkScope& scope) {
  auto text = store_.get(documentKey(scope));
  if (!text.ok()) {
    if (text.error().code == core::ErrorCode::kNotFound)
      return std::vector<SymbolWatermark>{};
    return text.error();
  }
  std::vector<SymbolWatermark> watermarks;
  watermarks.reserve(text->size() / 120);
  DocumentLines lines(*text);
  for (;;) {
    auto line = lines.next();
    if (!line.ok()) {
      return core::makeError(core::ErrorCode::kInternal,
                             location(scope) + " " + line.error().message);
    }
    if (!line->has_value())
      break;
    watermarks.push_back(std::move(**line));
  }
  if (lines.ordered())
    return watermarks;
  return sortedUnique(std::move(watermarks));
}

core::Status WatermarkDocumentStore::merge(const WatermarkScope& scope,
                                           std::span<const SymbolWatermark> updates) {
  if (updates.empty())
    return core::okStatus();
  std::vector<const SymbolWatermark*> sorted;
  sorted.reserve(updates.size());
  for (const auto& update : updates)
    sorted.push_back(&update);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* a, const auto* b) { return a->symbol < b->symbol; });
  return mergeOrdered(scope, [&sorted](const UpdateSink& sink) {
    for (const auto* update : sorted) {
      if (auto taken = sink(*update); !taken.ok())
        return taken;
    }
    return core::okStatus();
  });
}

core::Status WatermarkDocumentStore::mergeOrdered(const WatermarkScope& scope,
                                                  const UpdateFeed& feed) {
  std::lock_guard lock(mutex_);
  std::string current;
  if (auto text = store_.get(documentKey(scope)); text.ok()) {
    current = std::move(text).value();
  } else if (text.error().code != core::ErrorCode::kNotFound) {
    return text.error();
  }
  bool changed = false;
  // The document's watermarks in symbol order: its lines as they are when they are in order (the
  // documents this store writes are), else all of them read and sorted (one edited by hand).
  std::vector<SymbolWatermark> sorted_base;
  const bool in_order = symbolsInOrder(current);
  if (!in_order) {
    if (auto loaded = load(scope); loaded.ok())
      sorted_base = std::move(loaded).value();
    current.clear();
    changed = true;  // the rewrite puts the document in order
  }
  DocumentLines lines(current);
  std::size_t next_base = 0;
  std::optional<SymbolWatermark> base;
  const auto advance = [&] {
    base.reset();
    if (!in_order) {
      if (next_base < sorted_base.size())
        base = std::move(sorted_base[next_base++]);
      return;
    }
    auto line = lines.next();
    if (!line.ok()) {
      // A line that cannot be read ends the document: the symbols after it are forgotten and
      // fetched over the domain's period once, which loses nothing; the rewrite drops the line.
      lines = DocumentLines({});
      changed = true;
      return;
    }
    base = std::move(line).value();
  };
  advance();

  std::string document;
  // Room for the document as it is and a megabyte of new lines: large documents are mapped and
  // grow by remapping rather than by copies (app/memory_tuning.h).
  document.reserve(current.size() + (std::size_t{1} << 20));
  std::optional<SymbolWatermark> staged;  // the latest symbol's watermark, not written yet
  const auto write = [&document](const SymbolWatermark& watermark) {
    document += watermarkJson(watermark);
    document += '\n';
  };
  const auto stage = [&](SymbolWatermark watermark) {
    if (staged)
      write(*staged);
    staged = std::move(watermark);
  };
  auto fed = feed([&](const SymbolWatermark& update) -> core::Status {
    while (base && base->symbol < update.symbol) {
      stage(std::move(*base));
      advance();
    }
    if (base && base->symbol == update.symbol) {
      stage(std::move(*base));
      advance();
    }
    if (staged && staged->symbol == update.symbol) {
      SymbolWatermark merged = mergeWatermark(*staged, update);
      if (merged != *staged) {
        changed = true;
        staged = std::move(merged);
      }
    } else {
      stage(update);
      changed = true;
    }
    return core::okStatus();
  });
  if (!fed.ok())
    return fed;
  if (!changed)
    return core::okStatus();
  while (base) {
    stage(std::move(*base));
    advance();
  }
  if (staged)
    write(*staged);
  current.clear();
  current.shrink_to_fit();
  store::PutOptions options;
  options.mode = store::PutMode::kOverwrite;
  options.content_type = "application/x-ndjson";
  auto put = store_.put(documentKey(scope), document, options);
  if (!put.ok())
    return put.error();
  return core::okStatus();
}

}  // namespace rawfeed::tracker::lake
