#include "tracker/watermark.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/time_format.h"

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

std::string watermarkJson(const SymbolWatermark& watermark) {
  nlohmann::ordered_json json = {{"symbol", watermark.symbol},
                                 {"last_day", watermark.last_day},
                                 {"checked_at", watermark.checked_at},
                                 {"time_zone", watermark.time_zone},
                                 {"session_close_minute", watermark.session_close_minute},
                                 {"weekends", watermark.weekends}};
  return json.dump();
}

core::Result<SymbolWatermark> parseWatermarkJson(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object())
    return core::invalidInput("a watermark is not a JSON object");
  SymbolWatermark watermark;
  const auto field = [&json](const char* name) -> const nlohmann::json* {
    const auto found = json.find(name);
    return found == json.end() ? nullptr : &*found;
  };
  const auto wrong = [](const char* name, const char* what) {
    return core::invalidInput(std::string("watermark field '") + name + "' is " + what);
  };
  const auto* symbol = field("symbol");
  if (symbol == nullptr || !symbol->is_string() || symbol->get<std::string>().empty())
    return wrong("symbol", "missing or not a non-empty string");
  watermark.symbol = symbol->get<std::string>();
  if (const auto* day = field("last_day")) {
    if (!day->is_string() ||
        (!day->get<std::string>().empty() && !core::parseDate(day->get<std::string>())))
      return wrong("last_day", "not a date (YYYY-MM-DD)");
    watermark.last_day = day->get<std::string>();
  }
  if (const auto* checked = field("checked_at")) {
    // Up to 2200-12-31 (the last day rawfeed accepts): beyond, a clock's nanoseconds overflow.
    if (!checked->is_number_integer() || checked->get<std::int64_t>() < 0 ||
        checked->get<std::int64_t>() > (core::kLastValidDay + 1) * 86400)
      return wrong("checked_at", "not unix seconds up to 2200");
    watermark.checked_at = checked->get<std::int64_t>();
  }
  if (const auto* zone = field("time_zone")) {
    if (!zone->is_string())
      return wrong("time_zone", "not a string");
    watermark.time_zone = zone->get<std::string>();
  }
  if (const auto* close = field("session_close_minute")) {
    if (!close->is_number_integer() || close->get<std::int64_t>() < -1 ||
        close->get<std::int64_t>() >= 24 * 60)
      return wrong("session_close_minute", "not a minute of the day (or -1)");
    watermark.session_close_minute = close->get<int>();
  }
  if (const auto* weekends = field("weekends")) {
    if (!weekends->is_boolean())
      return wrong("weekends", "not a boolean");
    watermark.weekends = weekends->get<bool>();
  }
  return watermark;
}

}  // namespace rawfeed::tracker
