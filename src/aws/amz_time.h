#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace rawfeed::aws {

// "20150830T123600Z": the X-Amz-Date form (ISO 8601 basic, UTC, whole seconds).
std::string formatAmzDate(core::SystemTime time);
// "20150830": the date of the credential scope.
std::string formatAmzDay(core::SystemTime time);

// The Expiration of credential documents: "2024-05-01T12:34:56Z", optionally with fractional
// seconds or a numeric offset ("+00:00"). nullopt for anything else.
std::optional<core::SystemTime> parseIso8601(std::string_view text);

}  // namespace rawfeed::aws
