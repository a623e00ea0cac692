#pragma once

#include <string_view>

#include "core/result.h"
#include "schedule/cron_spec.h"

namespace rawfeed::schedule {

// The six fields inside AWS EventBridge's cron(...): minutes hours day-of-month month
// day-of-week year. Weekdays are 1 = SUN .. 7 = SAT; exactly one day field must be `?`.
// Errors are kInvalidInput naming the field and the rule, without the expression itself.
core::Result<CronSpec> parseAwsCron(std::string_view fields);

// A classic five-field Unix line: minute hour day-of-month month day-of-week, with 0 or 7 =
// Sunday, and Vixie cron's rule that two restricted day fields match either (a field counts as
// unrestricted when it starts with `*`, so `*/2` in day-of-month still means "and").
core::Result<CronSpec> parseUnixCron(std::string_view fields);

}  // namespace rawfeed::schedule
