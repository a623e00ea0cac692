#include "app/event_router.h"

#include <utility>

namespace rawfeed::app {

namespace {

bool matches(const config::EventRule& rule, const pipeline::IncomingEvent& event) {
  return (rule.source.empty() || rule.source == event.source) &&
         (rule.detail_type.empty() || rule.detail_type == event.detail_type);
}

}  // namespace

EventRouter::EventRouter(std::map<std::string, std::vector<config::EventRule>> rules,
                         StartBatch start, observe::Logger& logger)
    : rules_(std::move(rules)), start_(std::move(start)), logger_(logger) {}

std::vector<std::string> EventRouter::matchingDomains(const pipeline::IncomingEvent& event) const {
  std::vector<std::string> matched;
  for (const auto& [domain, rules] : rules_) {
    for (const auto& rule : rules) {
      if (matches(rule, event)) {
        matched.push_back(domain);
        break;
      }
    }
  }
  return matched;
}

std::vector<server::EventOutcome> EventRouter::route(
    const std::vector<pipeline::IncomingEvent>& events) {
  std::vector<server::EventOutcome> outcomes;
  for (std::size_t index = 0; index < events.size(); ++index)
    routeOne(index, events[index], outcomes);
  return outcomes;
}

void EventRouter::routeOne(std::size_t index, const pipeline::IncomingEvent& event,
                           std::vector<server::EventOutcome>& outcomes) {
  auto reject = [&](const std::string& why, const std::string& domain = "") {
    server::EventOutcome outcome;
    outcome.index = index;
    outcome.domain = domain;
    outcome.error = why;
    outcomes.push_back(std::move(outcome));
    logger_.warn("event_rejected", {{"index", static_cast<std::int64_t>(index)},
                                    {"source", event.source},
                                    {"detail_type", event.detail_type},
                                    {"error", why}});
  };
  if (!event.error.empty())
    return reject(event.error);
  const auto matched = matchingDomains(event);
  if (matched.empty()) {
    return reject("no domain has a rule for source '" + event.source + "' and detail-type '" +
                  event.detail_type + "'");
  }
  auto trigger = pipeline::parseEventDetail(event.detail);
  if (!trigger.ok())
    return reject(trigger.error().message);
  if (!trigger->symbols || trigger->symbols->empty())
    return reject("the event's detail has no 'symbols' to collect");
  trigger->trigger_type = "event";
  trigger->domain.reset();  // the rule chose the domain
  for (const auto& domain : matched) {
    auto started = start_(domain, *trigger);
    if (!started.ok()) {
      reject(started.error().message, domain);
      continue;
    }
    server::EventOutcome outcome;
    outcome.index = index;
    outcome.domain = domain;
    outcome.batch_id = started->batch_id;
    outcome.symbols = started->symbols;
    outcome.chunks = started->chunks;
    outcomes.push_back(std::move(outcome));
  }
}

}  // namespace rawfeed::app
