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

// One JSON object written field by field into `out`: the braces and the commas between fields
// are its business. Keys are written as is (callers pass literals that need no escaping).
class JsonObjectWriter {
 public:
  explicit JsonObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  JsonObjectWriter& string(std::string_view key, std::string_view value) {
    appendJsonString(field(key), value);
    return *this;
  }
  JsonObjectWriter& integer(std::string_view key, std::int64_t value) {
    appendJsonInt(field(key), value);
    return *this;
  }
  JsonObjectWriter& boolean(std::string_view key, bool value) {
    appendJsonBool(field(key), value);
    return *this;
  }
  // Writes the separator and `"key":`; the caller appends the value (an array, say).
  std::string& field(std::string_view key) {
    if (!first_)
      out_ += ',';
    first_ = false;
    appendJsonKey(out_, key);
    return out_;
  }
  void close() { out_ += '}'; }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace rawfeed::core
