#include "events/lake_outbox/lake_outbox_event_sink.h"

#include <fmt/format.h>

#include "events/lake_outbox/lake_outbox_keys.h"

namespace rawfeed::events::lake_outbox {

namespace {

// The sink itself is unwell (down, throttling, refusing the credentials, gone): later events
// would fail the same way, so the pass stops rather than wait out each one's retries.
bool endsPass(const core::Error& error) {
  return error.code != core::ErrorCode::kInvalidInput && error.code != core::ErrorCode::kPermanent;
}

store::PutOptions createOnlyJson() {
  store::PutOptions options;
  options.mode = store::PutMode::kCreateOnly;
  options.content_type = "application/json";
  return options;
}

}  // namespace

LakeOutboxEventSink::LakeOutboxEventSink(LakeOutboxOptions options, store::ObjectStore& lake,
                                         std::unique_ptr<EventSink> remote, observe::Logger& logger)
    : options_(std::move(options)),
      sink_segment_(sinkSegment(options_.sink_name)),
      lake_(lake),
      remote_(std::move(remote)),
      logger_(logger) {}

std::string LakeOutboxEventSink::location() const {
  return fmt::format("{}/{}", lake_.location(), pendingPrefix(sink_segment_));
}

core::Status LakeOutboxEventSink::publish(std::string_view event_json) {
  auto file_name = eventFileName(event_json);
  if (!file_name.ok())
    return file_name.error();
  std::lock_guard guard(mutex_);
  // Create-only: a second finaliser of the same batch finds the same bytes under the same key.
  auto put = lake_.put(pendingPrefix(sink_segment_) + *file_name, event_json, createOnlyJson());
  if (!put.ok())
    return put.error();
  DeliveryReport report;
  auto delivered = deliverOne(*file_name, event_json);
  if (delivered.ok()) {
    report.delivered = *delivered == Delivery::kDelivered ? 1 : 0;
  } else {
    report.pending = 1;
    report.error = delivered.error();
    logFailure(*file_name, delivered.error());
  }
  last_report_ = report;
  return core::okStatus();
}

core::Result<LakeOutboxEventSink::Delivery> LakeOutboxEventSink::deliverOne(
    const std::string& file_name, std::string_view event_json) {
  const std::string pending_key = pendingPrefix(sink_segment_) + file_name;
  const std::string delivered_key = deliveredPrefix(sink_segment_) + file_name;
  auto marker = lake_.head(delivered_key);
  if (!marker.ok() && marker.error().code != core::ErrorCode::kNotFound)
    return marker.error();
  const bool already = marker.ok();
  if (!already) {
    if (auto sent = remote_->publish(event_json); !sent.ok())
      return sent.error();
    // Delivered but unmarked if this fails: the next pass sends it again (at-least-once).
    if (auto marked = lake_.put(delivered_key, event_json, createOnlyJson()); !marked.ok())
      return marked.error();
    logger_.info("event_delivered",
                 {{"sink", options_.sink_name}, {"batch_id", batchIdOfFileName(file_name)}});
  }
  if (auto removed = lake_.remove(pending_key); !removed.ok()) {
    // The marker keeps the event from being sent again; the next pass removes it.
    logger_.warn("event_outbox_remove_failed",
                 {{"key", pending_key}, {"error", removed.error().describe()}});
  }
  return already ? Delivery::kAlreadyDelivered : Delivery::kDelivered;
}

void LakeOutboxEventSink::logFailure(const std::string& file_name, const core::Error& error) {
  logger_.warn("event_delivery_failed", {{"sink", options_.sink_name},
                                         {"batch_id", batchIdOfFileName(file_name)},
                                         {"error", error.describe()}});
}

DeliveryReport LakeOutboxEventSink::deliverPending() {
  std::lock_guard guard(mutex_);
  DeliveryReport report;
  const std::string prefix = pendingPrefix(sink_segment_);
  auto listed = lake_.list(prefix);
  if (!listed.ok()) {
    report.error = listed.error();
    last_report_ = report;
    return report;
  }
  const auto& pending = *listed;
  std::size_t attempted = 0;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (options_.max_events_per_pass > 0 &&
        attempted == static_cast<std::size_t>(options_.max_events_per_pass)) {
      report.pending += static_cast<int>(pending.size() - i);  // left for the next pass
      break;
    }
    const std::string file_name = pending[i].key.substr(prefix.size());
    auto event = lake_.get(pending[i].key);
    if (!event.ok()) {
      if (event.error().code == core::ErrorCode::kNotFound)
        continue;  // another host delivered and removed it since the listing
      report.error = event.error();
      report.pending += static_cast<int>(pending.size() - i);
      break;
    }
    ++attempted;
    auto delivered = deliverOne(file_name, *event);
    if (delivered.ok()) {
      report.delivered += *delivered == Delivery::kDelivered ? 1 : 0;
      continue;
    }
    report.error = delivered.error();
    ++report.pending;
    logFailure(file_name, delivered.error());
    if (endsPass(delivered.error())) {
      report.pending += static_cast<int>(pending.size() - i - 1);
      break;
    }
  }
  if (report.pending > 0) {
    logger_.warn(
        "events_pending",
        {{"sink", options_.sink_name}, {"pending", report.pending}, {"outbox", location()}});
  }
  last_report_ = report;
  return report;
}

core::Result<int> LakeOutboxEventSink::pendingCount() {
  auto listed = lake_.list(pendingPrefix(sink_segment_));
  if (!listed.ok())
    return listed.error();
  return static_cast<int>(listed->size());
}

DeliveryReport LakeOutboxEventSink::lastReport() const {
  std::lock_guard guard(mutex_);
  return last_report_;
}

}  // namespace rawfeed::events::lake_outbox
