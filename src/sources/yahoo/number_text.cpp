#include "sources/yahoo/number_text.h"

namespace rawfeed::sources::yahoo {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// Consumes one or more digits at `pos`; false when there are none.
bool digits(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < text.size() && isDigit(text[pos])) {
    ++pos;
  }
  return pos > start;
}

}  // namespace

bool isJsonNumber(std::string_view text) {
  std::size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') {
    ++pos;
  }
  const std::size_t int_start = pos;
  if (!digits(text, pos) || (text[int_start] == '0' && pos - int_start > 1)) {
    return false;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (!digits(text, pos)) {
      return false;
    }
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      ++pos;
    }
    if (!digits(text, pos)) {
      return false;
    }
  }
  return pos == text.size();
}

bool isNonNegativeNumber(std::string_view text) {
  return isJsonNumber(text) && text.front() != '-';
}

bool isNonNegativeInteger(std::string_view text) {
  std::size_t pos = 0;
  return digits(text, pos) && pos == text.size() && (text.size() == 1 || text.front() != '0');
}

}  // namespace rawfeed::sources::yahoo
