#include "http/governor/fleet_store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/time_format.h"

namespace rawfeed::http::governor {
namespace {

std::int64_t toMillis(core::SystemTime time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// An instant beyond what SystemTime holds is a broken or hostile record's: read as absent.
core::SystemTime fromMillis(std::int64_t ms) {
  return core::fromUnixMillis(ms).value_or(core::SystemTime{});
}

}  // namespace

std::string encodeHostRecord(const HostRecord& record) {
  nlohmann::json members = nlohmann::json::object();
  for (const auto& [id, member] : record.members) {
    members[id] = {{"seen_at_ms", toMillis(member.seen_at)},
                   {"rate", member.rate},
                   {"sent", member.sent},
                   {"history", member.history},
                   {"history_end_ms", toMillis(member.history_end)}};
  }
  nlohmann::json doc = {
      {"version", 1},
      {"rate", record.rate},
      {"ceiling", record.ceiling},
      {"ceiling_at_ms", toMillis(record.ceiling_at)},
      {"episode_refused_at_ms", toMillis(record.episode_refused_at)},
      {"ceiling_measured", record.ceiling_measured},
      {"in_flight_limit", record.in_flight_limit},
      {"paused_until_ms", toMillis(record.paused_until)},
      {"pause_length_ms", record.pause_length.count()},
      {"throttled", record.throttled},
      {"members", members},
      {"updated_at_ms", toMillis(record.updated_at)},
  };
  return doc.dump(2) + "\n";
}

HostRecord decodeHostRecord(std::string_view text) {
  HostRecord record;
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object())
    return record;
  auto number = [&](const char* key, double fallback) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_number() ? it->get<double>() : fallback;
  };
  auto integer = [&](const char* key) -> std::int64_t {
    auto it = doc.find(key);
    return it != doc.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
  };
  record.rate = std::max(0.0, number("rate", 0));
  record.ceiling = std::max(0.0, number("ceiling", 0));
  record.ceiling_at = fromMillis(integer("ceiling_at_ms"));
  record.episode_refused_at = fromMillis(integer("episode_refused_at_ms"));
  if (auto it = doc.find("ceiling_measured"); it != doc.end() && it->is_boolean())
    record.ceiling_measured = it->get<bool>();
  record.in_flight_limit =
      static_cast<int>(std::clamp<std::int64_t>(integer("in_flight_limit"), 0, 1 << 20));
  record.paused_until = fromMillis(integer("paused_until_ms"));
  record.pause_length =
      std::chrono::milliseconds(std::max<std::int64_t>(0, integer("pause_length_ms")));
  record.throttled = static_cast<std::uint64_t>(std::max<std::int64_t>(0, integer("throttled")));
  record.updated_at = fromMillis(integer("updated_at_ms"));
  if (auto it = doc.find("members"); it != doc.end() && it->is_object()) {
    for (const auto& [id, value] : it->items()) {
      if (!value.is_object())
        continue;
      FleetMember member;
      if (auto seen = value.find("seen_at_ms"); seen != value.end() && seen->is_number_integer())
        member.seen_at = fromMillis(seen->get<std::int64_t>());
      if (auto rate = value.find("rate"); rate != value.end() && rate->is_number())
        member.rate = std::max(0.0, rate->get<double>());
      if (auto sent = value.find("sent"); sent != value.end() && sent->is_number())
        member.sent = std::max(0.0, sent->get<double>());
      // A history is kept only whole and plausible: a broken or hostile one is dropped.
      if (auto history = value.find("history");
          history != value.end() && history->is_array() && history->size() <= kHistorySlots &&
          std::all_of(history->begin(), history->end(), [](const nlohmann::json& count) {
            return count.is_number_integer() && count.get<std::int64_t>() >= 0 &&
                   count.get<std::int64_t>() <= 1'000'000;
          })) {
        for (const auto& count : *history)
          member.history.push_back(static_cast<int>(count.get<std::int64_t>()));
        if (auto end = value.find("history_end_ms"); end != value.end() && end->is_number_integer())
          member.history_end = fromMillis(end->get<std::int64_t>());
      }
      record.members[id] = member;
    }
  }
  return record;
}

std::string hostFileName(const std::string& origin) {
  std::string name;
  std::string_view text = origin;
  if (auto scheme = text.find("://"); scheme != std::string_view::npos)
    text.remove_prefix(scheme + 3);
  for (char c : text.substr(0, 200)) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    name += keep ? c : '_';
  }
  return name.empty() ? "_" : name;
}

}  // namespace rawfeed::http::governor
