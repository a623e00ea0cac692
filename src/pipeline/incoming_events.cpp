#include "pipeline/incoming_events.h"

#include <nlohmann/json.hpp>

namespace rawfeed::pipeline {

namespace {

using nlohmann::ordered_json;

constexpr std::size_t kMaxEntries = 10;

// A member that must be a string when present: json::value() would throw on another type.
bool readName(const ordered_json& object, const char* member, std::string& out,
              std::string& error) {
  const auto found = object.find(member);
  if (found == object.end() || found->is_null())
    return true;
  if (!found->is_string()) {
    error = std::string("'") + member + "' is not a string";
    return false;
  }
  out = found->get<std::string>();
  return true;
}

IncomingEvent fromEntry(const ordered_json& item) {
  IncomingEvent entry;
  if (!item.is_object()) {
    entry.error = "entry is not an object";
    return entry;
  }
  if (!readName(item, "Source", entry.source, entry.error) ||
      !readName(item, "DetailType", entry.detail_type, entry.error)) {
    entry.error = "entry's " + entry.error;
    return entry;
  }
  const auto detail = item.find("Detail");
  if (detail == item.end()) {
    entry.error = "entry has no Detail";
  } else {
    entry.detail = detail->is_string() ? detail->get<std::string>() : detail->dump();
  }
  return entry;
}

IncomingEvent fromEvent(const ordered_json& document) {
  IncomingEvent entry;
  if (!readName(document, "source", entry.source, entry.error) ||
      !readName(document, "detail-type", entry.detail_type, entry.error)) {
    entry.error = "event's " + entry.error;
    return entry;
  }
  const auto detail = document.find("detail");
  if (detail == document.end() || !detail->is_object()) {
    entry.error = "event has no 'detail' object";
  } else {
    entry.detail = detail->dump();
  }
  return entry;
}

}  // namespace

core::Result<std::vector<IncomingEvent>> parseIncomingEvents(std::string_view body) {
  const ordered_json document = ordered_json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return core::invalidInput(
        "events: the body must be a JSON object (an event or {\"Entries\":[...]})");
  }
  std::vector<IncomingEvent> entries;
  const auto list = document.find("Entries");
  if (list == document.end()) {
    entries.push_back(fromEvent(document));
    return entries;
  }
  if (!list->is_array() || list->empty())
    return core::invalidInput("events: 'Entries' must be a non-empty array");
  if (list->size() > kMaxEntries)
    return core::invalidInput("events: at most 10 entries per request (PutEvents' limit)");
  for (const auto& item : *list)
    entries.push_back(fromEntry(item));
  return entries;
}

}  // namespace rawfeed::pipeline
