#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "events/event_outbox.h"
#include "events/event_sink.h"
#include "events/jsonl/jsonl_event_sink.h"
#include "observe/logger.h"

namespace rawfeed::events::outbox {

struct OutboxOptions {
  std::filesystem::path log_path;     // {state_dir}/events/completion.jsonl
  std::filesystem::path ledger_path;  // {state_dir}/events/delivered/<sink>.jsonl
  std::string sink_name;              // "eventbridge://bus", for logs, errors and the ledger
};

using events::DeliveryReport;

// A remote sink behind the local event log used as an outbox. publish() appends the event to
// the log (durable, fsynced) and returns OK once it is there — the EventSink contract's
// "durably recorded" — then delivers every event the remote sink has not acknowledged, oldest
// first, and records each acknowledgement in the delivery ledger. A sink that is down or
// refuses leaves the event pending (logged as event_delivery_failed) until the next publish or
// deliverPending(), which `rawfeed run`/`work` call before they exit and `rawfeed serve` calls
// periodically: nothing is lost, and an event may arrive more than once (a crash between the
// sink's acknowledgement and the ledger's append), never zero times. A throttled, transient,
// unauthenticated or not-found failure ends the pass (the sink itself is unwell); an event the
// sink refuses for itself (invalid input, permanent) stays pending without holding back the
// events behind it.
// Passes are serialised across threads and, with an flock on "<ledger>.lock", across processes
// sharing the state directory, so two workers never deliver the same pending event at once.
class OutboxEventSink final : public EventSink, public EventOutbox {
 public:
  // Creates the ledger when missing: events already in the log are not sent to a newly
  // configured sink. kInternal for I/O errors.
  static core::Result<std::unique_ptr<OutboxEventSink>> open(OutboxOptions options,
                                                             std::unique_ptr<EventSink> remote,
                                                             observe::Logger& logger);

  // kInvalidInput / kInternal from the log (nothing recorded); OK once recorded, whatever the
  // remote sink said (see lastReport()).
  core::Status publish(std::string_view event_json) override;

  // One delivery pass over every pending event.
  DeliveryReport deliverPending() override;
  core::Result<int> pendingCount() override;
  DeliveryReport lastReport() const override;
  const std::string& sinkName() const override { return options_.sink_name; }
  std::string location() const override { return options_.log_path.string(); }
  bool sharedAcrossHosts() const override { return false; }

 private:
  OutboxEventSink(OutboxOptions options, std::unique_ptr<EventSink> remote,
                  observe::Logger& logger);
  DeliveryReport deliverLocked();

  const OutboxOptions options_;
  std::unique_ptr<EventSink> remote_;
  observe::Logger& logger_;
  jsonl::JsonlEventSink log_;
  mutable std::mutex mutex_;  // serialises passes and guards last_report_
  DeliveryReport last_report_;
};

}  // namespace rawfeed::events::outbox
