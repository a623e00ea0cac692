#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace rawfeed::core {

// ASCII case folding for protocol text (header names, schemes, hosts, flags): locale-free on
// purpose, since HTTP and the AWS protocols define their case rules over ASCII only.
inline char asciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string asciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return asciiLower(c); });
  return out;
}

inline bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return asciiLower(x) == asciiLower(y);
         });
}

inline bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equalsNoCase(text.substr(0, prefix.size()), prefix);
}

// `text` without the leading and trailing characters of `blanks`: spaces and tabs by default
// (the optional whitespace of HTTP headers); callers that read lines pass " \t\r\n".
inline std::string_view trimAscii(std::string_view text, std::string_view blanks = " \t") {
  const auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

}  // namespace rawfeed::core
