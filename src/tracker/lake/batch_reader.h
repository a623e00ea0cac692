#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/object_store.h"
#include "tracker/batch_tracker.h"
#include "tracker/lake/batch_documents.h"
#include "tracker/lake/batch_keys.h"

namespace rawfeed::tracker::lake {

// A batch as one listing of its prefix saw it, with the revision that listing counted.
struct BatchView {
  BatchSnapshot snapshot;
  std::int64_t revision = 0;
};

// Reads the tracker's documents back. Plans never change once written, so they are kept in
// memory after the first read. Thread-safe.
class BatchReader {
 public:
  explicit BatchReader(store::ObjectStore& store) : store_(store) {}

  // The registered plan; kNotFound "unknown batch {id}" when there is none. One GET, the first
  // time only.
  core::Result<PlanDocument> plan(const std::string& batch_id);
  // Remembers a plan this process wrote or read.
  void remember(const PlanDocument& document);

  // One LIST of the batch's prefix, a GET of every chunk result (and of each replacement) and
  // of every sent record: O(chunks) requests.
  core::Result<BatchView> read(const std::string& batch_id);

  // The index under `prefix`, newest first, each batch once (its newest entry).
  core::Result<std::vector<IndexEntry>> index(const std::string& prefix);

 private:
  core::Result<ChunkDocument> chunkDocument(const std::string& key, int chunk_index);
  core::Result<std::vector<int>> sentChunks(const std::vector<std::string>& keys, int total_chunks);

  store::ObjectStore& store_;
  std::mutex mutex_;  // guards plans_
  std::map<std::string, PlanDocument> plans_;
};

}  // namespace rawfeed::tracker::lake
