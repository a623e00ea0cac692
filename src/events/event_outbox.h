#pragma once

#include <optional>
#include <string>

#include "core/result.h"

namespace rawfeed::events {

// What one delivery pass did.
struct DeliveryReport {
  int delivered = 0;                 // events the remote sink acknowledged in this pass
  int pending = 0;                   // events it still has not acknowledged
  std::optional<core::Error> error;  // the last failure, when there was one
};

// An event sink that records events before it delivers them (an outbox), seen from the
// commands that drive redelivery and report on it: `rawfeed run`/`work` at exit, `serve`
// periodically, the Lambda worker after an invocation, `rawfeed status`. Thread-safe.
class EventOutbox {
 public:
  virtual ~EventOutbox() = default;
  // One delivery pass over the pending events (implementations may bound its length).
  virtual DeliveryReport deliverPending() = 0;
  // Pending events without delivering any.
  virtual core::Result<int> pendingCount() = 0;
  // The report of the latest pass (a publish's or deliverPending's).
  virtual DeliveryReport lastReport() const = 0;
  // The remote sink, as configured ("eventbridge://bus").
  virtual const std::string& sinkName() const = 0;
  // Where pending events wait, for people ("file:///state/events/completion.jsonl").
  virtual std::string location() const = 0;
  // True when other hosts share the outbox (their events may be pending here too), so a
  // redelivery loop must look even when its own last pass left nothing pending.
  virtual bool sharedAcrossHosts() const = 0;
};

}  // namespace rawfeed::events
