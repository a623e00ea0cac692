#include "tracker/lake/batch_reader.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <span>
#include <thread>

#include "tracker/lake/batch_figures.h"

namespace rawfeed::tracker::lake {
namespace {

core::Error unknownBatch(const std::string& batch_id) {
  return core::makeError(core::ErrorCode::kNotFound, "unknown batch " + batch_id);
}

// A document the listing showed is gone or unreadable: the tracker's own state is broken, which
// is not the caller's "no such batch".
core::Error brokenDocument(const std::string& key, const core::Error& error) {
  const auto code =
      error.code == core::ErrorCode::kNotFound ? core::ErrorCode::kInternal : error.code;
  return core::makeError(code, key + ": " + error.message);
}

// Sets the view's event markers from the listing it was read with.
void applyEvents(BatchView& view, const BatchListing& listing) {
  view.events = listing.events;
  const auto status = eventStatusOf(view.snapshot);
  if (!status) {
    view.snapshot.event_published = false;
    return;
  }
  const std::string name = eventStatusName(*status);
  // Before claims, one marker per revision said "the batch as it is now was announced".
  if (listing.legacy_published.count(view.revision))
    view.events.published.insert(name);
  view.snapshot.event_published = view.events.published.count(name) > 0;
}

}  // namespace

core::Result<PlanDocument> BatchReader::plan(const std::string& batch_id) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = plans_.find(batch_id); it != plans_.end())
      return it->second;
  }
  if (!segmentProblem(batch_id).empty())
    return unknownBatch(batch_id);
  const std::string key = planKey(batch_id);
  auto text = store_.get(key);
  if (!text.ok()) {
    if (text.error().code == core::ErrorCode::kNotFound)
      return unknownBatch(batch_id);
    return text.error();
  }
  auto document = parsePlanDocument(*text);
  if (!document.ok())
    return brokenDocument(key, document.error());
  remember(*document);
  return document;
}

void BatchReader::remember(const PlanDocument& document) {
  std::lock_guard lock(mutex_);
  plans_.try_emplace(document.plan.batch_id, document);
}

core::Result<BatchView> BatchReader::read(const std::string& batch_id) {
  if (!segmentProblem(batch_id).empty())
    return unknownBatch(batch_id);
  auto objects = store_.list(batchPrefix(batch_id));
  if (!objects.ok())
    return objects.error();
  const BatchListing listing = parseBatchListing(batch_id, *objects);
  if (!listing.has_plan)
    return unknownBatch(batch_id);
  auto plan = this->plan(batch_id);
  if (!plan.ok())
    return plan.error();

  {
    std::lock_guard lock(mutex_);
    if (auto it = views_.find(batch_id);
        it != views_.end() && it->second.chunks == listing.chunks &&
        it->second.replaced == listing.replaced && it->second.sent_keys == listing.sent_keys) {
      BatchView view = it->second.view;
      applyEvents(view, listing);
      return view;
    }
  }
  BatchView view;
  auto& snapshot = view.snapshot;
  snapshot.plan = plan->plan;
  snapshot.registered_at = fromMillis(plan->registered_at_ms);
  std::int64_t last_recorded_ms = 0;
  // Each recorded chunk's first result (its recorded_at decides completed_at) and, when it was
  // replaced, the replacement (its result), fetched a window at a time, kParallelGets at once.
  std::vector<std::string> keys;
  for (const int index : listing.chunks) {
    keys.push_back(chunkKey(batch_id, index));
    if (listing.replaced.count(index))
      keys.push_back(replacedKey(batch_id, index));
  }
  std::size_t start = 0;
  while (start < keys.size()) {
    const std::size_t end = std::min(keys.size(), start + kGetWindow);
    auto texts = getAll(std::span<const std::string>(keys).subspan(start, end - start));
    std::size_t at = start;
    const auto document = [&](int index) {
      const std::size_t key = at++;
      return chunkDocument(keys[key], index, std::move(texts[key - start]));
    };
    while (at < end) {
      const int index = listing.chunks[snapshot.chunks.size()];
      const bool replaced = listing.replaced.count(index) > 0;
      if (replaced && at + 1 >= end)
        break;  // the pair straddles the window: the next window starts with it
      auto first = document(index);
      if (!first.ok())
        return first.error();
      last_recorded_ms = std::max(last_recorded_ms, first->recorded_at_ms);
      if (!replaced) {
        snapshot.chunks.push_back(std::move(first->result));
        continue;
      }
      auto replacement = document(index);
      if (!replacement.ok())
        return replacement.error();
      snapshot.chunks.push_back(std::move(replacement->result));
    }
    start = at;
  }
  auto sent = sentChunks(listing.sent_keys, snapshot.plan.total_chunks);
  if (!sent.ok())
    return sent.error();
  snapshot.sent_chunks = std::move(sent).value();
  snapshot.state = stateOf(snapshot.plan, snapshot.chunks);
  if (listing.recorded() >= snapshot.plan.total_chunks) {
    // The chunk that completed the batch was recorded last, and first results are never
    // rewritten: every reader derives the same instant, so manifests carry the same bytes.
    snapshot.completed_at = fromMillis(last_recorded_ms);
  }
  view.revision = listing.revision();
  applyEvents(view, listing);
  cache(batch_id, CachedView{listing.chunks, listing.replaced, listing.sent_keys, view});
  return view;
}

void BatchReader::cache(const std::string& batch_id, CachedView entry) {
  for (const auto& chunk : entry.view.snapshot.chunks)
    entry.objects += chunk.objects.size();
  std::lock_guard lock(mutex_);
  if (auto old = views_.find(batch_id); old != views_.end()) {
    cached_objects_ -= old->second.objects;
    std::erase(view_order_, batch_id);
  }
  cached_objects_ += entry.objects;
  views_.insert_or_assign(batch_id, std::move(entry));
  view_order_.push_back(batch_id);  // the newest: evicted last
  while (view_order_.size() > 1 &&
         (view_order_.size() > kCachedViews || cached_objects_ > kCachedObjects)) {
    auto oldest = views_.find(view_order_.front());
    cached_objects_ -= oldest->second.objects;
    views_.erase(oldest);
    view_order_.pop_front();
  }
}

std::vector<core::Result<std::string>> BatchReader::getAll(std::span<const std::string> keys) {
  std::vector<core::Result<std::string>> texts(keys.size(), core::Result<std::string>(""));
  std::atomic<std::size_t> next{0};
  const auto fetch = [&] {
    for (std::size_t i = next++; i < keys.size(); i = next++)
      texts[i] = store_.get(keys[i]);
  };
  std::vector<std::thread> threads;
  const std::size_t helpers = std::min(kParallelGets, keys.size()) - (keys.empty() ? 0 : 1);
  threads.reserve(helpers);
  for (std::size_t i = 0; i < helpers; ++i)
    threads.emplace_back(fetch);
  fetch();
  for (auto& thread : threads)
    thread.join();
  return texts;
}

core::Result<ChunkDocument> BatchReader::chunkDocument(const std::string& key, int chunk_index,
                                                       core::Result<std::string> text) {
  if (!text.ok())
    return brokenDocument(key, text.error());
  auto document = parseChunkDocument(*text);
  if (!document.ok())
    return brokenDocument(key, document.error());
  if (document->result.chunk_index != chunk_index) {
    return core::makeError(core::ErrorCode::kInternal,
                           key + ": holds chunk " + std::to_string(document->result.chunk_index));
  }
  return document;
}

core::Result<std::vector<int>> BatchReader::sentChunks(const std::vector<std::string>& keys,
                                                       int total_chunks) {
  std::set<int> sent;
  for (const auto& key : keys) {
    auto text = store_.get(key);
    if (!text.ok())
      return brokenDocument(key, text.error());
    auto chunks = parseSentDocument(*text);
    if (!chunks.ok())
      return brokenDocument(key, chunks.error());
    for (const int chunk : *chunks) {
      if (chunk >= 0 && chunk < total_chunks)
        sent.insert(chunk);
    }
  }
  return std::vector<int>(sent.begin(), sent.end());
}

core::Result<std::vector<IndexEntry>> BatchReader::index(const std::string& prefix) {
  auto objects = store_.list(prefix);
  if (!objects.ok())
    return objects.error();
  std::vector<IndexEntry> entries;
  std::set<std::string> seen;
  for (const auto& object : *objects) {
    auto entry = parseIndexKey(prefix, object.key);
    if (entry && seen.insert(entry->batch_id).second)
      entries.push_back(std::move(*entry));
  }
  return entries;
}

}  // namespace rawfeed::tracker::lake
