#pragma once

#include <mutex>
#include <string>

#include "store/object_store.h"
#include "tracker/watermark.h"

namespace rawfeed::tracker::lake {

// The watermarks of one scope as one JSON-lines object (a watermark per line, by symbol) at
//   _rawfeed/watermarks/domain={d}/table_name={t}/interval={i}/data_source={s}.jsonl
// in any ObjectStore: the lake when hosts share it, a local store over the state directory on
// one machine. A merge is a GET, the merge in memory and one overwriting PUT of the whole
// document (about 130 bytes a symbol): stores without compare-and-swap cannot do better, and
// the interface's "a concurrent merge may be lost" is what that costs. Merges of one process are
// serialised. A document that cannot be read is kInternal naming the line: the caller fetches
// what the domain's period says instead, and the next merge writes a good document.
class WatermarkDocumentStore final : public WatermarkStore {
 public:
  // `label` names the store for people ("lake", "state directory").
  WatermarkDocumentStore(store::ObjectStore& store, std::string label)
      : store_(store), label_(std::move(label)) {}

  core::Result<std::vector<SymbolWatermark>> load(const WatermarkScope& scope) override;
  core::Status merge(const WatermarkScope& scope,
                     std::span<const SymbolWatermark> updates) override;
  // A merge join of the document, read line by line, with the updates as they come, written
  // straight into the new document: it holds the two texts, not a tree of every symbol.
  core::Status mergeOrdered(const WatermarkScope& scope, const UpdateFeed& feed) override;
  std::string location(const WatermarkScope& scope) const override;

  static std::string documentKey(const WatermarkScope& scope);

 private:
  store::ObjectStore& store_;
  std::string label_;
  std::mutex mutex_;  // serialises this process's merges
};

}  // namespace rawfeed::tracker::lake
