#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rawfeed::schedule {

// What one cron field accepts. Names (JAN, MON) are matched case-insensitively and stand for
// first_named, first_named + 1, ...
struct FieldRules {
  std::string_view field;  // "minutes", "day-of-week": the word every error starts with
  int min = 0;
  int max = 0;
  std::span<const std::string_view> names = {};
  int first_named = 0;
};

// Parses a comma list of `*`, `a`, `a-b`, `*/n`, `a-b/n` and `a/n` (a, a+n, ... up to max).
// Returns selected[v] for every v in 0..max. Errors are kInvalidInput, "<field>: <rule broken>".
core::Result<std::vector<bool>> parseField(std::string_view text, const FieldRules& rules);

// One value: a number or a name. For the special day forms (6L, 6#3) that the list grammar
// does not cover.
core::Result<int> parseFieldValue(std::string_view text, const FieldRules& rules);

// "<field>: <message>" as an invalid-input error.
core::Error fieldError(const FieldRules& rules, std::string_view message);

}  // namespace rawfeed::schedule
