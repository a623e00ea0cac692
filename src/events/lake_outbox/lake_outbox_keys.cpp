#include "events/lake_outbox/lake_outbox_keys.h"

#include <cstdint>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rawfeed::events::lake_outbox {

namespace {

bool keySafe(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

// "scheme://user:secret@host/path?query#fragment" → "scheme://host/path".
std::string withoutSecrets(std::string_view uri) {
  std::string_view rest = uri;
  std::string out;
  if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
    out = std::string(rest.substr(0, scheme + 3));
    rest.remove_prefix(scheme + 3);
    const auto authority_end = rest.find_first_of("/?#");
    const auto at = rest.substr(0, authority_end).rfind('@');
    if (at != std::string_view::npos)
      rest.remove_prefix(at + 1);
  }
  return out + std::string(rest.substr(0, rest.find_first_of("?#")));
}

}  // namespace

std::uint64_t contentHash(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string sinkSegment(std::string_view sink_uri) {
  std::string name;
  for (const char c : withoutSecrets(sink_uri)) {
    if (name.size() == 80)
      break;
    const char kept = keySafe(c) ? c : '_';
    if (kept == '_' && !name.empty() && name.back() == '_')
      continue;  // "https://" → "https_", not "https___"
    name += kept;
  }
  return fmt::format("{}-{:08x}", name, contentHash(sink_uri) & 0xffffffffu);
}

std::string pendingPrefix(std::string_view sink_segment) {
  return fmt::format("{}{}/pending/", kEventsPrefix, sink_segment);
}

std::string deliveredPrefix(std::string_view sink_segment) {
  return fmt::format("{}{}/delivered/", kEventsPrefix, sink_segment);
}

core::Result<std::string> eventFileName(std::string_view event_json) {
  const auto event = nlohmann::json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  const nlohmann::json* id = nullptr;
  if (event.is_object()) {
    const auto detail = event.find("detail");
    if (detail != event.end() && detail->is_object()) {
      const auto found = detail->find("batch_id");
      if (found != detail->end() && found->is_string())
        id = &*found;
    }
  }
  if (id == nullptr) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "lake event outbox: the event has no detail.batch_id string");
  }
  const auto& batch_id = id->get_ref<const std::string&>();
  bool safe = !batch_id.empty() && batch_id.size() <= 200 && batch_id != "." && batch_id != "..";
  safe = safe && batch_id.find('/') == std::string::npos;
  if (!safe) {
    return core::makeError(
        core::ErrorCode::kInvalidInput,
        fmt::format("lake event outbox: batch_id '{}' cannot name an object (1-200 characters, "
                    "no '/', not '.' or '..')",
                    batch_id));
  }
  return fmt::format("{}.{:016x}.json", batch_id, contentHash(event_json));
}

std::string batchIdOfFileName(std::string_view file_name) {
  constexpr std::size_t kSuffix = 1 + 16 + 5;  // ".{hash}.json"
  if (file_name.size() <= kSuffix || file_name.substr(file_name.size() - 5) != ".json")
    return "";
  return std::string(file_name.substr(0, file_name.size() - kSuffix));
}

}  // namespace rawfeed::events::lake_outbox
