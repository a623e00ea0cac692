#include "schedule/rate_parser.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>

namespace rawfeed::schedule {
namespace {

struct Unit {
  std::string_view singular;
  std::string_view plural;
  std::chrono::seconds length;
};

constexpr std::array<Unit, 3> kUnits = {{{"minute", "minutes", std::chrono::minutes(1)},
                                         {"hour", "hours", std::chrono::hours(1)},
                                         {"day", "days", std::chrono::hours(24)}}};

// Keeps a period well inside the searchable years (a million days is ~2,700 years).
constexpr std::int64_t kMaxValue = 1'000'000;

}  // namespace

core::Result<std::chrono::seconds> parseRate(std::string_view text) {
  const std::size_t start = text.find_first_not_of(' ');
  const std::size_t space = text.find(' ', start);
  const std::size_t unit_start = text.find_first_not_of(' ', space);
  if (start == std::string_view::npos || space == std::string_view::npos ||
      unit_start == std::string_view::npos) {
    return core::invalidInput("expected a value and a unit, e.g. rate(5 minutes)");
  }
  const std::string_view value_text = text.substr(start, space - start);
  const std::string_view unit_text =
      text.substr(unit_start, text.find(' ', unit_start) - unit_start);
  if (text.find_first_not_of(' ', unit_start + unit_text.size()) != std::string_view::npos) {
    return core::invalidInput("expected a value and a unit, e.g. rate(5 minutes)");
  }
  std::int64_t value = 0;
  for (const char c : value_text) {
    if (c < '0' || c > '9' || value > kMaxValue) {
      return core::invalidInput(
          fmt::format("value '{}' must be a whole number from 1 to {}", value_text, kMaxValue));
    }
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > kMaxValue) {
    return core::invalidInput(
        fmt::format("value '{}' must be a whole number from 1 to {}", value_text, kMaxValue));
  }
  for (const Unit& unit : kUnits) {
    if (unit_text == unit.singular || unit_text == unit.plural) {
      if (value == 1 && unit_text != unit.singular) {
        return core::invalidInput(
            fmt::format("use the singular unit with 1: rate(1 {})", unit.singular));
      }
      if (value != 1 && unit_text != unit.plural) {
        return core::invalidInput(
            fmt::format("use the plural unit with {0}: rate({0} {1})", value, unit.plural));
      }
      return unit.length * value;
    }
  }
  return core::invalidInput(
      fmt::format("unknown unit '{}'; use minute(s), hour(s) or day(s)", unit_text));
}

}  // namespace rawfeed::schedule
