#include "schedule/cron_field.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/ascii.h"

namespace rawfeed::schedule {
namespace {

// Six digits is more than any field needs and keeps the arithmetic far from overflow.
constexpr std::size_t kMaxDigits = 6;

std::optional<int> parseNumber(std::string_view text) {
  if (text.empty() || text.size() > kMaxDigits) {
    return std::nullopt;
  }
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

struct Range {
  int low = 0;
  int high = 0;
  int step = 1;
};

core::Result<Range> parseBase(std::string_view base, const FieldRules& rules, bool stepped) {
  if (base == "*") {
    return Range{rules.min, rules.max, 1};
  }
  const std::size_t dash = base.find('-', 1);
  if (dash == std::string_view::npos) {
    auto value = parseFieldValue(base, rules);
    if (!value) {
      return value.error();
    }
    // a/n runs from a to the end of the field, as in AWS and Quartz.
    return Range{*value, stepped ? rules.max : *value, 1};
  }
  auto low = parseFieldValue(base.substr(0, dash), rules);
  if (!low) {
    return low.error();
  }
  auto high = parseFieldValue(base.substr(dash + 1), rules);
  if (!high) {
    return high.error();
  }
  if (*low > *high) {
    return fieldError(rules, fmt::format("range {} runs backwards", base));
  }
  return Range{*low, *high, 1};
}

core::Result<Range> parseElement(std::string_view element, const FieldRules& rules) {
  if (element.empty()) {
    return fieldError(rules, "empty value in a list");
  }
  if (element == "?") {
    return fieldError(rules, "? belongs only in day-of-month or day-of-week of an AWS cron(...)");
  }
  const std::size_t slash = element.find('/');
  auto range = parseBase(element.substr(0, slash), rules, slash != std::string_view::npos);
  if (!range || slash == std::string_view::npos) {
    return range;
  }
  const std::string_view step_text = element.substr(slash + 1);
  const auto step = parseNumber(step_text);
  if (!step || *step < 1) {
    return fieldError(rules,
                      fmt::format("step '{}' must be a whole number of at least 1", step_text));
  }
  range->step = *step;
  return range;
}

}  // namespace

core::Error fieldError(const FieldRules& rules, std::string_view message) {
  return core::makeError(core::ErrorCode::kInvalidInput,
                         fmt::format("{}: {}", rules.field, message));
}

core::Result<int> parseFieldValue(std::string_view text, const FieldRules& rules) {
  std::optional<int> value = parseNumber(text);
  for (std::size_t i = 0; !value && i < rules.names.size(); ++i) {
    if (core::equalsNoCase(text, rules.names[i])) {
      value = rules.first_named + static_cast<int>(i);
    }
  }
  if (!value) {
    if (rules.names.empty()) {
      return fieldError(rules, fmt::format("'{}' is not a number", text));
    }
    return fieldError(rules, fmt::format("'{}' is not a number or a name ({}-{})", text,
                                         rules.names.front(), rules.names.back()));
  }
  if (*value < rules.min || *value > rules.max) {
    return fieldError(rules, fmt::format("{} is outside {}-{}", text, rules.min, rules.max));
  }
  return *value;
}

core::Result<std::vector<bool>> parseField(std::string_view text, const FieldRules& rules) {
  std::vector<bool> selected(static_cast<std::size_t>(rules.max) + 1, false);
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = text.find(',', begin);
    auto range = parseElement(text.substr(begin, comma - begin), rules);
    if (!range) {
      return range.error();
    }
    for (int v = range->low; v <= range->high; v += range->step) {
      selected[static_cast<std::size_t>(v)] = true;
    }
    if (comma == std::string_view::npos) {
      return selected;
    }
    begin = comma + 1;
  }
}

}  // namespace rawfeed::schedule
