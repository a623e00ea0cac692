#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "observe/counter.h"
#include "observe/histogram.h"
#include "observe/metric_family.h"
#include "observe/metrics_registry.h"

namespace rawfeed::observe {

// How a symbol's fetch-and-write ended, as the worker reports it (label "outcome").
enum class SymbolOutcome {
  kOk,
  kEmpty,
  kNotFound,
  kBadRequest,
  kThrottled,
  kTransient,
  kWriteFailed,
  kRejected,
  kBlocked,  // the source refused us (401/403, a consent page): not a rate limit
};
inline constexpr std::size_t kSymbolOutcomeCount = 9;
const char* symbolOutcomeName(SymbolOutcome outcome);

// Why a request was held back (label "kind"): our own concurrency limit, or the source's 429.
enum class ThrottleKind { kConcurrencyLimit, kSource429 };
inline constexpr std::size_t kThrottleKindCount = 2;
const char* throttleKindName(ThrottleKind kind);

// What a collector read from Queue::stats(), without naming the queue module (observe sits
// below it). oldest_age_seconds: nullopt when the backend cannot tell.
struct QueueFigures {
  std::int64_t visible = 0;
  std::int64_t in_flight = 0;
  std::int64_t delayed = 0;
  std::int64_t dead_letters = 0;
  std::optional<double> oldest_age_seconds;
};

// What a collector read from the source's governor (summed over its hosts; the pause is the
// longest), without naming the http module.
struct SourceFigures {
  double rate = 0;
  double in_flight_limit = 0;
  double pause_remaining_seconds = 0;
  double paused_for_seconds = 0;
  double fleet_members = 1;
  std::int64_t requests = 0;
  std::int64_t refused = 0;
  std::int64_t pauses = 0;
};

// Every metric of one domain, declared once, as typed handles (Envoy's "stats struct"): code on
// hot paths increments a member, never looks a name up. Every series carries label
// domain="<domain>". The references point into the registry, which must outlive this struct;
// copies share the same series.
class DomainMetrics {
 public:
  // Declares the families (idempotent across domains) and this domain's children.
  DomainMetrics(MetricsRegistry& registry, std::string domain);

  const std::string& domain() const { return domain_; }

  // Queue state, pulled at scrape time by a collector (see setQueueFigures).
  Gauge& queue_visible;               // rawfeed_queue_messages_visible
  Gauge& queue_in_flight;             // rawfeed_queue_messages_in_flight
  Gauge& queue_delayed;               // rawfeed_queue_messages_delayed
  Gauge& dlq_depth;                   // rawfeed_dlq_messages
  Gauge& oldest_message_age_seconds;  // rawfeed_queue_oldest_message_age_seconds

  // Queue traffic.
  Counter& messages_sent;           // rawfeed_messages_sent_total
  Counter& messages_received;       // rawfeed_messages_received_total
  Counter& messages_deleted;        // rawfeed_messages_deleted_total
  Counter& messages_dead_lettered;  // rawfeed_messages_dead_lettered_total

  // Worker.
  Counter& worker_deliveries;  // rawfeed_worker_deliveries_total
  // A delivery that ended without being acknowledged (retried later or dead-lettered); the
  // "worker errors ≥ 1 in 5 minutes" alarm counts these.
  Counter& worker_errors;                         // rawfeed_worker_errors_total
  Histogram& delivery_duration_seconds;           // rawfeed_delivery_duration_seconds
  Histogram& source_request_duration_seconds;     // rawfeed_source_request_duration_seconds
  Counter& throttles(ThrottleKind kind) const;    // rawfeed_throttles_total{kind}
  Counter& symbols(SymbolOutcome outcome) const;  // rawfeed_symbols_total{outcome}

  // The governor in front of the source host, set by a collector (see setSourceFigures).
  Gauge& source_rate;                // rawfeed_source_rate (this process's requests/s)
  Gauge& source_in_flight_limit;     // rawfeed_source_in_flight_limit
  Gauge& source_pause_seconds;       // rawfeed_source_pause_remaining_seconds
  Gauge& source_paused_for_seconds;  // rawfeed_source_paused_for_seconds (without a break)
  Gauge& source_fleet_members;       // rawfeed_source_fleet_members
  Counter& source_requests;          // rawfeed_source_requests_total
  Counter& source_refused;           // rawfeed_source_refused_total (429 answers)
  Counter& source_pauses;            // rawfeed_source_pauses_total

  // Lake.
  Counter& records;  // rawfeed_records_total
  // The bars' table; the corporate actions' objects are counted apart, bytes of both together.
  Counter& objects_written;         // rawfeed_objects_written_total
  Counter& objects_skipped;         // rawfeed_objects_skipped_total (already present)
  Counter& action_objects_written;  // rawfeed_action_objects_written_total
  Counter& action_objects_skipped;  // rawfeed_action_objects_skipped_total
  Counter& bytes_written;           // rawfeed_bytes_written_total

  // Schedule.
  Counter& schedule_fires;     // rawfeed_schedule_fires_total
  Counter& schedule_misfires;  // rawfeed_schedule_misfires_total

  // rawfeed_batches{state}: batches per tracker state ("open", "complete", "partial"), set by a
  // collector. A lookup: for collectors, not hot paths.
  Gauge& batches(std::string_view state) const;
  // rawfeed_invalid_bars_total{reason}: bars a source sent that were dropped as invalid, by the
  // reason of sources/source.h (negative, not_a_number, ...). A lookup: once per symbol with
  // invalid bars, which is rare.
  Counter& invalidBars(std::string_view reason) const;
  // rawfeed_invalid_actions_total{reason}: corporate actions (dividends, splits, capital gains)
  // a source sent that were dropped as invalid, by reason (not_a_number, bad_date, ...). A
  // lookup, as rare as invalid bars.
  Counter& invalidActions(std::string_view reason) const;

  // For the queue collector: sets the five queue gauges. An empty queue's age is 0 (as SQS
  // reports); an unknown age is NaN, so that alarms see missing data rather than a stale value.
  void setQueueFigures(const QueueFigures& figures) const;
  // When Queue::stats() failed: every queue gauge becomes NaN (missing), not the last value.
  void markQueueUnknown() const;
  // For the governor collector: gauges set, counters moved up to the totals given.
  void setSourceFigures(const SourceFigures& figures) const;

 private:
  std::string domain_;
  std::array<Counter*, kThrottleKindCount> throttles_;
  std::array<Counter*, kSymbolOutcomeCount> symbols_;
  GaugeFamily* batches_;
  CounterFamily* invalid_bars_;
  CounterFamily* invalid_actions_;
};

}  // namespace rawfeed::observe
