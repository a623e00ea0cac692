#pragma once

#include <string>
#include <vector>

#include "core/compression.h"
#include "core/corporate_action.h"
#include "core/record.h"
#include "core/result.h"
#include "store/object_store.h"
#include "tracker/batch_tracker.h"

namespace rawfeed::pipeline {

struct ObjectLayout {
  std::string domain, table_name, interval, data_source, file_format;
  core::Compression compression = core::Compression::kNone;
  int compression_level = 0;  // within core::compressionLevels(compression)
  bool overwrite = false;
  // The domain's corporate-actions table; empty: actions are not written.
  std::string actions_table{};
};

// When the objects a write lands are durable: as each put returns, or once the caller has
// flushed their keys (store::ObjectStore::flush): a delivery's objects then share one directory
// sync per partition.
enum class WriteDurability { kEachPut, kCallerFlushes };

// Lands one symbol's records in the lake: one object per trading day (contracts §4–5), each
// durable before this returns (kEachPut) or once the caller flushes the entries' keys
// (kCallerFlushes). An existing key is left alone unless overwriting; its entry is then described
// from the stored bytes so the manifest still lists it.
class ObjectWriter {
 public:
  explicit ObjectWriter(store::ObjectStore& store,
                        WriteDurability durability = WriteDurability::kEachPut)
      : store_(store), durability_(durability) {}

  core::Result<std::vector<tracker::ObjectEntry>> write(const ObjectLayout& layout,
                                                        const std::string& symbol,
                                                        const std::vector<core::DayRecords>& days);

  // The symbol's corporate actions in layout.actions_table, keyed like the bars (same domain,
  // interval, source, format and compression): one object per day of `actions` (their `day`),
  // holding that day's actions in the given order; entries carry the table's name. Nothing when
  // actions_table is empty.
  core::Result<std::vector<tracker::ObjectEntry>> writeActions(
      const ObjectLayout& layout, const std::string& symbol,
      const std::vector<core::CorporateAction>& actions);

 private:
  store::ObjectStore& store_;
  WriteDurability durability_;
};

}  // namespace rawfeed::pipeline
