#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace rawfeed::queue::sqs {

// Reading SQS answers without exceptions: a field of the wrong type reads as absent, and the
// caller decides whether that is malformed.

std::string stringField(const nlohmann::json& object, const char* name);
// SQS sends numbers inside attribute maps as strings; a number is accepted as well.
std::optional<std::int64_t> integerField(const nlohmann::json& object, const char* name);
// An exact decimal integer, no sign, spaces or trailing text.
std::optional<std::int64_t> parseInteger(std::string_view text);

// kPermanent: an answer we cannot read is not going to improve by asking again.
core::Error malformed(std::string_view action, std::string_view what);

}  // namespace rawfeed::queue::sqs
