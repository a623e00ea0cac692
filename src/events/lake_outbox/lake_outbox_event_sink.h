#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"
#include "events/event_outbox.h"
#include "events/event_sink.h"
#include "observe/logger.h"
#include "store/object_store.h"

namespace rawfeed::events::lake_outbox {

struct LakeOutboxOptions {
  std::string sink_name;  // the sink URI as configured: logs, status, and its key segment
  // The most events one deliverPending() pass sends; 0 for all. Lambda bounds it so that a
  // backlog never eats an invocation's time.
  int max_events_per_pass = 0;
};

// A remote sink behind an outbox kept in the lake (lake_outbox_keys.h has the layout), for
// domains whose tracker is the lake: workers on many hosts, or Lambda, share nothing else, and
// an event waiting in one host's state directory dies with that host.
//
// publish() writes the event create-only under the sink's pending/ prefix and returns OK once
// it is durable there (the EventSink contract's "durably recorded", so the finalizer marks the
// batch published), then tries to deliver it. A delivery sends the event, writes the delivered
// marker, then removes the pending object. deliverPending() — from any host: `rawfeed
// run`/`work` at exit, `serve` every 30 s, the Lambda worker after an invocation — lists the
// pending prefix and delivers what it finds, skipping (and removing) an event whose delivered
// marker exists. Delivery is at-least-once: a crash between the sink's acknowledgement and the
// marker, or two hosts passing at the same moment, sends an event twice; consumers key on
// batch_id. A store failure in publish is returned and nothing is marked, so the finalisation
// fails and the chunk message brings it back.
// As the local outbox: a throttled, transient, unauthenticated or not-found failure of the sink
// ends a pass; an event it refuses for itself (invalid input, permanent) stays pending without
// holding back the others. Requests: publish = 1 PUT + a delivery (HEAD, the sink, PUT, DELETE);
// deliverPending = LIST of the pending prefix + per event a GET and a delivery.
// Thread-safe; passes in one process are serialised, passes on different hosts are not.
class LakeOutboxEventSink final : public EventSink, public EventOutbox {
 public:
  LakeOutboxEventSink(LakeOutboxOptions options, store::ObjectStore& lake,
                      std::unique_ptr<EventSink> remote, observe::Logger& logger);

  // kInvalidInput for an event without a usable batch_id; the store's error when the event
  // could not be recorded; OK once recorded, whatever the remote sink said (see lastReport()).
  core::Status publish(std::string_view event_json) override;

  DeliveryReport deliverPending() override;
  core::Result<int> pendingCount() override;
  DeliveryReport lastReport() const override;
  const std::string& sinkName() const override { return options_.sink_name; }
  std::string location() const override;
  bool sharedAcrossHosts() const override { return true; }

 private:
  enum class Delivery { kDelivered, kAlreadyDelivered };
  // Sends one pending event unless its marker says it went already; then marks and removes it.
  core::Result<Delivery> deliverOne(const std::string& file_name, std::string_view event_json);
  void logFailure(const std::string& file_name, const core::Error& error);

  const LakeOutboxOptions options_;
  const std::string sink_segment_;
  store::ObjectStore& lake_;
  std::unique_ptr<EventSink> remote_;
  observe::Logger& logger_;
  mutable std::mutex mutex_;  // serialises publishes and passes, guards last_report_
  DeliveryReport last_report_;
};

}  // namespace rawfeed::events::lake_outbox
