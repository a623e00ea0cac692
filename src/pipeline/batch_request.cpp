#include "pipeline/batch_request.h"

#include <date/tz.h>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "core/time_format.h"

namespace rawfeed::pipeline {

namespace {

using nlohmann::json;

core::Error invalid(const std::string& message) {
  return core::makeError(core::ErrorCode::kInvalidInput, message);
}

const std::set<std::string>& knownFields() {
  static const std::set<std::string> fields = {
      "data_source",  "data_type", "domain",   "table_name",     "symbols",
      "period",       "start",     "end",      "interval",       "file_format",
      "trigger_type", "batch_id",  "batch_ds", "correlation_id", "gzip",
      "compression",  "overwrite", "fetch"};
  return fields;
}

core::Status readString(const json& object, const char* field, std::optional<std::string>& out) {
  const auto found = object.find(field);
  if (found == object.end() || found->is_null())
    return core::okStatus();
  if (!found->is_string())
    return invalid(std::string("trigger field '") + field + "' must be a string");
  out = found->get<std::string>();
  return core::okStatus();
}

core::Status readBool(const json& object, const char* field, std::optional<bool>& out) {
  const auto found = object.find(field);
  if (found == object.end() || found->is_null())
    return core::okStatus();
  if (!found->is_boolean())
    return invalid(std::string("trigger field '") + field + "' must be true or false");
  out = found->get<bool>();
  return core::okStatus();
}

// `compression` beside the older `gzip`: both may be given as long as they agree.
core::Status readCompression(const json& object, TriggerEvent& event) {
  std::optional<std::string> text;
  if (auto status = readString(object, "compression", text); !status.ok())
    return status.error();
  if (!text)
    return core::okStatus();
  auto compression = core::parseCompression(*text);
  if (!compression.ok())
    return invalid("trigger field 'compression': " + compression.error().message);
  if (event.gzip && *event.gzip != (*compression == core::Compression::kGzip)) {
    return invalid(std::string("trigger fields 'gzip' (") + (*event.gzip ? "true" : "false") +
                   ") and 'compression' ('" + *text + "') contradict each other");
  }
  event.compression = *compression;
  return core::okStatus();
}

bool isValidId(const std::string& id) {
  if (id.empty() || id.size() > 128)
    return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok)
      return false;
  }
  return true;
}

}  // namespace

namespace {

core::Result<TriggerEvent> parseTrigger(std::string_view text, bool strict) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded())
    return invalid("trigger event is not valid JSON");
  if (!document.is_object())
    return invalid("trigger event must be a JSON object");
  if (document.contains("detail") && document.contains("detail-type")) {
    json detail = document["detail"];
    if (!detail.is_object())
      return invalid("trigger envelope's 'detail' must be a JSON object");
    document = std::move(detail);
  }
  for (const auto& [key, value] : document.items()) {
    if (strict && !knownFields().count(key)) {
      return invalid("trigger event has an unknown field '" + key + "'");
    }
  }
  TriggerEvent event;
  for (auto [field, out] :
       std::initializer_list<std::pair<const char*, std::optional<std::string>*>>{
           {"data_source", &event.data_source},
           {"data_type", &event.data_type},
           {"domain", &event.domain},
           {"table_name", &event.table_name},
           {"period", &event.period},
           {"start", &event.start},
           {"end", &event.end},
           {"interval", &event.interval},
           {"file_format", &event.file_format},
           {"trigger_type", &event.trigger_type},
           {"batch_id", &event.batch_id},
           {"batch_ds", &event.batch_ds},
           {"correlation_id", &event.correlation_id},
           {"fetch", &event.fetch}}) {
    if (auto status = readString(document, field, *out); !status.ok())
      return status.error();
  }
  if (auto status = readBool(document, "gzip", event.gzip); !status.ok())
    return status.error();
  if (auto status = readCompression(document, event); !status.ok())
    return status.error();
  if (auto status = readBool(document, "overwrite", event.overwrite); !status.ok()) {
    return status.error();
  }
  if (const auto found = document.find("symbols"); found != document.end() && !found->is_null()) {
    if (!found->is_array())
      return invalid("trigger field 'symbols' must be an array of strings");
    std::vector<std::string> symbols;
    for (std::size_t i = 0; i < found->size(); ++i) {
      if (!(*found)[i].is_string()) {
        return invalid("trigger field 'symbols' element " + std::to_string(i) + " is not a string");
      }
      symbols.push_back((*found)[i].get<std::string>());
    }
    event.symbols = std::move(symbols);
  }
  return event;
}

}  // namespace

core::Result<TriggerEvent> parseTriggerEvent(std::string_view text) {
  return parseTrigger(text, /*strict=*/true);
}

core::Result<TriggerEvent> parseEventDetail(std::string_view text) {
  return parseTrigger(text, /*strict=*/false);
}

core::Result<std::string> todayIn(const std::string& time_zone, core::SystemTime now) {
  try {
    const auto* zone = date::locate_zone(time_zone);
    const auto local = zone->to_local(std::chrono::time_point_cast<std::chrono::seconds>(now));
    const auto days = std::chrono::floor<date::days>(local).time_since_epoch().count();
    return core::formatDate(days);
  } catch (const std::exception&) {
    return invalid("unknown time zone '" + time_zone + "'");
  }
}

core::Result<BatchRequest> resolveTrigger(const TriggerEvent& trigger,
                                          const config::DomainConfig& domain,
                                          const core::Clock& clock, core::Random& random) {
  BatchRequest request;
  request.data_source = trigger.data_source.value_or(domain.data_source);
  request.data_type = trigger.data_type.value_or(domain.data_type);
  request.domain = trigger.domain.value_or(domain.name);
  request.table_name = trigger.table_name.value_or(domain.table_name);
  if (domain.corporate_actions)
    request.corporate_actions_table = domain.corporate_actions_table;
  request.interval = trigger.interval.value_or(domain.interval);
  request.file_format = trigger.file_format.value_or(domain.file_format);
  request.trigger_type = trigger.trigger_type.value_or("schedule");
  request.correlation_id = trigger.correlation_id.value_or("");
  std::optional<core::Compression> compression = trigger.compression;
  if (!compression && trigger.gzip)
    compression = *trigger.gzip ? core::Compression::kGzip : core::Compression::kNone;
  request.compression = compression.value_or(domain.compression);
  // The domain's level belongs to the domain's codec; another codec asked for gets its default.
  request.compression_level = request.compression == domain.compression
                                  ? domain.compression_level
                                  : core::compressionLevels(request.compression).default_level;
  request.overwrite = trigger.overwrite.value_or(false);
  request.symbols = trigger.symbols;

  if (request.domain != domain.name) {
    return invalid("trigger field 'domain' is '" + request.domain +
                   "' but the event went to domain '" + domain.name + "'");
  }
  if (request.data_source != domain.data_source) {
    return invalid("trigger field 'data_source': '" + request.data_source +
                   "' is not this domain's source ('" + domain.data_source + "')");
  }
  if (request.data_type != "prices") {
    return invalid("trigger field 'data_type': unknown dataset '" + request.data_type +
                   "' (known: prices)");
  }
  if (request.table_name.empty() || request.table_name.find('/') != std::string::npos) {
    return invalid("trigger field 'table_name' must be a non-empty name without '/'");
  }
  if (request.table_name == request.corporate_actions_table) {
    return invalid("trigger field 'table_name' is the domain's corporate-actions table '" +
                   request.corporate_actions_table + "'");
  }
  if (!config::isKnownInterval(request.interval)) {
    return invalid("trigger field 'interval': unknown interval '" + request.interval +
                   "' (one of 1m 2m 5m 15m 30m 60m 90m 1h 1d 5d 1wk 1mo 3mo)");
  }
  if (!config::isKnownFormat(request.file_format)) {
    return invalid("trigger field 'file_format' must be json or csv (got '" + request.file_format +
                   "')");
  }
  if (request.trigger_type != "schedule" && request.trigger_type != "event" &&
      request.trigger_type != "manual") {
    return invalid("trigger field 'trigger_type' must be schedule, event or manual (got '" +
                   request.trigger_type + "')");
  }
  if (trigger.start || trigger.end) {
    if (!trigger.start || !trigger.end) {
      return invalid("trigger fields 'start' and 'end' go together (a backfill needs both)");
    }
    if (trigger.period)
      return invalid("trigger fields 'period' and 'start'/'end' exclude each other");
    const auto start = core::parseDate(*trigger.start);
    if (!start)
      return invalid("trigger field 'start': '" + *trigger.start + "' is not a date YYYY-MM-DD");
    const auto end = core::parseDate(*trigger.end);
    if (!end)
      return invalid("trigger field 'end': '" + *trigger.end + "' is not a date YYYY-MM-DD");
    if (*end < *start) {
      return invalid("trigger field 'end' (" + *trigger.end + ") is before 'start' (" +
                     *trigger.start + ")");
    }
    request.start = *trigger.start;
    request.end = *trigger.end;
  } else {
    request.period = trigger.period.value_or(domain.period);
    if (!config::isKnownPeriod(request.period)) {
      return invalid("trigger field 'period': unknown period '" + request.period +
                     "' (one of 1d 5d 1mo 3mo 6mo 1y 2y 5y 10y ytd max)");
    }
  }
  if (trigger.fetch && *trigger.fetch != "incremental" && *trigger.fetch != "period") {
    return invalid("trigger field 'fetch' must be incremental or period (got '" + *trigger.fetch +
                   "')");
  }
  if (trigger.fetch == "incremental" && trigger.start) {
    return invalid("trigger fields 'fetch': incremental and 'start'/'end' exclude each other");
  }
  if (trigger.fetch == "incremental" && request.overwrite) {
    return invalid("trigger fields 'fetch': incremental and 'overwrite' exclude each other");
  }
  // What a batch says of itself wins: dates, a period or overwrite fetch exactly that, unless it
  // asks for incremental by name (its period then serves the symbols without a watermark).
  request.incremental = trigger.fetch ? *trigger.fetch == "incremental"
                                      : domain.fetch == "incremental" && !trigger.start &&
                                            !trigger.period && !request.overwrite;
  if (trigger.batch_id) {
    if (!isValidId(*trigger.batch_id)) {
      return invalid("trigger field 'batch_id' must be 1-128 characters of A-Z a-z 0-9 - _ . :");
    }
    request.batch_id = *trigger.batch_id;
  } else {
    request.batch_id = core::newUuid(random);
  }
  if (trigger.batch_ds) {
    if (!core::parseDate(*trigger.batch_ds)) {
      return invalid("trigger field 'batch_ds': '" + *trigger.batch_ds +
                     "' is not a date YYYY-MM-DD");
    }
    request.batch_ds = *trigger.batch_ds;
  } else {
    auto today = todayIn(domain.batch_timezone, clock.now());
    if (!today.ok())
      return today.error();
    request.batch_ds = *today;
  }
  if (request.correlation_id.size() > 256) {
    return invalid("trigger field 'correlation_id' is longer than 256 characters");
  }
  if (request.symbols && request.symbols->empty()) {
    return invalid("trigger field 'symbols' is an empty list (omit it to use the universe)");
  }
  return request;
}

}  // namespace rawfeed::pipeline
