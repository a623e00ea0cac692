#include "queue/sqs/sqs_json.h"

#include <charconv>

#include <fmt/format.h>

namespace rawfeed::queue::sqs {

std::string stringField(const nlohmann::json& object, const char* name) {
  if (!object.is_object())
    return {};
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::int64_t> integerField(const nlohmann::json& object, const char* name) {
  if (!object.is_object())
    return std::nullopt;
  auto it = object.find(name);
  if (it == object.end())
    return std::nullopt;
  if (it->is_number_integer())
    return it->get<std::int64_t>();
  if (!it->is_string())
    return std::nullopt;
  return parseInteger(it->get_ref<const std::string&>());
}

std::optional<std::int64_t> parseInteger(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

core::Error malformed(std::string_view action, std::string_view what) {
  return core::makeError(core::ErrorCode::kPermanent,
                         fmt::format("SQS {}: malformed answer: {}", action, what));
}

}  // namespace rawfeed::queue::sqs
