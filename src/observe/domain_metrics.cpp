#include "observe/domain_metrics.h"

#include <limits>

namespace rawfeed::observe {
namespace {

constexpr SymbolOutcome kOutcomes[] = {
    SymbolOutcome::kOk,          SymbolOutcome::kEmpty,     SymbolOutcome::kNotFound,
    SymbolOutcome::kBadRequest,  SymbolOutcome::kThrottled, SymbolOutcome::kTransient,
    SymbolOutcome::kWriteFailed, SymbolOutcome::kRejected,  SymbolOutcome::kBlocked};
constexpr ThrottleKind kThrottleKinds[] = {ThrottleKind::kConcurrencyLimit,
                                           ThrottleKind::kSource429};

Gauge& gauge(MetricsRegistry& r, std::string_view name, std::string_view help,
             const std::string& domain) {
  return r.gauge(name, help, {"domain"}).labels({domain});
}

Counter& counter(MetricsRegistry& r, std::string_view name, std::string_view help,
                 const std::string& domain) {
  return r.counter(name, help, {"domain"}).labels({domain});
}

}  // namespace

const char* symbolOutcomeName(SymbolOutcome outcome) {
  switch (outcome) {
    case SymbolOutcome::kOk:
      return "ok";
    case SymbolOutcome::kEmpty:
      return "empty";
    case SymbolOutcome::kNotFound:
      return "not_found";
    case SymbolOutcome::kBadRequest:
      return "bad_request";
    case SymbolOutcome::kThrottled:
      return "throttled";
    case SymbolOutcome::kTransient:
      return "transient";
    case SymbolOutcome::kWriteFailed:
      return "write_failed";
    case SymbolOutcome::kRejected:
      return "rejected";
    case SymbolOutcome::kBlocked:
      return "blocked";
  }
  return "ok";
}

const char* throttleKindName(ThrottleKind kind) {
  switch (kind) {
    case ThrottleKind::kConcurrencyLimit:
      return "concurrency_limit";
    case ThrottleKind::kSource429:
      return "source_429";
  }
  return "concurrency_limit";
}

DomainMetrics::DomainMetrics(MetricsRegistry& r, std::string domain)
    : queue_visible(gauge(r, "rawfeed_queue_messages_visible",
                          "Messages waiting in the queue, ready to be received", domain)),
      queue_in_flight(gauge(r, "rawfeed_queue_messages_in_flight",
                            "Messages received and not yet deleted or visible again", domain)),
      queue_delayed(gauge(r, "rawfeed_queue_messages_delayed",
                          "Messages sent with a delay that has not yet passed", domain)),
      dlq_depth(gauge(r, "rawfeed_dlq_messages", "Messages in the dead-letter queue", domain)),
      oldest_message_age_seconds(gauge(r, "rawfeed_queue_oldest_message_age_seconds",
                                       "Age of the oldest message in the queue", domain)),
      messages_sent(
          counter(r, "rawfeed_messages_sent_total", "Messages sent to the queue", domain)),
      messages_received(counter(r, "rawfeed_messages_received_total",
                                "Messages received from the queue", domain)),
      messages_deleted(counter(r, "rawfeed_messages_deleted_total",
                               "Messages deleted from the queue after processing", domain)),
      messages_dead_lettered(counter(r, "rawfeed_messages_dead_lettered_total",
                                     "Messages moved to the dead-letter queue", domain)),
      worker_deliveries(counter(r, "rawfeed_worker_deliveries_total",
                                "Queue deliveries handled by workers", domain)),
      worker_errors(counter(r, "rawfeed_worker_errors_total",
                            "Deliveries that ended without being acknowledged", domain)),
      delivery_duration_seconds(r.histogram("rawfeed_delivery_duration_seconds",
                                            "Time a worker spent on one queue delivery", {"domain"},
                                            kDeliverySecondsBuckets)
                                    .labels({domain})),
      source_request_duration_seconds(r.histogram("rawfeed_source_request_duration_seconds",
                                                  "Duration of one HTTP request to the source",
                                                  {"domain"}, kRequestSecondsBuckets)
                                          .labels({domain})),
      source_rate(gauge(r, "rawfeed_source_rate",
                        "Requests per second this process may send to the source host", domain)),
      source_in_flight_limit(gauge(r, "rawfeed_source_in_flight_limit",
                                   "Requests this process may have in flight at the source",
                                   domain)),
      source_pause_seconds(gauge(r, "rawfeed_source_pause_remaining_seconds",
                                 "Time left in the source's rate-limit pause (0: not paused)",
                                 domain)),
      source_paused_for_seconds(gauge(r, "rawfeed_source_paused_for_seconds",
                                      "How long the source has refused us without a break",
                                      domain)),
      source_fleet_members(gauge(r, "rawfeed_source_fleet_members",
                                 "Processes sharing the source's rate budget", domain)),
      source_requests(counter(r, "rawfeed_source_requests_total",
                              "Requests the governor let through to the source", domain)),
      source_refused(counter(r, "rawfeed_source_refused_total",
                             "Source answers that were rate limits (429)", domain)),
      source_pauses(counter(r, "rawfeed_source_pauses_total",
                            "Times the source host was paused after a burst of 429s", domain)),
      records(counter(r, "rawfeed_records_total", "Records written to the lake", domain)),
      objects_written(counter(r, "rawfeed_objects_written_total",
                              "Raw objects of bars written to the lake", domain)),
      objects_skipped(counter(r, "rawfeed_objects_skipped_total",
                              "Raw objects of bars not written because they existed", domain)),
      action_objects_written(counter(r, "rawfeed_action_objects_written_total",
                                     "Corporate-action objects written to the lake", domain)),
      action_objects_skipped(counter(r, "rawfeed_action_objects_skipped_total",
                                     "Corporate-action objects not written because they existed",
                                     domain)),
      bytes_written(
          counter(r, "rawfeed_bytes_written_total", "Bytes of raw objects written", domain)),
      schedule_fires(counter(r, "rawfeed_schedule_fires_total", "Scheduled runs started", domain)),
      schedule_misfires(counter(r, "rawfeed_schedule_misfires_total",
                                "Scheduled runs missed or skipped", domain)),
      domain_(std::move(domain)) {
  auto& throttles =
      r.counter("rawfeed_throttles_total",
                "Requests held back, by kind (our limit or the source's 429)", {"domain", "kind"});
  for (ThrottleKind kind : kThrottleKinds) {
    throttles_[static_cast<std::size_t>(kind)] =
        &throttles.labels({domain_, throttleKindName(kind)});
  }
  auto& symbols =
      r.counter("rawfeed_symbols_total", "Symbols processed, by outcome", {"domain", "outcome"});
  for (SymbolOutcome outcome : kOutcomes) {
    symbols_[static_cast<std::size_t>(outcome)] =
        &symbols.labels({domain_, symbolOutcomeName(outcome)});
  }
  batches_ =
      &r.gauge("rawfeed_batches", "Batches known to the tracker, by state", {"domain", "state"});
  invalid_bars_ = &r.counter("rawfeed_invalid_bars_total",
                             "Bars the source sent that were dropped as invalid, by reason",
                             {"domain", "reason"});
  invalid_actions_ =
      &r.counter("rawfeed_invalid_actions_total",
                 "Corporate actions the source sent that were dropped as invalid, by reason",
                 {"domain", "reason"});
}

Counter& DomainMetrics::throttles(ThrottleKind kind) const {
  return *throttles_[static_cast<std::size_t>(kind)];
}

Counter& DomainMetrics::symbols(SymbolOutcome outcome) const {
  return *symbols_[static_cast<std::size_t>(outcome)];
}

Gauge& DomainMetrics::batches(std::string_view state) const {
  return batches_->labels({domain_, state});
}

Counter& DomainMetrics::invalidBars(std::string_view reason) const {
  return invalid_bars_->labels({domain_, reason});
}

Counter& DomainMetrics::invalidActions(std::string_view reason) const {
  return invalid_actions_->labels({domain_, reason});
}

void DomainMetrics::setSourceFigures(const SourceFigures& figures) const {
  source_rate.set(figures.rate);
  source_in_flight_limit.set(figures.in_flight_limit);
  source_pause_seconds.set(figures.pause_remaining_seconds);
  source_paused_for_seconds.set(figures.paused_for_seconds);
  source_fleet_members.set(figures.fleet_members);
  for (auto [counter, total] :
       {std::pair{&source_requests, figures.requests}, std::pair{&source_refused, figures.refused},
        std::pair{&source_pauses, figures.pauses}}) {
    if (total > counter->value())
      counter->inc(total - counter->value());
  }
}

void DomainMetrics::setQueueFigures(const QueueFigures& figures) const {
  queue_visible.set(static_cast<double>(figures.visible));
  queue_in_flight.set(static_cast<double>(figures.in_flight));
  queue_delayed.set(static_cast<double>(figures.delayed));
  dlq_depth.set(static_cast<double>(figures.dead_letters));
  const bool empty = figures.visible + figures.in_flight + figures.delayed == 0;
  const double unknown = empty ? 0.0 : std::numeric_limits<double>::quiet_NaN();
  oldest_message_age_seconds.set(figures.oldest_age_seconds.value_or(unknown));
}

void DomainMetrics::markQueueUnknown() const {
  const double unknown = std::numeric_limits<double>::quiet_NaN();
  for (Gauge* gauge : {&queue_visible, &queue_in_flight, &queue_delayed, &dlq_depth,
                       &oldest_message_age_seconds}) {
    gauge->set(unknown);
  }
}

}  // namespace rawfeed::observe
