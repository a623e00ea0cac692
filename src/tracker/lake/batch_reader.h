#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/object_store.h"
#include "tracker/batch_tracker.h"
#include "tracker/lake/batch_documents.h"
#include "tracker/lake/batch_keys.h"
#include "tracker/lake/batch_listing.h"

namespace rawfeed::tracker::lake {

// A batch as one listing of its prefix saw it, with the revision that listing counted and its
// event markers (a pre-claims marker of this revision counted as its status published).
struct BatchView {
  BatchSnapshot snapshot;
  std::int64_t revision = 0;
  EventMarkers events;
};

// Reads the tracker's documents back. Documents never change once written, so plans are kept in
// memory after the first read, and so are the views of the last kCachedViews batches read, up to
// kCachedObjects object entries in all (a view of 8,000 symbols holds 40,000; the newest view is
// kept whatever its size): a listing with the same chunk, replacement and sent keys is the same
// view, and reading it again costs the LIST alone (dashboards poll recent summaries; the
// finalizer's claim follows its read). Thread-safe.
class BatchReader {
 public:
  explicit BatchReader(store::ObjectStore& store) : store_(store) {}

  // The registered plan; kNotFound "unknown batch {id}" when there is none. One GET, the first
  // time only.
  core::Result<PlanDocument> plan(const std::string& batch_id);
  // Remembers a plan this process wrote or read.
  void remember(const PlanDocument& document);

  // One LIST of the batch's prefix, then — unless the view is cached — a GET of every chunk
  // result (and of each replacement), 16 at a time, and of every sent record: O(chunks)
  // requests.
  core::Result<BatchView> read(const std::string& batch_id);

  // The index under `prefix`, newest first, each batch once (its newest entry).
  core::Result<std::vector<IndexEntry>> index(const std::string& prefix);

 private:
  // A chunk document's text (or the error of its GET) checked and parsed.
  core::Result<ChunkDocument> chunkDocument(const std::string& key, int chunk_index,
                                            core::Result<std::string> text);
  // GETs of `keys`, kParallelGets at a time, in the order of `keys`: a finalizer in a Lambda
  // reads a batch of 1,600 chunks in ~100 round trips rather than 1,600.
  std::vector<core::Result<std::string>> getAll(std::span<const std::string> keys);
  static constexpr std::size_t kParallelGets = 16;
  static constexpr std::size_t kGetWindow = 256;  // documents held as text at once
  core::Result<std::vector<int>> sentChunks(const std::vector<std::string>& keys, int total_chunks);

  // What a view was read from: the keys that decide its content (event markers do not).
  struct CachedView {
    std::vector<int> chunks;
    std::set<int> replaced;
    std::vector<std::string> sent_keys;
    BatchView view;
    std::size_t objects = 0;  // object entries in view's chunks
  };
  static constexpr std::size_t kCachedViews = 64;
  // ~40 MB of entries: a long-running `serve` over a lake of large daily batches stays small.
  static constexpr std::size_t kCachedObjects = 100'000;

  void cache(const std::string& batch_id, CachedView entry);

  store::ObjectStore& store_;
  std::mutex mutex_;  // guards plans_, views_ and view_order_
  std::map<std::string, PlanDocument> plans_;
  std::map<std::string, CachedView> views_;
  std::deque<std::string> view_order_;  // batch ids of views_, oldest first
  std::size_t cached_objects_ = 0;      // CachedView::objects over views_
};

}  // namespace rawfeed::tracker::lake
