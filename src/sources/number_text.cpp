#include "sources/number_text.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "sources/source.h"

namespace rawfeed::sources {
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

std::optional<std::string_view> priceProblem(std::string_view text) {
  if (!isJsonNumber(text))
    return invalid_bar::kNotANumber;
  if (text.front() == '-')
    return invalid_bar::kNegative;
  // 1e309 is valid JSON but no double: a reader of the lake would get infinity.
  const std::string copy(text);
  if (std::isinf(std::strtod(copy.c_str(), nullptr)))
    return invalid_bar::kNotFinite;
  return std::nullopt;
}

std::optional<std::string_view> volumeProblem(std::string_view text) {
  if (!isJsonNumber(text))
    return invalid_bar::kNotANumber;
  if (text.front() == '-')
    return invalid_bar::kNegative;
  if (!isNonNegativeInteger(text))
    return invalid_bar::kVolumeNotInteger;
  constexpr std::string_view kMax = "9223372036854775807";  // 2^63 - 1
  if (text.size() > kMax.size() || (text.size() == kMax.size() && text > kMax))
    return invalid_bar::kVolumeOutOfRange;
  return std::nullopt;
}

}  // namespace rawfeed::sources
