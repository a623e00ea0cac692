#include "core/json_text.h"

#include <charconv>

namespace rawfeed::core {
namespace {

// The UTF-8 sequence at text[at] (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF): its length and whether it is valid. An invalid one is as long as its maximal
// subpart (the lead byte and the continuation bytes that still fit it), at least 1, which is
// what Unicode recommends replacing with one U+FFFD, and what nlohmann's replace mode does.
struct Sequence {
  std::size_t length = 1;
  bool valid = false;
};

Sequence sequenceAt(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0)
      low = 0xA0;
    if (lead == 0xED)
      high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0)
      low = 0x90;
    if (lead == 0xF4)
      high = 0x8F;
  } else {
    return {};
  }
  Sequence sequence;
  for (std::size_t i = 1; i < length; ++i) {
    if (at + i >= text.size())
      return sequence;
    const unsigned char next = byte(at + i);
    if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xBF))
      return sequence;
    sequence.length = i + 1;
  }
  sequence.valid = true;
  return sequence;
}

// Printable ASCII other than the quote and the backslash: written as it is.
bool standsForItself(unsigned char c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    // A run of characters that stand for themselves goes out in one append: keys, symbols and
    // digests are nothing else, and a character at a time was most of a manifest's cost.
    std::size_t plain = i;
    while (plain < text.size() && standsForItself(static_cast<unsigned char>(text[plain])))
      ++plain;
    out.append(text.data() + i, plain - i);
    i = plain;
    if (i == text.size())
      break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const Sequence sequence = sequenceAt(text, i);
      if (sequence.valid) {
        out.append(text.substr(i, sequence.length));
      } else {
        out += "\xEF\xBF\xBD";  // U+FFFD
      }
      i += sequence.length;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

void appendJsonInt(std::string& out, std::int64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace rawfeed::core
