#include "pipeline/batch_finalizer.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

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

// The days the batch wrote or found objects for; the batch's own day when it has none, so that
// even an empty or failed batch leaves a manifest saying so.
std::set<std::string> touchedDays(const tracker::BatchSnapshot& batch) {
  std::set<std::string> days;
  for (const auto& chunk : batch.chunks) {
    for (const auto& object : chunk.objects)
      days.insert(object.day);
  }
  if (days.empty())
    days.insert(batch.plan.batch_ds);
  return days;
}

lake::PartitionKey partitionOf(const tracker::BatchPlan& plan, const std::string& day) {
  return {plan.domain, plan.table_name, plan.interval, plan.data_source, day};
}

std::string generatedAt(const tracker::BatchSnapshot& batch) {
  return core::formatIsoUtc(batch.completed_at.value_or(batch.registered_at));
}

}  // namespace

BatchFinalizer::BatchFinalizer(store::ObjectStore& store, tracker::BatchTracker& tracker,
                               events::EventSink& events, std::string environment)
    : store_(store), tracker_(tracker), events_(events), environment_(std::move(environment)) {}

std::string BatchFinalizer::manifestJson(const tracker::BatchSnapshot& batch,
                                         const std::string& day, const std::string& environment) {
  const auto& plan = batch.plan;
  std::vector<const tracker::ObjectEntry*> objects;
  for (const auto& chunk : batch.chunks) {
    for (const auto& object : chunk.objects) {
      if (object.day == day)
        objects.push_back(&object);
    }
  }
  std::sort(objects.begin(), objects.end(),
            [](const auto* a, const auto* b) { return a->key < b->key; });
  ordered_json document;
  document["schema"] = "rawfeed.manifest/1";
  document["environment"] = environment;
  document["domain"] = plan.domain;
  document["table_name"] = plan.table_name;
  document["data_source"] = plan.data_source;
  document["interval"] = plan.interval;
  document["ds"] = day;
  document["batch_id"] = plan.batch_id;
  document["generated_at"] = generatedAt(batch);
  ordered_json list = ordered_json::array();
  for (const auto* object : objects) {
    list.push_back({{"symbol", object->symbol},
                    {"key", object->key},
                    {"records", object->records},
                    {"bytes", object->bytes},
                    {"sha256", object->sha256}});
  }
  document["objects"] = std::move(list);
  document["failed_symbols"] = failedJson(failedSymbols(batch));
  return document.dump();
}

std::string BatchFinalizer::completionEventJson(const tracker::BatchSnapshot& batch,
                                                const std::vector<std::string>& manifest_keys) {
  const auto& plan = batch.plan;
  std::int64_t written = 0;
  std::int64_t skipped = 0;
  for (const auto& chunk : batch.chunks) {
    for (const auto& object : chunk.objects)
      (object.written ? written : skipped) += 1;
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
  detail["status"] =
      batch.state == tracker::BatchState::kComplete && failed.empty() ? "complete" : "partial";
  if (!plan.correlation_id.empty())
    detail["correlation_id"] = plan.correlation_id;
  ordered_json event;
  event["detail-type"] = "Extract Batch Completed";
  event["source"] = "rawfeed";
  event["detail"] = std::move(detail);
  return event.dump();
}

core::Status BatchFinalizer::finalize(const std::string& batch_id) {
  auto batch = tracker_.snapshot(batch_id);
  if (!batch.ok())
    return batch.error();
  if (batch->state == tracker::BatchState::kOpen) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "batch " + batch_id + " still has unrecorded chunks");
  }
  std::vector<std::string> manifest_keys;
  store::PutOptions options;
  options.mode = store::PutMode::kOverwrite;  // same bytes every time: overwriting is harmless
  options.content_type = "application/json";
  for (const auto& day : touchedDays(*batch)) {
    const std::string key = lake::manifestKey(partitionOf(batch->plan, day));
    auto put = store_.put(key, manifestJson(*batch, day, environment_), options);
    if (!put.ok())
      return put.error();
    manifest_keys.push_back(key);
  }
  if (batch->event_published)
    return core::okStatus();
  if (auto published = events_.publish(completionEventJson(*batch, manifest_keys));
      !published.ok()) {
    return published.error();
  }
  return tracker_.markEventPublished(batch_id);
}

}  // namespace rawfeed::pipeline
