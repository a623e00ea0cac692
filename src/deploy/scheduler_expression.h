#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace rawfeed::deploy {

// The domain's `schedule` as EventBridge Scheduler writes it: cron(...) and rate(...) pass
// through unchanged (checked first); a five-field Unix cron line becomes the six-field
// cron(min hour day-of-month month day-of-week year) with `?` in the unrestricted day field and
// weekdays by name (Unix numbers Sunday 0 or 7, AWS 1). kInvalidInput when it cannot be said in
// EventBridge's dialect: a Unix line restricting both day fields fires on a day matching either,
// which AWS cannot express.
core::Result<std::string> schedulerExpression(std::string_view schedule);

}  // namespace rawfeed::deploy
