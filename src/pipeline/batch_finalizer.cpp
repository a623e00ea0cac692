#include "pipeline/batch_finalizer.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/time_format.h"
#include "lake/raw_key.h"

namespace rawfeed::pipeline {

namespace {

using nlohmann::ordered_json;

std::vector<tracker::SymbolFailure> failedSymbols(const tracker::BatchSnapshot& batch) {
  std::vector<tracker::SymbolFailure> failed;
  for (const auto& chunk : batch.chunks) {
    failed.insert(failed.end(), chunk.failed.begin(), chunk.failed.end());
  }
  std::sort(failed.begin(), failed.end(),
            [](const auto& a, const auto& b) { return a.symbol < b.symbol; });
  return failed;
}

ordered_json failedJson(const std::vector<tracker::SymbolFailure>& failed) {
  ordered_json list = ordered_json::array();
  for (const auto& failure : failed) {
    list.push_back(
        {{"symbol", failure.symbol}, {"outcome", failure.outcome}, {"reason", failure.reason}});
  }
  return list;
}

ordered_json invalidBarsJson(const tracker::BatchSnapshot& batch) {
  std::vector<tracker::InvalidBars> all;
  for (const auto& chunk : batch.chunks)
    all.insert(all.end(), chunk.invalid_bars.begin(), chunk.invalid_bars.end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::tie(a.symbol, a.reason) < std::tie(b.symbol, b.reason);
  });
  ordered_json list = ordered_json::array();
  for (const auto& entry : all)
    list.push_back({{"symbol", entry.symbol}, {"reason", entry.reason}, {"bars", entry.bars}});
  return list;
}

ordered_json invalidActionsListJson(const tracker::BatchSnapshot& batch) {
  std::vector<tracker::InvalidActions> all;
  for (const auto& chunk : batch.chunks)
    all.insert(all.end(), chunk.invalid_actions.begin(), chunk.invalid_actions.end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::tie(a.symbol, a.reason) < std::tie(b.symbol, b.reason);
  });
  ordered_json list = ordered_json::array();
  for (const auto& entry : all) {
    list.push_back(
        {{"symbol", entry.symbol}, {"reason", entry.reason}, {"actions", entry.actions}});
  }
  return list;
}

// The table an object belongs to: an entry without one is the batch's own (the bars).
const std::string& tableOfEntry(const tracker::ObjectEntry& object,
                                const tracker::BatchPlan& plan) {
  return object.table.empty() ? plan.table_name : object.table;
}

// The batch's own table first, then every other table it wrote or found objects in (the
// corporate actions) or was to write (its plan's actions table, listed even without an object),
// by name.
std::vector<std::string> finalizerTables(const tracker::BatchSnapshot& batch) {
  std::set<std::string> others;
  if (!batch.plan.corporate_actions_table.empty() &&
      batch.plan.corporate_actions_table != batch.plan.table_name)
    others.insert(batch.plan.corporate_actions_table);
  for (const auto& chunk : batch.chunks) {
    for (const auto& object : chunk.objects) {
      if (tableOfEntry(object, batch.plan) != batch.plan.table_name)
        others.insert(object.table);
    }
  }
  std::vector<std::string> tables{batch.plan.table_name};
  tables.insert(tables.end(), others.begin(), others.end());
  return tables;
}

// The days the batch wrote or found objects of `table` for. The batch's own table has the batch's
// day when it has none, so that even an empty or failed batch leaves a manifest saying so; other
// tables have manifests only for the days they touched.
std::set<std::string> touchedDays(const tracker::BatchSnapshot& batch, const std::string& table) {
  std::set<std::string> days;
  for (const auto& chunk : batch.chunks) {
    for (const auto& object : chunk.objects) {
      if (tableOfEntry(object, batch.plan) == table)
        days.insert(object.day);
    }
  }
  if (days.empty() && table == batch.plan.table_name)
    days.insert(batch.plan.batch_ds);
  return days;
}

lake::PartitionKey partitionOf(const tracker::BatchPlan& plan, const std::string& table,
                               const std::string& day) {
  return {plan.domain, table, plan.interval, plan.data_source, day};
}

std::vector<std::string> manifestKeysOf(const tracker::BatchSnapshot& batch,
                                        const std::string& table) {
  std::vector<std::string> keys;
  for (const auto& day : touchedDays(batch, table))
    keys.push_back(lake::manifestKey(partitionOf(batch.plan, table, day)));
  return keys;
}

std::string generatedAt(const tracker::BatchSnapshot& batch) {
  return core::formatIsoUtc(batch.completed_at.value_or(batch.registered_at));
}

}  // namespace

const char* finalizeOutcomeName(FinalizeOutcome outcome) {
  switch (outcome) {
    case FinalizeOutcome::kPublished:
      return "published";
    case FinalizeOutcome::kAlreadyPublished:
      return "already_published";
    case FinalizeOutcome::kClaimedElsewhere:
      return "claimed_elsewhere";
  }
  return "claimed_elsewhere";
}

BatchFinalizer::BatchFinalizer(store::ObjectStore& store, tracker::BatchTracker& tracker,
                               events::EventSink& events, std::string environment,
                               const core::Clock& clock, BatchFinalizerOptions options)
    : store_(store),
      tracker_(tracker),
      events_(events),
      environment_(std::move(environment)),
      clock_(clock),
      options_(options) {}

std::string BatchFinalizer::manifestJson(const tracker::BatchSnapshot& batch,
                                         const std::string& day, const std::string& environment) {
  return manifestJson(batch, batch.plan.table_name, day, environment);
}

std::string BatchFinalizer::manifestJson(const tracker::BatchSnapshot& batch,
                                         const std::string& table, const std::string& day,
                                         const std::string& environment) {
  const auto& plan = batch.plan;
  const bool own_table = table == plan.table_name;
  std::vector<const tracker::ObjectEntry*> objects;
  for (const auto& chunk : batch.chunks) {
    for (const auto& object : chunk.objects) {
      if (object.day == day && tableOfEntry(object, plan) == table)
        objects.push_back(&object);
    }
  }
  std::sort(objects.begin(), objects.end(),
            [](const auto* a, const auto* b) { return a->key < b->key; });
  // The fields before the object list as a small document; the list itself is written entry by
  // entry, so a day of 100,000 objects costs its text and not a JSON tree of it. The bytes are
  // those of one ordered_json dump (the tests compare manifests byte for byte).
  ordered_json head;
  head["schema"] = "rawfeed.manifest/1";
  head["environment"] = environment;
  head["domain"] = plan.domain;
  head["table_name"] = table;
  head["data_source"] = plan.data_source;
  head["interval"] = plan.interval;
  head["ds"] = day;
  head["batch_id"] = plan.batch_id;
  head["generated_at"] = generatedAt(batch);
  std::string out = head.dump();
  out.pop_back();  // its closing brace: the list and the rest follow
  out.reserve(out.size() + objects.size() * 192);
  out += ",\"objects\":[";
  const auto text = [&out](const std::string& value) { out += ordered_json(value).dump(); };
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const auto& object = *objects[i];
    out += i == 0 ? "{\"symbol\":" : ",{\"symbol\":";
    text(object.symbol);
    out += ",\"key\":";
    text(object.key);
    out += ",\"records\":" + std::to_string(object.records);
    out += ",\"bytes\":" + std::to_string(object.bytes);
    out += ",\"sha256\":";
    text(object.sha256);
    out += '}';
  }
  out += "],\"failed_symbols\":" + failedJson(failedSymbols(batch)).dump();
  // Symbols an incremental plan did not ask for, the lake holding all their closed sessions; only
  // when there are any, in the bars' table.
  if (own_table && plan.symbols_up_to_date > 0)
    out += ",\"symbols_up_to_date\":" + std::to_string(plan.symbols_up_to_date);
  // Bars the source sent that were not written, by symbol and reason (batch-wide, like
  // failed_symbols); present only when there are any, so clean manifests keep their bytes. The
  // bars' table only: they are the bars' figures.
  if (auto invalid = invalidBarsJson(batch); own_table && !invalid.empty())
    out += ",\"invalid_bars\":" + invalid.dump();
  // The same for the corporate actions dropped as invalid, in the actions table's manifests.
  if (auto invalid = invalidActionsListJson(batch); !own_table && !invalid.empty())
    out += ",\"invalid_actions\":" + invalid.dump();
  out += '}';
  return out;
}

std::string BatchFinalizer::completionEventJson(const tracker::BatchSnapshot& batch,
                                                const std::vector<std::string>& manifest_keys) {
  const auto& plan = batch.plan;
  // Per table: the top-level figures and manifest_keys are the batch's own table's, as before
  // there were two; `tables` lists every table the batch wrote, its own first.
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> figures;  // written, skipped
  for (const auto& chunk : batch.chunks) {
    for (const auto& object : chunk.objects) {
      auto& [table_written, table_skipped] = figures[tableOfEntry(object, plan)];
      (object.written ? table_written : table_skipped) += 1;
    }
  }
  const auto [written, skipped] = figures[plan.table_name];
  ordered_json tables = ordered_json::array();
  for (const auto& table : finalizerTables(batch)) {
    const auto& [table_written, table_skipped] = figures[table];
    tables.push_back(
        {{"table_name", table},
         {"manifest_keys", table == plan.table_name ? manifest_keys : manifestKeysOf(batch, table)},
         {"objects_written", table_written},
         {"objects_skipped", table_skipped}});
  }
  const auto failed = failedSymbols(batch);
  ordered_json detail;
  detail["schema"] = "rawfeed.completion/1";
  detail["batch_id"] = plan.batch_id;
  detail["batch_ds"] = plan.batch_ds;
  detail["domain"] = plan.domain;
  detail["table_name"] = plan.table_name;
  detail["interval"] = plan.interval;
  detail["data_source"] = plan.data_source;
  detail["manifest_keys"] = manifest_keys;
  detail["objects_written"] = written;
  detail["objects_skipped"] = skipped;
  detail["failed_symbols"] = failedJson(failed);
  detail["status"] = tracker::eventStatusName(
      tracker::eventStatusOf(batch).value_or(tracker::EventStatus::kPartial));
  if (!plan.correlation_id.empty())
    detail["correlation_id"] = plan.correlation_id;
  detail["tables"] = std::move(tables);
  if (plan.symbols_up_to_date > 0)
    detail["symbols_up_to_date"] = plan.symbols_up_to_date;
  ordered_json event;
  event["detail-type"] = "Extract Batch Completed";
  event["source"] = "rawfeed";
  event["detail"] = std::move(detail);
  return event.dump();
}

core::Result<std::vector<std::string>> BatchFinalizer::writeManifests(
    const tracker::BatchSnapshot& batch) {
  std::vector<std::string> manifest_keys;
  store::PutOptions options;
  options.mode = store::PutMode::kOverwrite;  // same bytes every time: overwriting is harmless
  options.content_type = "application/json";
  for (const auto& table : finalizerTables(batch)) {
    for (const auto& day : touchedDays(batch, table)) {
      const std::string key = lake::manifestKey(partitionOf(batch.plan, table, day));
      auto put = store_.put(key, manifestJson(batch, table, day, environment_), options);
      if (!put.ok())
        return put.error();
      if (table == batch.plan.table_name)
        manifest_keys.push_back(key);
    }
  }
  return manifest_keys;
}

core::Status BatchFinalizer::mergeWatermarks(const tracker::BatchSnapshot& batch) {
  if (options_.watermarks == nullptr)
    return core::okStatus();
  std::vector<tracker::SymbolWatermark> reported;
  for (const auto& chunk : batch.chunks)
    reported.insert(reported.end(), chunk.watermarks.begin(), chunk.watermarks.end());
  const auto& plan = batch.plan;
  return options_.watermarks->merge({plan.domain, plan.table_name, plan.interval, plan.data_source},
                                    reported);
}

core::Result<FinalizeOutcome> BatchFinalizer::finalize(const std::string& batch_id) {
  // A second pass only when the claim finds the batch complete while this finalizer read it
  // partial: it reads it again and writes the complete manifests over the partial ones it may
  // have just written. Complete is final, so two passes are enough.
  for (int pass = 0; pass < 2; ++pass) {
    auto batch = tracker_.snapshot(batch_id);
    if (!batch.ok())
      return batch.error();
    const auto status = tracker::eventStatusOf(*batch);
    if (!status) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             "batch " + batch_id + " still has unrecorded chunks");
    }
    auto manifest_keys = writeManifests(*batch);
    if (!manifest_keys.ok())
      return manifest_keys.error();
    if (auto merged = mergeWatermarks(*batch); !merged.ok())
      return merged.error();
    // Claimed even when the snapshot says published: the claim reads the batch's status anew,
    // which is what catches a snapshot that went stale while the manifests were written.
    auto claim = tracker_.claimEvent(batch_id, *status, clock_.now(), options_.event_claim_lease);
    if (!claim.ok())
      return claim.error();
    switch (claim->outcome) {
      case tracker::ClaimOutcome::kGranted:
        return publish(*batch, *status, claim->claim_id, *manifest_keys);
      case tracker::ClaimOutcome::kPublished:
        return FinalizeOutcome::kAlreadyPublished;
      case tracker::ClaimOutcome::kHeld:
        return FinalizeOutcome::kClaimedElsewhere;
      case tracker::ClaimOutcome::kSuperseded:
        continue;
    }
  }
  return core::makeError(core::ErrorCode::kInternal,
                         "batch " + batch_id + ": its status kept changing while finalizing");
}

core::Result<FinalizeOutcome> BatchFinalizer::publish(
    const tracker::BatchSnapshot& batch, tracker::EventStatus status, std::int64_t claim_id,
    const std::vector<std::string>& manifest_keys) {
  const std::string& batch_id = batch.plan.batch_id;
  if (auto published = events_.publish(completionEventJson(batch, manifest_keys));
      !published.ok()) {
    // Best effort: a claim not released lapses after its lease anyway.
    (void)tracker_.releaseEventClaim(batch_id, status, claim_id);
    return published.error();
  }
  // A failure here leaves the event published but not marked: after the lease another
  // finalizer publishes it again (the one at-least-once case).
  if (auto marked = tracker_.markEventPublished(batch_id, status); !marked.ok())
    return marked.error();
  return FinalizeOutcome::kPublished;
}

}  // namespace rawfeed::pipeline
