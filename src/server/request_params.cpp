#include "server/request_params.h"

#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

namespace rawfeed::server {

core::Status checkQueryNames(const QueryParams& query,
                             std::initializer_list<std::string_view> known) {
  std::set<std::string_view> seen;
  for (const auto& [name, value] : query) {
    bool is_known = false;
    for (std::string_view candidate : known) {
      is_known = is_known || candidate == name;
    }
    if (!is_known) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             fmt::format("unknown query parameter '{}'", name));
    }
    if (!seen.insert(name).second) {
      return core::makeError(core::ErrorCode::kInvalidInput,
                             fmt::format("query parameter '{}' given more than once", name));
    }
  }
  return core::okStatus();
}

std::optional<std::string> queryValue(const QueryParams& query, std::string_view name) {
  for (const auto& [key, value] : query) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

core::Result<int> parseLimit(const std::optional<std::string>& text, int fallback) {
  if (!text) {
    return fallback;
  }
  int value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc() || ptr != end || value < 1 || value > kMaxListLimit) {
    return core::makeError(
        core::ErrorCode::kInvalidInput,
        fmt::format("limit must be an integer from 1 to {}, got '{}'", kMaxListLimit, *text));
  }
  return value;
}

core::Result<bool> parseBoolParam(std::string_view name, const std::optional<std::string>& text,
                                  bool fallback) {
  if (!text) {
    return fallback;
  }
  if (*text == "true" || *text == "1") {
    return true;
  }
  if (*text == "false" || *text == "0") {
    return false;
  }
  return core::makeError(core::ErrorCode::kInvalidInput,
                         fmt::format("{} must be true or false, got '{}'", name, *text));
}

namespace {

core::Result<double> parseMinAge(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end || !std::isfinite(value) || value < 0) {
    return core::makeError(
        core::ErrorCode::kInvalidInput,
        fmt::format("min_age_seconds must be a number of seconds >= 0, got '{}'", text));
  }
  return value;
}

core::Result<std::string> parseNonEmpty(std::string_view name, const std::string& text) {
  if (text.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           fmt::format("{} must not be empty", name));
  }
  return text;
}

}  // namespace

core::Result<Service::DeadLetterFilter> deadLetterFilterFromQuery(const QueryParams& query) {
  if (auto names = checkQueryNames(query, {"symbol", "error_class", "min_age_seconds", "limit"});
      !names) {
    return names.error();
  }
  Service::DeadLetterFilter filter;
  if (auto symbol = queryValue(query, "symbol")) {
    auto checked = parseNonEmpty("symbol", *symbol);
    if (!checked) {
      return checked.error();
    }
    filter.symbol = std::move(*checked);
  }
  if (auto error_class = queryValue(query, "error_class")) {
    auto checked = parseNonEmpty("error_class", *error_class);
    if (!checked) {
      return checked.error();
    }
    filter.error_class = std::move(*checked);
  }
  if (auto min_age = queryValue(query, "min_age_seconds")) {
    auto parsed = parseMinAge(*min_age);
    if (!parsed) {
      return parsed.error();
    }
    filter.min_age_seconds = *parsed;
  }
  auto limit = parseLimit(queryValue(query, "limit"), kDefaultDeadLettersLimit);
  if (!limit) {
    return limit.error();
  }
  filter.limit = *limit;
  return filter;
}

}  // namespace rawfeed::server
