#include "tracker/watermark.h"

#include <algorithm>

#include "core/json_text.h"
#include "core/time_format.h"
#include "tracker/watermark_dom.h"

namespace rawfeed::tracker {

SymbolWatermark mergeWatermark(const SymbolWatermark& base, const SymbolWatermark& update) {
  SymbolWatermark merged = base;
  merged.last_day = std::max(base.last_day, update.last_day);
  // The exchange facts of the later check; of whichever knows them when neither checked.
  const bool update_newer = update.checked_at > base.checked_at ||
                            (update.checked_at == base.checked_at && base.time_zone.empty() &&
                             base.session_close_minute < 0);
  if (update_newer) {
    merged.checked_at = update.checked_at;
    merged.time_zone = update.time_zone;
    merged.session_close_minute = update.session_close_minute;
  }
  merged.weekends = base.weekends || update.weekends;
  return merged;
}

void appendWatermarkJson(std::string& out, const SymbolWatermark& watermark) {
  core::JsonObjectWriter(out)
      .string("symbol", watermark.symbol)
      .string("last_day", watermark.last_day)
      .integer("checked_at", watermark.checked_at)
      .string("time_zone", watermark.time_zone)
      .integer("session_close_minute", watermark.session_close_minute)
      .boolean("weekends", watermark.weekends)
      .close();
}

std::string watermarkJson(const SymbolWatermark& watermark) {
  std::string out;
  out.reserve(128);
  appendWatermarkJson(out, watermark);
  return out;
}

core::Result<SymbolWatermark> watermarkFromElement(simdjson::dom::element element) {
  simdjson::dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS)
    return core::invalidInput("a watermark is not a JSON object");
  const auto wrong = [](const char* name, const char* what) {
    return core::invalidInput(std::string("watermark field '") + name + "' is " + what);
  };
  SymbolWatermark watermark;
  bool has_symbol = false;
  // Every field in order, so that of a key given twice the last one counts.
  for (const auto field : object) {
    const std::string_view key = field.key;
    const simdjson::dom::element value = field.value;
    if (key == "symbol") {
      std::string_view symbol;
      if (value.get_string().get(symbol) != simdjson::SUCCESS || symbol.empty())
        return wrong("symbol", "missing or not a non-empty string");
      watermark.symbol = symbol;
      has_symbol = true;
    } else if (key == "last_day") {
      std::string_view day;
      if (value.get_string().get(day) != simdjson::SUCCESS ||
          (!day.empty() && !core::parseDate(std::string(day))))
        return wrong("last_day", "not a date (YYYY-MM-DD)");
      watermark.last_day = day;
    } else if (key == "checked_at") {
      // Up to 2200-12-31 (the last day rawfeed accepts): beyond, a clock's nanoseconds overflow.
      std::int64_t checked = 0;
      if (value.get_int64().get(checked) != simdjson::SUCCESS || checked < 0 ||
          checked > (core::kLastValidDay + 1) * 86400)
        return wrong("checked_at", "not unix seconds up to 2200");
      watermark.checked_at = checked;
    } else if (key == "time_zone") {
      std::string_view zone;
      if (value.get_string().get(zone) != simdjson::SUCCESS)
        return wrong("time_zone", "not a string");
      watermark.time_zone = zone;
    } else if (key == "session_close_minute") {
      std::int64_t close = 0;
      if (value.get_int64().get(close) != simdjson::SUCCESS || close < -1 || close >= 24 * 60)
        return wrong("session_close_minute", "not a minute of the day (or -1)");
      watermark.session_close_minute = static_cast<int>(close);
    } else if (key == "weekends") {
      bool weekends = false;
      if (value.get_bool().get(weekends) != simdjson::SUCCESS)
        return wrong("weekends", "not a boolean");
      watermark.weekends = weekends;
    }
  }
  if (!has_symbol)
    return wrong("symbol", "missing or not a non-empty string");
  return watermark;
}

core::Result<SymbolWatermark> parseWatermarkJson(std::string_view text) {
  // One parser per thread: its buffers are reused from line to line.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(text.data(), text.size()).get(element) != simdjson::SUCCESS)
    return core::invalidInput("a watermark is not a JSON object");
  return watermarkFromElement(element);
}

}  // namespace rawfeed::tracker
