#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "server/api_exchange.h"
#include "server/service.h"

namespace rawfeed::server {

inline constexpr int kDefaultBatchesLimit = 20;
inline constexpr int kDefaultDeadLettersLimit = 100;
inline constexpr int kMaxListLimit = 1000;

// Query parameters are checked strictly: a misspelt filter ("symbl=") would otherwise widen a
// listing silently, so unknown and repeated names are kInvalidInput naming the parameter.
core::Status checkQueryNames(const QueryParams& query,
                             std::initializer_list<std::string_view> known);
std::optional<std::string> queryValue(const QueryParams& query, std::string_view name);

// "limit": an integer in 1..kMaxListLimit; absent gives `fallback`.
core::Result<int> parseLimit(const std::optional<std::string>& text, int fallback);
// "true"/"false"/"1"/"0"; absent gives `fallback`.
core::Result<bool> parseBoolParam(std::string_view name, const std::optional<std::string>& text,
                                  bool fallback);

// GET /v1/domains/{d}/dlq?symbol=&error_class=&min_age_seconds=&limit=
core::Result<Service::DeadLetterFilter> deadLetterFilterFromQuery(const QueryParams& query);

}  // namespace rawfeed::server
