#pragma once

#include <chrono>
#include <string_view>
#include <variant>

#include "core/result.h"
#include "schedule/cron_spec.h"

namespace rawfeed::schedule {

// rate(...): fires at every whole multiple of `period` since the Unix epoch.
struct RateSpec {
  std::chrono::seconds period{0};
};

using ExpressionSpec = std::variant<CronSpec, RateSpec>;

// Recognises cron(...), rate(...) or a five-field Unix cron line and parses it. Errors are
// kInvalidInput, "<expression>: <field>: <rule broken>".
core::Result<ExpressionSpec> parseExpression(std::string_view expression);

}  // namespace rawfeed::schedule
