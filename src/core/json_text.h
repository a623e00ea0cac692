#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rawfeed::core {

// JSON written by hand, for the documents written thousands of times per batch (chunk results,
// queue messages, watermarks) where building a document tree first costs more than the data.
// The output is byte for byte what nlohmann::json::dump() writes for the same values (no
// whitespace, UTF-8 kept, \b \f \n \r \t \" \\ and \u00xx for the other control characters),
// except that invalid UTF-8, which dump() throws on, becomes U+FFFD instead: a reason text from
// a hostile source must not stop a worker.

// Appends `text` as a JSON string, quotes included.
void appendJsonString(std::string& out, std::string_view text);

// Appends `"key":` (the key is written as is: callers pass literals that need no escaping).
inline void appendJsonKey(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

inline void appendJsonBool(std::string& out, bool value) {
  out += value ? "true" : "false";
}

void appendJsonInt(std::string& out, std::int64_t value);

}  // namespace rawfeed::core
