#include "tracker/lake/lake_batch_tracker.h"

#include <algorithm>
#include <functional>
#include <map>

#include "tracker/event_claim_rules.h"
#include "tracker/lake/batch_figures.h"
#include "tracker/lake/batch_listing.h"

namespace rawfeed::tracker::lake {
namespace {

core::Error invalid(std::string message) {
  return core::makeError(core::ErrorCode::kInvalidInput, std::move(message));
}

core::Status checkIndex(const BatchPlan& plan, int chunk_index) {
  if (chunk_index < 0 || chunk_index >= plan.total_chunks) {
    return invalid("batch " + plan.batch_id + ": chunk index " + std::to_string(chunk_index) +
                   " is outside 0.." + std::to_string(plan.total_chunks - 1));
  }
  return core::okStatus();
}

core::Status checkPlan(const BatchPlan& plan) {
  if (plan.batch_id.empty())
    return invalid("registerBatch: batch_id is empty");
  if (auto problem = segmentProblem(plan.batch_id); !problem.empty()) {
    return invalid("registerBatch: batch_id '" + plan.batch_id + "' " + problem);
  }
  if (plan.total_chunks < 1) {
    return invalid("registerBatch: batch " + plan.batch_id + " has total_chunks " +
                   std::to_string(plan.total_chunks) + ", at least 1 expected");
  }
  if (auto problem = segmentProblem(plan.domain); !plan.domain.empty() && !problem.empty()) {
    return invalid("registerBatch: batch " + plan.batch_id + ": domain '" + plan.domain + "' " +
                   problem);
  }
  return core::okStatus();
}

store::PutOptions jsonPut(store::PutMode mode) {
  store::PutOptions options;
  options.mode = mode;
  options.content_type = "application/json";
  return options;
}

// Markers and records whose bytes are fixed by their key: rewriting one changes nothing.
const store::PutOptions kIdempotent = jsonPut(store::PutMode::kOverwrite);
const store::PutOptions kCreateOnly = jsonPut(store::PutMode::kCreateOnly);
// Progress: each save carries everything the chunk's deliveries finished so far.
const store::PutOptions kReplace = jsonPut(store::PutMode::kOverwrite);

}  // namespace

core::Result<RegisterOutcome> LakeBatchTracker::registerBatch(const BatchPlan& plan,
                                                              core::SystemTime now) {
  if (auto checked = checkPlan(plan); !checked.ok())
    return checked.error();
  PlanDocument document{plan, toMillis(now)};
  auto put = store_.put(planKey(plan.batch_id), planDocumentJson(document), kCreateOnly);
  if (!put.ok())
    return put.error();
  RegisterOutcome outcome = RegisterOutcome::kNew;
  if (*put == store::PutOutcome::kAlreadyExists) {
    auto stored = reader_.plan(plan.batch_id);
    if (!stored.ok())
      return stored.error();
    const auto& had = stored->plan;
    if (had.fingerprint != plan.fingerprint || had.total_chunks != plan.total_chunks) {
      return invalid("registerBatch: batch " + plan.batch_id +
                     " is already registered with another plan (fingerprint " + had.fingerprint +
                     ", " + std::to_string(had.total_chunks) + " chunks; now " + plan.fingerprint +
                     ", " + std::to_string(plan.total_chunks) + " chunks)");
    }
    document = std::move(stored).value();
    outcome = RegisterOutcome::kExisting;
  } else {
    reader_.remember(document);
  }
  // Written after the plan, and again on every repeat, so a crash between the two heals when
  // the orchestrator registers the batch again.
  if (auto indexed = writeIndexes(document); !indexed.ok())
    return indexed.error();
  return outcome;
}

core::Status LakeBatchTracker::writeIndexes(const PlanDocument& document) {
  const auto& plan = document.plan;
  auto recent =
      store_.put(recentIndexKey(document.registered_at_ms, plan.batch_id), "", kIdempotent);
  if (!recent.ok())
    return recent.error();
  if (plan.domain.empty())
    return core::okStatus();
  auto domain = store_.put(domainIndexKey(plan.domain, document.registered_at_ms, plan.batch_id),
                           "", kIdempotent);
  if (!domain.ok())
    return domain.error();
  return core::okStatus();
}

core::Status LakeBatchTracker::markSent(const std::string& batch_id, std::span<const int> chunks) {
  auto plan = reader_.plan(batch_id);
  if (!plan.ok())
    return plan.error();
  std::vector<int> sorted(chunks.begin(), chunks.end());
  for (const int chunk : sorted) {  // all checked first: a bad index changes nothing
    if (auto checked = checkIndex(plan->plan, chunk); !checked.ok())
      return checked;
  }
  if (sorted.empty())
    return core::okStatus();
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  auto put = store_.put(sentKey(batch_id, sorted), sentDocumentJson(sorted), kIdempotent);
  if (!put.ok())
    return put.error();
  return core::okStatus();
}

core::Result<std::vector<RecordOutcome>> LakeBatchTracker::recordChunks(
    std::span<const ChunkRecord> records, core::SystemTime now) {
  std::vector<RecordOutcome> outcomes(records.size());
  std::map<std::string, PlanDocument> batches;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto plan = recordOne(records[i], now, outcomes[i]);
    if (!plan.ok())
      return plan.error();
    batches.try_emplace(records[i].batch_id, std::move(plan).value());
  }
  // One completion check per batch, after all of the delivery's puts: true for each of its
  // records when the batch is complete now.
  for (const auto& [batch_id, plan] : batches) {
    auto complete = isComplete(plan);
    if (!complete.ok())
      return complete.error();
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (records[i].batch_id == batch_id)
        outcomes[i].batch_complete = *complete;
    }
  }
  return outcomes;
}

core::Result<PlanDocument> LakeBatchTracker::recordOne(const ChunkRecord& record,
                                                       core::SystemTime now,
                                                       RecordOutcome& outcome) {
  auto plan = reader_.plan(record.batch_id);
  if (!plan.ok())
    return plan.error();
  if (auto checked = checkIndex(plan->plan, record.result.chunk_index); !checked.ok()) {
    return checked.error();
  }
  std::lock_guard lock(chunkLock(record.batch_id, record.result.chunk_index));
  auto counted = storeResult(record.batch_id, record.result, now);
  if (!counted.ok())
    return counted.error();
  outcome.counted = *counted;
  return plan;
}

core::Result<bool> LakeBatchTracker::storeResult(const std::string& batch_id,
                                                 const ChunkResult& result, core::SystemTime now) {
  const std::string document = chunkDocumentJson({result, toMillis(now)});
  auto first = store_.put(chunkKey(batch_id, result.chunk_index), document, kCreateOnly);
  if (!first.ok())
    return first.error();
  if (*first == store::PutOutcome::kWritten)
    return true;
  if (result.dead_lettered)
    return false;  // a dead letter never replaces anything
  const std::string key = chunkKey(batch_id, result.chunk_index);
  auto stored_text = store_.get(key);
  if (!stored_text.ok())
    return stored_text.error();
  auto stored = parseChunkDocument(*stored_text);
  if (!stored.ok())
    return core::makeError(stored.error().code, key + ": " + stored.error().message);
  if (!stored->result.dead_lettered)
    return false;
  // A redriven chunk that now succeeded. Create-only again, so of two racing redeliveries one
  // replaces; the first result stays, keeping completed_at where it was.
  auto replaced = store_.put(replacedKey(batch_id, result.chunk_index), document, kCreateOnly);
  if (!replaced.ok())
    return replaced.error();
  return *replaced == store::PutOutcome::kWritten;
}

std::mutex& LakeBatchTracker::chunkLock(const std::string& batch_id, int chunk_index) {
  const std::size_t hash = std::hash<std::string>{}(batch_id) ^ std::hash<int>{}(chunk_index);
  return chunk_locks_[hash % chunk_locks_.size()];
}

bool LakeBatchTracker::seenComplete(const std::string& batch_id) {
  std::lock_guard lock(mutex_);
  return complete_.count(batch_id) > 0;
}

core::Result<bool> LakeBatchTracker::isComplete(const PlanDocument& plan) {
  const std::string& batch_id = plan.plan.batch_id;
  if (seenComplete(batch_id))
    return true;
  // Listed after this record's put returned, so the recorder of the last chunk always counts
  // every chunk (S3 lists are strongly consistent): at least one recorder sees completion.
  auto objects = store_.list(chunksPrefix(batch_id));
  if (!objects.ok())
    return objects.error();
  if (countChunkKeys(batch_id, *objects) < plan.plan.total_chunks)
    return false;
  std::lock_guard lock(mutex_);
  complete_.insert(batch_id);
  return true;
}

core::Status LakeBatchTracker::saveChunkProgress(const std::string& batch_id,
                                                 const ChunkResult& progress,
                                                 core::SystemTime now) {
  auto plan = reader_.plan(batch_id);
  if (!plan.ok())
    return plan.error();
  if (auto checked = checkIndex(plan->plan, progress.chunk_index); !checked.ok())
    return checked;
  // Not checking for the chunk's result here saves a GET per save: chunkProgress checks it,
  // which it must anyway, since the chunk may be recorded right after this put.
  if (seenComplete(batch_id))
    return core::okStatus();
  auto put = store_.put(progressKey(batch_id, progress.chunk_index),
                        chunkDocumentJson({progress, toMillis(now)}), kReplace);
  if (!put.ok())
    return put.error();
  return core::okStatus();
}

core::Result<std::optional<ChunkResult>> LakeBatchTracker::chunkProgress(
    const std::string& batch_id, int chunk_index) {
  auto plan = reader_.plan(batch_id);
  if (!plan.ok())
    return plan.error();
  if (auto checked = checkIndex(plan->plan, chunk_index); !checked.ok())
    return checked.error();
  if (seenComplete(batch_id))
    return std::optional<ChunkResult>();
  const std::string key = progressKey(batch_id, chunk_index);
  auto text = store_.get(key);
  if (!text.ok()) {
    if (text.error().code == core::ErrorCode::kNotFound)
      return std::optional<ChunkResult>();
    return text.error();
  }
  auto recorded = isRecorded(batch_id, chunk_index);
  if (!recorded.ok())
    return recorded.error();
  if (*recorded)
    return std::optional<ChunkResult>();
  auto document = parseChunkDocument(*text);
  if (!document.ok())
    return core::makeError(document.error().code, key + ": " + document.error().message);
  if (document->result.chunk_index != chunk_index) {
    return core::makeError(core::ErrorCode::kInternal,
                           key + ": holds chunk " + std::to_string(document->result.chunk_index));
  }
  return std::optional<ChunkResult>(std::move(document->result));
}

core::Result<bool> LakeBatchTracker::isRecorded(const std::string& batch_id, int chunk_index) {
  // A GET rather than a HEAD: the tracker's registered S3 calls stay PUT, GET and LIST.
  auto result = store_.get(chunkKey(batch_id, chunk_index));
  if (result.ok())
    return true;
  if (result.error().code == core::ErrorCode::kNotFound)
    return false;
  return result.error();
}

core::Result<BatchSnapshot> LakeBatchTracker::snapshot(const std::string& batch_id) {
  auto view = reader_.read(batch_id);
  if (!view.ok())
    return view.error();
  return std::move(view->snapshot);
}

core::Result<EventClaim> LakeBatchTracker::claimEvent(const std::string& batch_id,
                                                      EventStatus status, core::SystemTime now,
                                                      std::chrono::milliseconds lease) {
  std::lock_guard lock(claim_locks_[std::hash<std::string>{}(batch_id) % claim_locks_.size()]);
  auto view = reader_.read(batch_id);
  if (!view.ok())
    return view.error();
  const EventMarkers& events = view->events;
  EventLedger ledger;
  ledger.partial_published = events.published.count(eventStatusName(EventStatus::kPartial)) > 0;
  ledger.complete_published = events.published.count(eventStatusName(EventStatus::kComplete)) > 0;
  const std::int64_t now_ms = toMillis(now);
  if (!ledger.published(status)) {  // a published event is the answer whatever the leases
    auto live = claimLive(batch_id, events, now_ms);
    if (!live.ok())
      return live.error();
    ledger.claim_live = *live;
  }
  auto decided = decideEventClaim(batch_id, status, eventStatusOf(view->snapshot), ledger);
  if (!decided.ok())
    return decided.error();
  if (*decided != ClaimOutcome::kGranted)
    return EventClaim{*decided, 0};
  // One claim number per claim, of any status: of the callers that read the same newest claim,
  // the create-only put lets one through, and claims of a batch stay serialised.
  const std::int64_t claim = events.last_claim ? *events.last_claim + 1 : 0;
  const ClaimDocument document{status, now_ms, now_ms + lease.count()};
  auto put = store_.put(eventClaimKey(batch_id, claim), claimDocumentJson(document), kCreateOnly);
  if (!put.ok())
    return put.error();
  if (*put == store::PutOutcome::kAlreadyExists)
    return EventClaim{ClaimOutcome::kHeld, 0};
  return EventClaim{ClaimOutcome::kGranted, claim};
}

core::Result<bool> LakeBatchTracker::claimLive(const std::string& batch_id,
                                               const EventMarkers& events, std::int64_t now_ms) {
  if (!events.last_claim || events.released.count(*events.last_claim))
    return false;
  const std::string key = eventClaimKey(batch_id, *events.last_claim);
  auto text = store_.get(key);
  if (!text.ok()) {
    // Listed, so it exists: claims are never removed.
    const auto code = text.error().code == core::ErrorCode::kNotFound ? core::ErrorCode::kInternal
                                                                      : text.error().code;
    return core::makeError(code, key + ": " + text.error().message);
  }
  auto document = parseClaimDocument(*text);
  if (!document.ok())
    return core::makeError(document.error().code, key + ": " + document.error().message);
  if (events.published.count(eventStatusName(document->status)))
    return false;
  return now_ms < document->lease_until_ms;
}

core::Status LakeBatchTracker::releaseEventClaim(const std::string& batch_id,
                                                 EventStatus /*status: the number names the claim*/,
                                                 std::int64_t claim_id) {
  auto plan = reader_.plan(batch_id);
  if (!plan.ok())
    return plan.error();
  auto put = store_.put(eventReleasedKey(batch_id, claim_id), "", kIdempotent);
  if (!put.ok())
    return put.error();
  return core::okStatus();
}

core::Status LakeBatchTracker::markEventPublished(const std::string& batch_id, EventStatus status) {
  if (!segmentProblem(batch_id).empty())
    return reader_.plan(batch_id).error();
  auto objects = store_.list(batchPrefix(batch_id));
  if (!objects.ok())
    return objects.error();
  const BatchListing listing = parseBatchListing(batch_id, *objects);
  if (!listing.has_plan)
    return reader_.plan(batch_id).error();
  auto plan = reader_.plan(batch_id);
  if (!plan.ok())
    return plan.error();
  const int total = plan->plan.total_chunks;
  if (listing.recorded() < total) {
    return invalid("markEventPublished: batch " + batch_id + " is not complete (" +
                   std::to_string(listing.recorded()) + " of " + std::to_string(total) +
                   " chunks recorded)");
  }
  auto put = store_.put(eventPublishedKey(batch_id, eventStatusName(status)), "", kIdempotent);
  if (!put.ok())
    return put.error();
  return core::okStatus();
}

core::Result<std::vector<BatchView>> LakeBatchTracker::recentViews(const std::string& index_prefix,
                                                                   int limit) {
  auto entries = reader_.index(index_prefix);
  if (!entries.ok())
    return entries.error();
  std::vector<BatchView> views;
  for (const auto& entry : *entries) {
    if (limit >= 0 && static_cast<int>(views.size()) >= limit)
      break;
    auto view = reader_.read(entry.batch_id);
    if (!view.ok()) {
      // An index entry whose plan is gone (removed by hand, retention): not a batch any more.
      if (view.error().code == core::ErrorCode::kNotFound)
        continue;
      return view.error();
    }
    views.push_back(std::move(view).value());
  }
  return views;
}

core::Result<std::vector<BatchSnapshot>> LakeBatchTracker::recentBatches(int limit) {
  if (limit < 1) {
    return invalid("recentBatches: limit " + std::to_string(limit) + " must be at least 1");
  }
  auto views = recentViews(recentIndexPrefix(), limit);
  if (!views.ok())
    return views.error();
  std::vector<BatchSnapshot> snapshots;
  snapshots.reserve(views->size());
  for (auto& view : *views)
    snapshots.push_back(std::move(view.snapshot));
  return snapshots;
}

core::Result<std::vector<BatchSummary>> LakeBatchTracker::recentSummaries(
    int limit, const std::string& domain) {
  if (limit < 1) {
    return invalid("recentSummaries: limit " + std::to_string(limit) + " must be at least 1");
  }
  if (!domain.empty() && !segmentProblem(domain).empty())
    return std::vector<BatchSummary>();
  auto views = recentViews(domain.empty() ? recentIndexPrefix() : domainIndexPrefix(domain), limit);
  if (!views.ok())
    return views.error();
  std::vector<BatchSummary> summaries;
  summaries.reserve(views->size());
  for (const auto& view : *views)
    summaries.push_back(summarize(view.snapshot, view.revision));
  return summaries;
}

core::Result<std::vector<PartitionStats>> LakeBatchTracker::partitionStats(
    const std::string& domain, int limit_days) {
  if (limit_days < 1) {
    return invalid("partitionStats: limit " + std::to_string(limit_days) + " must be at least 1");
  }
  if (domain.empty() || !segmentProblem(domain).empty())
    return std::vector<PartitionStats>();
  auto views = recentViews(domainIndexPrefix(domain), -1);
  if (!views.ok())
    return views.error();
  std::map<std::string, const ObjectEntry*> objects;  // each key once, as the newest batch saw it
  for (const auto& view : *views) {
    for (const auto& chunk : view.snapshot.chunks) {
      for (const auto& object : chunk.objects) {
        if (object.table.empty())  // the partition statistics are the bars' table's
          objects.try_emplace(object.key, &object);
      }
    }
  }
  std::map<std::string, PartitionStats, std::greater<>> days;
  for (const auto& [key, object] : objects) {
    auto& day = days[object->day];
    day.day = object->day;
    ++day.objects;
    day.bytes += object->bytes;
  }
  std::vector<PartitionStats> newest;
  for (auto& [name, day] : days) {
    if (static_cast<int>(newest.size()) >= limit_days)
      break;
    newest.push_back(std::move(day));
  }
  return newest;
}

}  // namespace rawfeed::tracker::lake
