#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "observe/logger.h"
#include "pipeline/batch_request.h"
#include "pipeline/incoming_events.h"
#include "server/documents.h"

namespace rawfeed::app {

// The event-driven pattern: which domains an incoming event is for, by their `event_rules`
// (a rule's empty source or detail-type matches any), and a batch started in each of them from
// the event's detail. Reading the body itself is pipeline::parseIncomingEvents.
class EventRouter {
 public:
  // Starts a batch of `domain` from a trigger (trigger_type "event", the domain left to the rule).
  using StartBatch = std::function<core::Result<server::BatchStarted>(
      const std::string& domain, const pipeline::TriggerEvent& trigger)>;

  // `rules`: each domain's event rules, by domain name.
  EventRouter(std::map<std::string, std::vector<config::EventRule>> rules, StartBatch start,
              observe::Logger& logger);

  // The domains, in name order, with a rule matching the event's source and detail-type.
  std::vector<std::string> matchingDomains(const pipeline::IncomingEvent& event) const;

  // One outcome per domain an entry started a batch for, or one error per entry that started
  // none (unreadable, no rule, no symbols) and per domain that refused it; each error is also
  // logged as "event_rejected". A bad entry never stops the others.
  std::vector<server::EventOutcome> route(const std::vector<pipeline::IncomingEvent>& events);

 private:
  void routeOne(std::size_t index, const pipeline::IncomingEvent& event,
                std::vector<server::EventOutcome>& outcomes);

  std::map<std::string, std::vector<config::EventRule>> rules_;
  StartBatch start_;
  observe::Logger& logger_;
};

}  // namespace rawfeed::app
