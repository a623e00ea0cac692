#pragma once

#include <chrono>
#include <string_view>

#include "core/result.h"

namespace rawfeed::schedule {

// The inside of AWS's rate(...): "N minute|minutes|hour|hours|day|days", singular exactly when
// N is 1. Returns the period. Errors are kInvalidInput naming the rule.
core::Result<std::chrono::seconds> parseRate(std::string_view text);

}  // namespace rawfeed::schedule
