#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::pipeline {

// One event of the event-driven pattern as POST /v1/events received it, before any rule or
// trigger field is looked at.
struct IncomingEvent {
  std::string source;       // "" when the event names none
  std::string detail_type;  // "" when the event names none
  std::string detail;       // the detail as JSON text (a PutEvents Detail string as given)
  std::string error;        // why this entry cannot be used; empty when it can
};

// Normalises the two shapes the endpoint takes, one EventBridge-shaped event
// ({"source","detail-type","detail":{...}}) or PutEvents' {"Entries":[{"Source","DetailType",
// "Detail"},...]}, to one IncomingEvent per entry, in order. An unusable entry (not an object, no
// detail, a Source or DetailType that is not a string) carries its error and never stops the
// others. kInvalidInput only when the body as a whole is neither shape: not a JSON object, or
// Entries not an array of 1 to 10 entries (PutEvents' limit).
core::Result<std::vector<IncomingEvent>> parseIncomingEvents(std::string_view body);

}  // namespace rawfeed::pipeline
