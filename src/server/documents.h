#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace rawfeed::server {

// The documents the API answers (service.h), as plain values, and the one place their JSON is
// written. The composition root fills the values from the running domains; only documents.cpp
// knows the JSON library. Field order in the JSON is the order of the members here.

struct SymbolReason {
  std::string symbol;
  std::string reason;
};

// POST /v1/domains/{domain}/runs, a schedule's fire and the Lambda orchestrator: a batch started
// (or, dry_run, only planned). The optional members are written only when set.
struct BatchStarted {
  std::string domain, batch_id, batch_ds, trigger_type;
  std::optional<std::string> correlation_id;
  std::int64_t symbols = 0, chunks = 0, published = 0;
  // Symbols an incremental plan did not ask for (written only when there are any); with chunks
  // = 0 no batch was registered at all: the lake was up to date.
  std::int64_t up_to_date = 0;
  std::optional<std::int64_t> already_sent;  // not for a dry run
  std::optional<bool> existing_batch;
  std::vector<SymbolReason> rejected;
  std::optional<double> seconds;
  // A dry run also writes its backfill windows ([start, end] dates) and "dry_run": true.
  bool dry_run = false;
  std::vector<std::pair<std::string, std::string>> windows;
};
std::string toJson(const BatchStarted& started);

// POST /v1/events: one outcome per domain an entry started a batch for, or one error.
struct EventOutcome {
  std::size_t index = 0;
  std::string domain;  // "" when the entry matched no domain or could not be read
  std::string error;   // "" when the batch started
  std::string batch_id;
  std::int64_t symbols = 0, chunks = 0;
};
std::string toJson(const std::vector<EventOutcome>& outcomes);

// GET /v1/status.
struct QueueFigures {
  std::int64_t visible = 0, in_flight = 0, delayed = 0, dlq = 0;
  std::optional<double> oldest_age_seconds;  // null when unknown (or NaN)
};
struct DomainCounters {
  std::int64_t symbols_ok_total = 0, symbols_empty_total = 0, symbols_failed_total = 0,
               objects_written_total = 0, objects_skipped_total = 0, bytes_written_total = 0,
               records_total = 0, worker_deliveries_total = 0, worker_errors_total = 0,
               messages_dead_lettered_total = 0;
};
struct SourceFigures {  // the governor in front of the source host
  double rate = 0, in_flight_limit = 0, pause_remaining_seconds = 0, paused_for_seconds = 0,
         fleet_members = 0;
  std::int64_t requests_total = 0, refused_total = 0, pauses_total = 0;
};
struct AlarmView {
  std::string name, state;
  std::optional<double> value;  // null when unknown (or NaN)
  double threshold = 0;
  std::string comparison;
  std::int64_t period_seconds = 0;  // all evaluation periods together
  std::string reason;
  core::SystemTime since{};
};
struct ScheduleView {
  std::string expression, time_zone;
  std::optional<core::SystemTime> next_fire;
};
struct RecentBatch {
  std::string batch_id, batch_ds, status;
  std::int64_t symbols = 0, objects_written = 0;
};
// The lake's gaps (`rawfeed gaps`), as last checked: listing a big lake is expensive, so the
// daemon checks at most every refresh_seconds, in the background, while someone asks.
struct GapsView {
  std::optional<core::SystemTime> checked_at;  // null before the first check has finished
  std::int64_t symbols = 0, symbols_with_gaps = 0, missing_days = 0, never_landed = 0;
  bool checking = false;             // a check is under way
  std::optional<std::string> error;  // the last check's failure
  std::int64_t refresh_seconds = 0;
};
struct DomainStatus {
  std::string domain;
  QueueFigures queue;
  DomainCounters counters;
  SourceFigures source;
  std::vector<AlarmView> alarms;
  std::optional<ScheduleView> schedule;  // null without a schedule
  std::vector<RecentBatch> recent_batches;
  std::optional<GapsView> gaps;  // absent where nothing checks the lake
};
struct StatusDocument {
  core::SystemTime generated_at{};
  std::vector<DomainStatus> domains;
};
std::string toJson(const StatusDocument& status);

// GET /v1/domains/{domain}/batches.
struct BatchView {
  std::string batch_id, batch_ds, status, trigger_type;
  core::SystemTime created_at{};
  std::optional<core::SystemTime> finished_at;
  std::int64_t symbols = 0, chunks = 0, chunks_done = 0, objects_written = 0, objects_skipped = 0;
  std::vector<std::string> manifest_keys;
  std::vector<SymbolReason> failed_symbols;  // the first ones
  std::int64_t failed_symbols_total = 0;
};
struct BatchesDocument {
  std::string domain;
  std::vector<BatchView> batches;
};
std::string toJson(const BatchesDocument& batches);

// GET /v1/domains/{domain}/lake.
struct PartitionView {
  std::string ds;
  std::int64_t objects = 0, bytes = 0;
};
struct LakeDocument {
  std::string domain;
  std::vector<PartitionView> partitions;  // newest first
};
std::string toJson(const LakeDocument& lake);

// GET /v1/domains/{domain}/dlq.
struct DeadLetterEntry {
  std::string message_id;
  std::int64_t receive_count = 0;
  core::SystemTime sent_at{}, dead_lettered_at{};
  double age_seconds = 0;
  std::string batch_id;
  std::int64_t chunk_index = -1;
  std::vector<std::string> symbols;
  std::string error_class, reason;
};
struct DeadLettersDocument {
  std::string domain;
  std::vector<DeadLetterEntry> messages;
};
std::string toJson(const DeadLettersDocument& letters);

// POST /v1/domains/{domain}/dlq/redrive.
struct RedriveResult {
  std::int64_t matched = 0, redriven = 0;
  bool dry_run = false;
  std::vector<std::string> message_ids;
};
std::string toJson(const RedriveResult& redrive);

}  // namespace rawfeed::server
