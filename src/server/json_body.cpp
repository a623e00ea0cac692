#include "server/json_body.h"

#include <cmath>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/request_params.h"

namespace rawfeed::server {
namespace {

using nlohmann::json;

// nlohmann's messages start with "[json.exception.parse_error.101] "; the rest names the
// position and the problem, which is what a caller needs.
std::string withoutExceptionTag(const char* what) {
  std::string text(what);
  const std::size_t close = text.find("] ");
  return close == std::string::npos ? text : text.substr(close + 2);
}

core::Result<json> parseObject(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return core::invalidInput("request body is empty; expected a JSON object");
  }
  json document;
  try {
    document = json::parse(body.begin(), body.end());
  } catch (const json::parse_error& error) {
    return core::invalidInput("malformed JSON body: " + withoutExceptionTag(error.what()));
  }
  if (!document.is_object()) {
    return core::invalidInput(
        fmt::format("request body must be a JSON object, got {}", document.type_name()));
  }
  return document;
}

core::Result<std::string> stringField(const json& value, std::string_view key) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    return core::invalidInput(fmt::format("\"{}\" must be a non-empty string", key));
  }
  return value.get<std::string>();
}

}  // namespace

core::Status checkJsonObject(std::string_view body) {
  auto parsed = parseObject(body);
  if (!parsed) {
    return parsed.error();
  }
  return core::okStatus();
}

core::Result<RedriveRequest> parseRedriveRequest(std::string_view body) {
  auto parsed = parseObject(body);
  if (!parsed) {
    return parsed.error();
  }
  RedriveRequest request;
  request.filter.limit = kDefaultDeadLettersLimit;
  bool dry_run_given = false;
  for (const auto& [key, value] : parsed->items()) {
    if (key == "symbol" || key == "error_class") {
      if (value.is_null()) {
        continue;  // the dashboard sends null for "any"
      }
      auto text = stringField(value, key);
      if (!text) {
        return text.error();
      }
      (key == "symbol" ? request.filter.symbol : request.filter.error_class) = std::move(*text);
    } else if (key == "min_age_seconds") {
      if (value.is_null()) {
        continue;
      }
      if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0) {
        return core::invalidInput("\"min_age_seconds\" must be a number >= 0");
      }
      request.filter.min_age_seconds = value.get<double>();
    } else if (key == "limit") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
          value.get<std::int64_t>() > kMaxListLimit) {
        return core::invalidInput(
            fmt::format("\"limit\" must be an integer from 1 to {}", kMaxListLimit));
      }
      request.filter.limit = value.get<int>();
    } else if (key == "dry_run") {
      if (!value.is_boolean()) {
        return core::invalidInput("\"dry_run\" must be true or false");
      }
      request.dry_run = value.get<bool>();
      dry_run_given = true;
    } else {
      return core::invalidInput(fmt::format("unknown field \"{}\" in the redrive request", key));
    }
  }
  if (!dry_run_given) {
    return core::invalidInput(
        "\"dry_run\" is required (true to only count the matches, false to redrive)");
  }
  return request;
}

}  // namespace rawfeed::server
